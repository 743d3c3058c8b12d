"""PHEE (pharmacovigilance events): character offsets into a context, nested arguments."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from .reading import Reader, finish, json_lines, kind, list_field
from .records import Argument, EventMention, EventReadStats, Sentence

__all__ = ["read_phee"]

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
    path: str | os.PathLike, *, skip_invalid: bool = False, stats: EventReadStats | None = None,
    predictions: bool = False,
) -> Iterator[Sentence]:
    """PHEE JSON lines: character offsets into ``context`` become word spans (the context is
    tokenised into runs of word characters and single punctuation marks, so "heparin-induced" is
    three words and its trigger "induced" one of them). Main arguments (Subject, Treatment, Effect), their nested
    sub-arguments (Drug, Disorder, Age, ...) and the span attributes (Speculated, Negated, Severity)
    each keep their own role name; a discontinuous argument becomes the span covering its parts
    (counted as ``discontinuous-argument``). PHEE has no entity list: use predicted candidates."""
    stats = stats if stats is not None else EventReadStats()
    p = str(path)
    reader = Reader(p, skip_invalid, stats, predictions)
    for line_no, rec in json_lines(p, skip_invalid, stats):
        sid = str(rec.get("id", f"line{line_no}"))
        context = rec.get("context") or ""
        annotations = list_field(rec, "annotations")
        if not isinstance(context, str) or annotations is None:
            key, what = ("context", "a string") if not isinstance(context, str) else ("annotations", "a list")
            reader.skip("bad-field", f"{key} is {kind(rec[key])}, not {what}", line_no, sid)
            continue
        tokens, starts, ends = _tokenize(context)
        if not tokens:
            reader.skip("no-tokens", "empty context", line_no, sid)
            continue

        def word_span(
            cs: object, text: object, context: str = context, starts: list[int] = starts, ends: list[int] = ends
        ) -> tuple[int, int] | None:
            if type(cs) is not int or not isinstance(text, str) or not text or cs < 0:
                return None
            ce = cs + len(text)
            if context[cs:ce] != text:
                return None
            first = next((i for i, e in enumerate(ends) if e > cs), None)
            last = next((i for i in range(len(starts) - 1, -1, -1) if starts[i] < ce), None)
            if first is None or last is None or last < first:
                return None
            return first, last + 1

        def spans(node: object, role: str, line_no: int = line_no, sid: str = sid) -> list[tuple[int, int]]:
            texts_list = node.get("text", []) if isinstance(node, dict) else None
            offs_list = node.get("start", []) if isinstance(node, dict) else None
            if not isinstance(texts_list, list) or not isinstance(offs_list, list):
                what = kind(node) if not isinstance(node, dict) else "an object whose text and start are not lists"
                reader.part("unmappable-offsets", f"{role} is {what}", line_no, sid)
                return []
            out = []
            for texts, offs in zip(texts_list, offs_list, strict=False):
                ok = isinstance(texts, list) and isinstance(offs, list)
                parts = [word_span(s, t) for t, s in zip(texts, offs, strict=False)] if ok else []
                if not parts or any(x is None for x in parts):
                    reader.part("unmappable-offsets", f"{role} {texts!r} at {offs} does not match the context", line_no, sid)
                    continue
                if len(parts) > 1:
                    stats.notes["discontinuous-argument"] += 1
                out.append((min(x[0] for x in parts), max(x[1] for x in parts)))
            return out

        events = []
        for ann in annotations:
            ann_events = list_field(ann, "events") if isinstance(ann, dict) else None
            if ann_events is None:
                reader.part("bad-event", f"an annotation is {kind(ann)}, not an object with a list of events", line_no, sid)
                continue
            for ev in ann_events:
                if not isinstance(ev, dict) or not isinstance(ev.get("event_type", ""), str):
                    what = kind(ev) if not isinstance(ev, dict) else f"an event whose event_type is {kind(ev['event_type'])}"
                    reader.part("bad-event", f"event is {what}", line_no, sid)
                    continue
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
        yield finish(sent, stats, reader)
