"""OneIE / TextEE JSON lines (ACE05-E, ACE05-E+, GENEVA)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from .reading import Reader, check_span, finish, json_lines
from .records import Argument, EntityMention, EventMention, EventReadStats, Sentence, sentence_key

__all__ = ["read_oneie"]


def read_oneie(
    path: str | os.PathLike, *, skip_invalid: bool = False, stats: EventReadStats | None = None,
    predictions: bool = False,
) -> Iterator[Sentence]:
    """OneIE / TextEE JSON lines (ACE05-E, ACE05-E+, GENEVA). Arguments name an ``entity_id`` of the
    line's ``entity_mentions`` (OneIE) and/or carry ``start``/``end`` (TextEE)."""
    stats = stats if stats is not None else EventReadStats()
    p = str(path)
    reader = Reader(p, skip_invalid, stats, predictions)
    seen: set[str] = set()
    for line_no, rec in json_lines(p, skip_invalid, stats):
        sid = sentence_key(rec, stats.records - 1)
        tokens = rec.get("tokens")
        if not isinstance(tokens, list) or not tokens:
            reader.skip("no-tokens", "no tokens", line_no, sid)
            continue
        if sid in seen:
            reader.skip("duplicate-id", "duplicate sentence id", line_no, sid)
            continue
        seen.add(sid)
        n = len(tokens)
        entities = {}
        for m in rec.get("entity_mentions", []):
            bad = check_span(m.get("start"), m.get("end"), n)
            if bad:
                reader.part("bad-entity-span", f"entity {m.get('id')}: {bad}", line_no, sid)
                continue
            entities[m["id"]] = EntityMention(m["id"], m["start"], m["end"], m.get("entity_type"), m.get("text", ""))
        events = []
        for ev in rec.get("event_mentions", []):
            trig = ev.get("trigger", {})
            bad = check_span(trig.get("start"), trig.get("end"), n)
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
                bad = check_span(start, end, n)
                if bad or not a.get("role"):
                    reader.part("bad-argument", f"argument {a.get('text')!r}: {bad or 'no role'}", line_no, sid)
                    continue
                args.append(Argument(start, end, a["role"], a.get("entity_id"), a.get("text", "")))
            events.append(EventMention(ev.get("event_type", ""), trig["start"], trig["end"], args, ev.get("id", ""), trig.get("text", "")))
        sent = Sentence(sid, list(tokens), list(entities.values()), events, str(rec.get("doc_id", "")), p, line_no, rec)
        yield finish(sent, stats, reader)


