"""One annotated document and its source -> OneIE-layout sentence records, with every event,
argument, mention and relation of the annotation either written or counted as dropped by reason.

The reconciliation :meth:`Counts.check` asserts holds for every document and every split:
``annotated[k] == written[k] + sum(dropped[k].values())`` for events, arguments, mentions and
relations.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import AnnotatedDocument, CharSpan
from .offsets import choose_convention, verify_span
from .sentences import DocSentence, sentences_of
from .source import SourceText
from .variants import Variant

__all__ = ["KINDS", "Counts", "convert_document"]

KINDS = ("events", "arguments", "mentions", "relations")
_WS = re.compile(r"\s+")


@dataclass
class Counts:
    """Counts of documents, sentences and what was annotated, written and dropped (by reason)."""

    documents: int = 0
    sentences: int = 0
    annotated: Counter = field(default_factory=Counter)
    written: Counter = field(default_factory=Counter)
    dropped: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    notes: Counter = field(default_factory=Counter)
    conventions: Counter = field(default_factory=Counter)
    event_types: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def drop(self, kind: str, reason: str, what: str, n: int = 1) -> None:
        self.dropped[kind][reason] += n
        kept = self.examples.setdefault(f"{kind}:{reason}", [])
        if len(kept) < 5:
            kept.append(what)

    def add(self, other: Counts) -> None:
        self.documents += other.documents
        self.sentences += other.sentences
        for mine, theirs in ((self.annotated, other.annotated), (self.written, other.written), (self.notes, other.notes),
                             (self.conventions, other.conventions), (self.event_types, other.event_types),
                             (self.roles, other.roles)):
            mine.update(theirs)
        for k in KINDS:
            self.dropped[k].update(other.dropped[k])
        for key, ids in other.examples.items():
            kept = self.examples.setdefault(key, [])
            kept.extend(ids[: max(0, 5 - len(kept))])

    def check(self) -> None:
        """Every annotated item is written or dropped with a reason (an AssertionError is a bug)."""
        for k in KINDS:
            assert self.annotated[k] == self.written[k] + sum(self.dropped[k].values()), (k, self.annotated[k], self.written[k], dict(self.dropped[k]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "sentences": self.sentences,
            "events": self.written["events"],
            "arguments": self.written["arguments"],
            "event_types": len(self.event_types),
            "roles": len(self.roles),
            "entity_mentions": self.written["mentions"],
            "relations": self.written["relations"],
            "annotated": {k: self.annotated[k] for k in KINDS},
            "dropped": {k: dict(sorted(self.dropped[k].items())) for k in KINDS},
            "notes": dict(sorted(self.notes.items())),
            "offset_conventions": dict(self.conventions),
            "examples": self.examples,
        }


@dataclass
class _Placed:
    sentence: int
    start: int  # token indices, end exclusive
    end: int


def _locate(source: SourceText, convention: str, span: CharSpan, counts: Counts) -> tuple[int, int] | str:
    """``[start, end)`` in the source text, or why not."""
    check = verify_span(source, convention, span)
    counts.notes[f"charseq-{check}"] += 1
    if check not in ("exact", "whitespace-differs"):
        return f"offset-{check}"
    s, e = source.to_text(convention, span.start, span.end)
    piece = source.text[s:e]
    s, e = s + len(piece) - len(piece.lstrip()), s + len(piece.rstrip())
    if e <= s:
        return "in-markup"  # inside a tag: an attribute such as an ERE post's author
    first, last = source.region_at(s), source.region_at(e - 1)
    if first is None or last is None or first.label != "text" or last.label != "text":
        bad = first if first is not None and first.label != "text" else last
        return f"in-{bad.label}" if bad is not None else "in-markup"
    if first is not last:
        return "crosses-markup"
    return s, e


def _place(sents: Sequence[DocSentence], starts: list[int], s: int, e: int) -> _Placed | None:
    k = bisect.bisect_right(starts, s) - 1
    if k < 0 or e > sents[k].end:
        return None
    tok = sents[k].token_span(s, e)
    return _Placed(k, *tok) if tok else None


def convert_document(
    source: SourceText, doc: AnnotatedDocument, variant: Variant, *, conventions: Sequence[str],
) -> tuple[list[dict[str, Any]], Counts]:
    """The OneIE records of one document (every sentence, with or without events) and its counts."""
    counts = Counts(documents=1)
    mentions, events = doc.mentions, doc.events
    counts.annotated.update(mentions=len(mentions), events=len(events), relations=len(doc.relations),
                            arguments=sum(len(ev.arguments) for ev in events))
    decision = choose_convention(source, [m.extent for m in mentions.values()] + [ev.anchor for ev in events], conventions)
    conv = decision.convention
    counts.conventions[conv if decision.distinguishable else "indistinguishable"] += 1
    where: dict[str, tuple[int, int] | str] = {}
    for mid, m in mentions.items():
        loc = _locate(source, conv, m.extent, counts)
        if isinstance(loc, tuple) and not variant.pronouns and m.mention_type == "PRO":
            loc = "pronoun-mention"
        where[mid] = loc
    anchors = {ev.id: _locate(source, conv, ev.anchor, counts) for ev in events}
    spans = [v for v in (*where.values(), *anchors.values()) if isinstance(v, tuple)]
    sents = sentences_of(source, spans, counts.notes)
    starts = [s.start for s in sents]
    records: list[dict[str, Any]] = [
        {"doc_id": doc.doc_id, "sent_id": f"{doc.doc_id}-{k}", "wnd_id": f"{doc.doc_id}-{k}", "tokens": s.words,
         "sentence": source.text[s.start:s.end], "entity_mentions": [], "relation_mentions": [], "event_mentions": []}
        for k, s in enumerate(sents)
    ]
    placed: dict[str, _Placed] = {}
    for mid, m in mentions.items():
        loc = where[mid]
        if isinstance(loc, str):
            counts.drop("mentions", loc, mid)
            continue
        pl = _place(sents, starts, *loc)
        if pl is None:
            where[mid] = "not-on-token-boundary"
            counts.drop("mentions", "not-on-token-boundary", mid)
            continue
        placed[mid] = pl
        rec = records[pl.sentence]
        rec["entity_mentions"].append({
            "id": mid, "text": " ".join(rec["tokens"][pl.start:pl.end]), "entity_type": m.type,
            "entity_subtype": m.subtype, "mention_type": m.mention_type, "start": pl.start, "end": pl.end,
        })
        counts.written["mentions"] += 1
    taken: dict[int, list[tuple[int, int]]] = {}
    for ev in events:
        loc = anchors[ev.id]
        pl = _place(sents, starts, *loc) if isinstance(loc, tuple) else None
        reason = loc if isinstance(loc, str) else None if pl else "not-on-token-boundary"
        if pl and not variant.multi_token_triggers and pl.end - pl.start > 1:
            reason = "multi-token-trigger"
        if pl and reason is None:
            spans_here = taken.setdefault(pl.sentence, [])
            if (pl.start, pl.end) in spans_here:
                counts.notes["shared-trigger"] += 1
            elif any(pl.start < e and s < pl.end for s, e in spans_here):
                reason = "overlapping-trigger"
        if reason is not None or pl is None:
            counts.drop("events", reason or "not-on-token-boundary", ev.id)
            if ev.arguments:
                counts.drop("arguments", "event-dropped", ev.id, len(ev.arguments))
            continue
        taken[pl.sentence].append((pl.start, pl.end))
        rec = records[pl.sentence]
        args = []
        for a in ev.arguments:
            apl = placed.get(a.ref_id)
            if apl is None:
                why = where.get(a.ref_id, "unknown-mention")
                why = "pronoun-argument" if why == "pronoun-mention" else why if why == "unknown-mention" else f"mention-{why}"
                counts.drop("arguments", why, f"{ev.id}/{a.ref_id}")
                continue
            if apl.sentence != pl.sentence:
                counts.drop("arguments", "argument-in-other-sentence", f"{ev.id}/{a.ref_id}")
                continue
            args.append({"entity_id": a.ref_id, "text": " ".join(rec["tokens"][apl.start:apl.end]), "role": a.role})
            counts.roles[a.role] += 1
        rec["event_mentions"].append({
            "id": ev.id, "event_type": ev.event_type,
            "trigger": {"text": " ".join(rec["tokens"][pl.start:pl.end]), "start": pl.start, "end": pl.end},
            "arguments": args,
        })
        counts.written["events"] += 1
        counts.written["arguments"] += len(args)
        counts.event_types[ev.event_type] += 1
    for rel in doc.relations:
        pls = [placed.get(a.ref_id) for a in rel.arguments]
        if not pls or any(p is None for p in pls):
            bad = next(a.ref_id for a, p in zip(rel.arguments, pls, strict=True) if p is None) if pls else None
            why = where.get(bad, "unknown-mention") if bad else "no-arguments"
            counts.drop("relations", "pronoun-argument" if why == "pronoun-mention" else f"argument-{why}", rel.id)
            continue
        if len({p.sentence for p in pls}) > 1:
            counts.drop("relations", "argument-in-other-sentence", rel.id)
            continue
        rec = records[pls[0].sentence]
        rec["relation_mentions"].append({
            "id": rel.id, "relation_type": rel.type, "relation_subtype": rel.subtype,
            "arguments": [{"entity_id": a.ref_id, "text": " ".join(rec["tokens"][p.start:p.end]), "role": a.role}
                          for a, p in zip(rel.arguments, pls, strict=True)],
        })
        counts.written["relations"] += 1
    counts.sentences = len(records)
    counts.check()
    return records, counts
