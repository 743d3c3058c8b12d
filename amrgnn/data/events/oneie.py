"""OneIE / TextEE JSON lines (ACE05-E, ACE05-E+, GENEVA)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from .reading import (
    Reader,
    check_role,
    check_span,
    check_tokens,
    finish,
    json_lines,
    kind,
    list_field,
)
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
        bad_tokens = check_tokens(rec.get("tokens"))
        if bad_tokens:
            reader.skip(*bad_tokens, line_no, sid)
            continue
        tokens = rec["tokens"]
        if sid in seen:
            reader.skip("duplicate-id", "duplicate sentence id", line_no, sid)
            continue
        seen.add(sid)
        mentions, event_list = list_field(rec, "entity_mentions"), list_field(rec, "event_mentions")
        if mentions is None or event_list is None:
            key = "entity_mentions" if mentions is None else "event_mentions"
            reader.skip("bad-field", f"{key} is {kind(rec[key])}, not a list", line_no, sid)
            continue
        n = len(tokens)
        entities = {}
        for j, m in enumerate(mentions):
            if not isinstance(m, dict) or not isinstance(m.get("id"), str):
                what = f"is {kind(m)}, not an object" if not isinstance(m, dict) else f"has {_id(m.get('id'))}"
                reader.part("bad-entity", f"entity mention {j} {what}", line_no, sid)
                continue
            bad = check_span(m.get("start"), m.get("end"), n)
            if bad:
                reader.part("bad-entity-span", f"entity {m['id']}: {bad}", line_no, sid)
                continue
            entities[m["id"]] = EntityMention(m["id"], m["start"], m["end"], m.get("entity_type"), m.get("text", ""))
        events = []
        for j, ev in enumerate(event_list):
            if not isinstance(ev, dict) or not isinstance(ev.get("event_type", ""), str):
                what = f"is {kind(ev)}, not an object" if not isinstance(ev, dict) else f"has an event_type that is {kind(ev['event_type'])}"
                reader.part("bad-event", f"event mention {j} {what}", line_no, sid)
                continue
            trig = ev.get("trigger", {})
            bad = check_span(trig.get("start"), trig.get("end"), n) if isinstance(trig, dict) else f"is {kind(trig)}, not an object"
            if bad:
                reader.part("bad-trigger-span", f"event {ev.get('id')}: trigger {bad}", line_no, sid)
                continue
            arg_list = list_field(ev, "arguments")
            if arg_list is None:
                reader.part("bad-argument", f"event {ev.get('id')}: arguments are {kind(ev['arguments'])}, not a list", line_no, sid)
                arg_list = []
            args = []
            for a in arg_list:
                if not isinstance(a, dict):
                    reader.part("bad-argument", f"argument is {kind(a)}, not an object", line_no, sid)
                    continue
                entity_id = a.get("entity_id")
                if entity_id is not None and not isinstance(entity_id, str):
                    reader.part("bad-argument", f"argument {a.get('text')!r}: entity_id is {kind(entity_id)}, not a string", line_no, sid)
                    continue
                if "start" in a and "end" in a:
                    start, end = a["start"], a["end"]
                elif entity_id in entities:
                    ent = entities[entity_id]
                    start, end = ent.start, ent.end
                else:
                    reader.part("missing-entity", f"argument names entity {entity_id!r}, not in entity_mentions", line_no, sid)
                    continue
                role = a.get("role")
                bad = check_span(start, end, n) or check_role(role)
                if bad:
                    reader.part("bad-argument", f"argument {a.get('text')!r}: {bad}", line_no, sid)
                    continue
                args.append(Argument(start, end, role, entity_id, a.get("text", "")))
            events.append(EventMention(ev.get("event_type", ""), trig["start"], trig["end"], args, ev.get("id", ""), trig.get("text", "")))
        sent = Sentence(sid, list(tokens), list(entities.values()), events, str(rec.get("doc_id", "")), p, line_no, rec)
        yield finish(sent, stats, reader)


def _id(value: object) -> str:
    return "no id" if value is None else f"an id that is {kind(value)}, not a string"
