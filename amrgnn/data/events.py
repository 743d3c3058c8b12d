"""Event-extraction corpora into one sentence record.

Readers: OneIE / TextEE JSON lines (ACE05-E, ACE05-E+, GENEVA; :func:`read_oneie`), the
nlpcl-lab/ace2005-preprocessing JSON list (:func:`read_nlpcl`) and PHEE (character offsets,
nested arguments; :func:`read_phee`). Offsets are word indices with an exclusive end. What a
reader cannot map is counted by reason with the sentence id (:class:`EventReadStats`), never
dropped silently; with ``skip_invalid=False`` (the default) the first problem raises
:class:`EventFormatError` naming the file, line and sentence.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ACE33_EVENT_TYPES",
    "Argument",
    "EntityMention",
    "EventFormatError",
    "EventMention",
    "EventReadStats",
    "Sentence",
    "merge_time_roles",
    "read_events",
    "read_nlpcl",
    "read_oneie",
    "read_phee",
    "sentence_key",
]

#: The 33 ACE2005 event types (type:subtype), as in the DyGIE++/OneIE preprocessing.
ACE33_EVENT_TYPES = (
    "Business:Declare-Bankruptcy", "Business:End-Org", "Business:Merge-Org", "Business:Start-Org",
    "Conflict:Attack", "Conflict:Demonstrate", "Contact:Meet", "Contact:Phone-Write",
    "Justice:Acquit", "Justice:Appeal", "Justice:Arrest-Jail", "Justice:Charge-Indict",
    "Justice:Convict", "Justice:Execute", "Justice:Extradite", "Justice:Fine", "Justice:Pardon",
    "Justice:Release-Parole", "Justice:Sentence", "Justice:Sue", "Justice:Trial-Hearing",
    "Life:Be-Born", "Life:Die", "Life:Divorce", "Life:Injure", "Life:Marry",
    "Movement:Transport", "Personnel:Elect", "Personnel:End-Position", "Personnel:Nominate",
    "Personnel:Start-Position", "Transaction:Transfer-Money", "Transaction:Transfer-Ownership",
)


@dataclass
class EntityMention:
    """A candidate argument span (``end`` exclusive, word offsets)."""

    id: str
    start: int
    end: int
    type: str | None = None
    text: str = ""


@dataclass
class Argument:
    """An argument: its span, role and (where the layout has one) the entity it names."""

    start: int
    end: int
    role: str
    entity_id: str | None = None
    text: str = ""


@dataclass
class EventMention:
    """An event: trigger span and type, and its arguments."""

    type: str
    start: int
    end: int
    arguments: list[Argument] = field(default_factory=list)
    id: str = ""
    text: str = ""


@dataclass
class Sentence:
    """One sentence of an event corpus.

    Attributes:
        id: ``wnd_id``, else ``sent_id``, else ``doc_id#position`` (:func:`sentence_key`).
        tokens: the words.
        entities: candidate argument spans.
        events: gold (or predicted) events.
        doc_id: the document id ('' where the layout has none).
        path, line: where the record came from.
        raw: the original record (predictions are written back into it).
    """

    id: str
    tokens: list[str]
    entities: list[EntityMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    doc_id: str = ""
    path: str = ""
    line: int = 0
    raw: dict[str, Any] | None = None


class EventFormatError(ValueError):
    """A record that cannot be read, naming the file, line and sentence."""

    def __init__(self, reason: str, message: str, path: str, line: int, sentence_id: str | None = None) -> None:
        self.reason, self.path, self.line, self.sentence_id = reason, path, line, sentence_id
        where = f"{path}:{line}" + (f": sentence {sentence_id!r}" if sentence_id else "")
        super().__init__(f"{where}: {message} [{reason}]")


@dataclass
class EventReadStats:
    """Counts of one read: ``sentences + skipped_sentences == records``; dropped parts (mentions,
    arguments) are counted by reason, with the first ids kept for the report; ``notes`` counts
    changes that keep the item (e.g. a discontinuous PHEE argument read as its covering span)."""

    records: int = 0
    sentences: int = 0
    skipped_sentences: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    events: int = 0
    arguments: int = 0
    entities: int = 0

    def drop(self, reason: str, sentence_id: str, n: int = 1) -> None:
        self.dropped[reason] += n
        kept = self.examples.setdefault(reason, [])
        if len(kept) < 10:
            kept.append(sentence_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "sentences": self.sentences,
            "skipped_sentences": dict(self.skipped_sentences),
            "dropped": dict(self.dropped),
            "notes": dict(self.notes),
            "examples": self.examples,
            "events": self.events,
            "arguments": self.arguments,
            "entities": self.entities,
        }


def sentence_key(record: dict[str, Any], position: int) -> str:
    """The sentence id of a OneIE/TextEE record: ``wnd_id``, else ``sent_id``, else ``doc_id#position``."""
    for key in ("wnd_id", "sent_id"):
        if record.get(key):
            return str(record[key])
    return f"{record.get('doc_id', 'doc')}#{position}"


def _check_span(start: Any, end: Any, n: int) -> str | None:
    if not isinstance(start, int) or not isinstance(end, int):
        return "non-integer offsets"
    if end <= start:
        return "zero-length or reversed span"
    if start < 0 or end > n:
        return "span out of range"
    return None


class _Reader:
    """Shared bookkeeping: raise or count, per sentence."""

    def __init__(self, path: str, skip_invalid: bool, stats: EventReadStats) -> None:
        self.path, self.skip_invalid, self.stats = path, skip_invalid, stats

    def fail(self, reason: str, message: str, line: int, sid: str | None) -> None:
        raise EventFormatError(reason, message, self.path, line, sid)

    def part(self, reason: str, message: str, line: int, sid: str) -> None:
        """A bad mention or argument: raise, or drop it (counted) with ``skip_invalid``."""
        if not self.skip_invalid:
            self.fail(reason, message, line, sid)
        self.stats.drop(reason, sid)


def _finish(sent: Sentence, stats: EventReadStats, reader: _Reader) -> Sentence:
    # overlapping triggers of one sentence cannot both be tagged: keep the first, count the rest
    taken: list[tuple[int, int]] = []
    events = []
    for ev in sent.events:
        if any(ev.start < e and s < ev.end and (s, e) != (ev.start, ev.end) for s, e in taken):
            reader.part("overlapping-trigger", f"trigger {ev.start}:{ev.end} overlaps another", sent.line, sent.id)
            continue
        taken.append((ev.start, ev.end))
        events.append(ev)
    sent.events = events
    stats.sentences += 1
    stats.events += len(sent.events)
    stats.arguments += sum(len(e.arguments) for e in sent.events)
    stats.entities += len(sent.entities)
    return sent


def _json_lines(path: str, skip_invalid: bool, stats: EventReadStats) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` of a JSON-lines file; every non-blank line is a counted record, and
    a line that is not JSON raises (or is counted as skipped)."""
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            stats.records += 1
            try:
                yield line_no, json.loads(line)
            except json.JSONDecodeError as e:
                if not skip_invalid:
                    raise EventFormatError("bad-json", f"not JSON ({e.msg})", path, line_no) from e
                stats.skipped_sentences["bad-json"] += 1


def read_oneie(
    path: str | os.PathLike, *, skip_invalid: bool = False, stats: EventReadStats | None = None
) -> Iterator[Sentence]:
    """OneIE / TextEE JSON lines (ACE05-E, ACE05-E+, GENEVA). Arguments name an ``entity_id`` of the
    line's ``entity_mentions`` (OneIE) and/or carry ``start``/``end`` (TextEE)."""
    stats = stats if stats is not None else EventReadStats()
    p = str(path)
    reader = _Reader(p, skip_invalid, stats)
    seen: set[str] = set()
    for line_no, rec in _json_lines(p, skip_invalid, stats):
        sid = sentence_key(rec, stats.records - 1)
        tokens = rec.get("tokens")
        if not isinstance(tokens, list) or not tokens:
            if not skip_invalid:
                reader.fail("no-tokens", "no tokens", line_no, sid)
            stats.skipped_sentences["no-tokens"] += 1
            continue
        if sid in seen:
            if not skip_invalid:
                reader.fail("duplicate-id", "duplicate sentence id", line_no, sid)
            stats.skipped_sentences["duplicate-id"] += 1
            continue
        seen.add(sid)
        n = len(tokens)
        entities = {}
        for m in rec.get("entity_mentions", []):
            bad = _check_span(m.get("start"), m.get("end"), n)
            if bad:
                reader.part("bad-entity-span", f"entity {m.get('id')}: {bad}", line_no, sid)
                continue
            entities[m["id"]] = EntityMention(m["id"], m["start"], m["end"], m.get("entity_type"), m.get("text", ""))
        events = []
        for ev in rec.get("event_mentions", []):
            trig = ev.get("trigger", {})
            bad = _check_span(trig.get("start"), trig.get("end"), n)
            if bad:
                reader.part("bad-trigger-span", f"event {ev.get('id')}: trigger {bad}", line_no, sid)
                continue
            args = []
            for a in ev.get("arguments", []):
                if "start" in a and "end" in a:
                    start, end = a["start"], a["end"]
                elif a.get("entity_id") in entities:
                    ent = entities[a["entity_id"]]
                    start, end = ent.start, ent.end
                else:
                    reader.part("missing-entity", f"argument names entity {a.get('entity_id')!r}, not in entity_mentions", line_no, sid)
                    continue
                bad = _check_span(start, end, n)
                if bad or not a.get("role"):
                    reader.part("bad-argument", f"argument {a.get('text')!r}: {bad or 'no role'}", line_no, sid)
                    continue
                args.append(Argument(start, end, a["role"], a.get("entity_id"), a.get("text", "")))
            events.append(EventMention(ev.get("event_type", ""), trig["start"], trig["end"], args, ev.get("id", ""), trig.get("text", "")))
        sent = Sentence(sid, list(tokens), list(entities.values()), events, str(rec.get("doc_id", "")), p, line_no, rec)
        yield _finish(sent, stats, reader)


def read_nlpcl(
    path: str | os.PathLike, *, skip_invalid: bool = False, stats: EventReadStats | None = None
) -> Iterator[Sentence]:
    """The nlpcl-lab/ace2005-preprocessing layout: one JSON list per split. Sentence ids are
    ``<file stem>-<index>`` (the layout has none); "line" in messages is the list index + 1."""
    stats = stats if stats is not None else EventReadStats()
    p = str(path)
    reader = _Reader(p, skip_invalid, stats)
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise EventFormatError("bad-json", f"not a JSON list ({e.msg}, line {e.lineno})", p, e.lineno) from e
    if not isinstance(records, list):
        raise EventFormatError("bad-json", "expected a JSON list of sentences", p, 1)
    stem = Path(path).stem
    for i, rec in enumerate(records):
        stats.records += 1
        sid = f"{stem}-{i}"
        tokens = rec.get("words")
        if not isinstance(tokens, list) or not tokens:
            if not skip_invalid:
                reader.fail("no-tokens", "no words", i + 1, sid)
            stats.skipped_sentences["no-tokens"] += 1
            continue
        n = len(tokens)
        entities = []
        for j, m in enumerate(rec.get("golden-entity-mentions", [])):
            bad = _check_span(m.get("start"), m.get("end"), n)
            if bad:
                reader.part("bad-entity-span", f"entity {j}: {bad}", i + 1, sid)
                continue
            entities.append(EntityMention(m.get("entity_id", f"{sid}-E{j}"), m["start"], m["end"], m.get("entity-type"), m.get("text", "")))
        events = []
        for ev in rec.get("golden-event-mentions", []):
            trig = ev.get("trigger", {})
            bad = _check_span(trig.get("start"), trig.get("end"), n)
            if bad:
                reader.part("bad-trigger-span", f"trigger {bad}", i + 1, sid)
                continue
            args = []
            for a in ev.get("arguments", []):
                bad = _check_span(a.get("start"), a.get("end"), n)
                if bad or not a.get("role"):
                    reader.part("bad-argument", f"argument {a.get('text')!r}: {bad or 'no role'}", i + 1, sid)
                    continue
                ent = next((e.id for e in entities if (e.start, e.end) == (a["start"], a["end"])), None)
                args.append(Argument(a["start"], a["end"], a["role"], ent, a.get("text", "")))
            events.append(EventMention(ev.get("event_type", ""), trig["start"], trig["end"], args, text=trig.get("text", "")))
        sent = Sentence(sid, list(tokens), entities, events, "", p, i + 1, rec)
        yield _finish(sent, stats, reader)


_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_PHEE_MAIN = ("Subject", "Treatment", "Effect")
_PHEE_ATTRIBUTES = ("Speculated", "Negated", "Severity")


def _tokenize(text: str) -> tuple[list[str], list[int], list[int]]:
    toks, starts, ends = [], [], []
    for m in _TOKEN.finditer(text):
        toks.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
    return toks, starts, ends


def read_phee(
    path: str | os.PathLike, *, skip_invalid: bool = False, stats: EventReadStats | None = None
) -> Iterator[Sentence]:
    """PHEE JSON lines: character offsets into ``context`` become word spans (the context is
    tokenised into runs of word characters and single punctuation marks, so "heparin-induced" is
    three words and its trigger "induced" one of them). Main arguments (Subject, Treatment, Effect), their nested
    sub-arguments (Drug, Disorder, Age, ...) and the span attributes (Speculated, Negated, Severity)
    each keep their own role name; a discontinuous argument becomes the span covering its parts
    (counted as ``discontinuous-argument``). PHEE has no entity list: use predicted candidates."""
    stats = stats if stats is not None else EventReadStats()
    p = str(path)
    reader = _Reader(p, skip_invalid, stats)
    for line_no, rec in _json_lines(p, skip_invalid, stats):
        sid = str(rec.get("id", f"line{line_no}"))
        context = rec.get("context") or ""
        tokens, starts, ends = _tokenize(context)
        if not tokens:
            if not skip_invalid:
                reader.fail("no-tokens", "empty context", line_no, sid)
            stats.skipped_sentences["no-tokens"] += 1
            continue

        def word_span(
            cs: int, text: str, context: str = context, starts: list[int] = starts, ends: list[int] = ends
        ) -> tuple[int, int] | None:
            ce = cs + len(text)
            if context[cs:ce] != text:
                return None
            first = next((i for i, e in enumerate(ends) if e > cs), None)
            last = next((i for i in range(len(starts) - 1, -1, -1) if starts[i] < ce), None)
            if first is None or last is None or last < first:
                return None
            return first, last + 1

        def spans(node: dict, role: str, line_no: int = line_no, sid: str = sid) -> list[tuple[int, int]]:
            out = []
            for texts, offs in zip(node.get("text", []), node.get("start", []), strict=False):
                parts = [word_span(s, t) for t, s in zip(texts, offs, strict=False)]
                if not parts or any(x is None for x in parts):
                    reader.part("unmappable-offsets", f"{role} {texts!r} at {offs} does not match the context", line_no, sid)
                    continue
                if len(parts) > 1:
                    stats.notes["discontinuous-argument"] += 1
                out.append((min(x[0] for x in parts), max(x[1] for x in parts)))
            return out

        events = []
        for ann in rec.get("annotations", []):
            for ev in ann.get("events", []):
                trig = spans(ev.get("Trigger", {}), "Trigger")
                if not trig:
                    reader.part("bad-trigger-span", f"event {ev.get('event_id')}: no trigger span", line_no, sid)
                    continue
                args = []
                for key, node in ev.items():
                    if key in ("Trigger", "event_id", "event_type") or not isinstance(node, dict):
                        continue
                    for s, e in spans(node, key):
                        args.append(Argument(s, e, key, None, " ".join(tokens[s:e])))
                    if key in _PHEE_MAIN:
                        for sub, sub_node in node.items():
                            if isinstance(sub_node, dict):
                                for s, e in spans(sub_node, sub):
                                    args.append(Argument(s, e, sub, None, " ".join(tokens[s:e])))
                s, e = trig[0]
                events.append(EventMention(ev.get("event_type", ""), s, e, args, ev.get("event_id", ""), " ".join(tokens[s:e])))
        sent = Sentence(sid, tokens, [], events, sid.split("_")[0], p, line_no, rec)
        yield _finish(sent, stats, reader)


READERS = {"oneie": read_oneie, "nlpcl": read_nlpcl, "phee": read_phee}


def read_events(
    path: str | os.PathLike, fmt: str = "oneie", *, skip_invalid: bool = False, stats: EventReadStats | None = None
) -> list[Sentence]:
    """All sentences of one file in the named layout (``oneie``, ``nlpcl`` or ``phee``).

    Raises:
        EventFormatError: a bad record (unless ``skip_invalid``), or an empty file.
    """
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {sorted(READERS)}")
    stats = stats if stats is not None else EventReadStats()
    out = list(READERS[fmt](path, skip_invalid=skip_invalid, stats=stats))
    if stats.records == 0:
        raise EventFormatError("empty-file", "no sentences", str(path), 1)
    return out


def merge_time_roles(sentences: Iterable[Sentence]) -> int:
    """ACE's eight ``Time-*`` roles become ``Time`` (the usual practice); returns how many changed."""
    n = 0
    for s in sentences:
        for ev in s.events:
            for a in ev.arguments:
                if a.role.startswith("Time-"):
                    a.role = "Time"
                    n += 1
    return n
