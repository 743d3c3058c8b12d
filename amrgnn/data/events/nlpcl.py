"""The nlpcl-lab/ace2005-preprocessing layout: one JSON list per split."""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterator
from pathlib import Path

from .reading import Reader, check_role, check_span, check_tokens, finish, kind, list_field
from .records import (
    Argument,
    EntityMention,
    EventFormatError,
    EventMention,
    EventReadStats,
    Sentence,
)

__all__ = ["read_nlpcl"]


def read_nlpcl(
    path: str | os.PathLike, *, skip_invalid: bool = False, stats: EventReadStats | None = None,
    predictions: bool = False,
) -> Iterator[Sentence]:
    """The nlpcl-lab/ace2005-preprocessing layout: one JSON list per split. Sentence ids are
    ``<file stem>-<index>`` (the layout has none); "line" in messages is the list index + 1."""
    stats = stats if stats is not None else EventReadStats()
    p = str(path)
    reader = Reader(p, skip_invalid, stats, predictions)
    data = Path(path).read_bytes().removeprefix(codecs.BOM_UTF8)
    try:
        records = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise EventFormatError("not-utf8", f"not UTF-8 (byte {data[e.start]:#04x})", p, line) from e
    except json.JSONDecodeError as e:
        raise EventFormatError("bad-json", f"not a JSON list ({e.msg}, line {e.lineno})", p, e.lineno) from e
    except (ValueError, RecursionError) as e:  # e.g. an integer of more than 4300 digits, deep nesting
        raise EventFormatError("bad-json", f"not a JSON list ({type(e).__name__}: {str(e)[:80]})", p, 1) from e
    if not isinstance(records, list):
        raise EventFormatError("bad-json", "expected a JSON list of sentences", p, 1)
    stem = Path(path).stem
    for i, rec in enumerate(records):
        stats.records += 1
        sid = f"{stem}-{i}"
        if not isinstance(rec, dict):
            reader.skip("bad-json", f"expected a JSON object, got {kind(rec)}", i + 1, sid)
            continue
        bad_tokens = check_tokens(rec.get("words"))
        if bad_tokens:
            reader.skip(bad_tokens[0], bad_tokens[1].replace("token", "word"), i + 1, sid)
            continue
        tokens = rec["words"]
        mentions, event_list = list_field(rec, "golden-entity-mentions"), list_field(rec, "golden-event-mentions")
        if mentions is None or event_list is None:
            key = "golden-entity-mentions" if mentions is None else "golden-event-mentions"
            reader.skip("bad-field", f"{key} is {kind(rec[key])}, not a list", i + 1, sid)
            continue
        n = len(tokens)
        entities = []
        for j, m in enumerate(mentions):
            entity_id = m.get("entity_id", f"{sid}-E{j}") if isinstance(m, dict) else None
            if not isinstance(entity_id, str):
                what = f"is {kind(m)}, not an object" if not isinstance(m, dict) else f"has an entity_id that is {kind(entity_id)}"
                reader.part("bad-entity", f"entity mention {j} {what}", i + 1, sid)
                continue
            bad = check_span(m.get("start"), m.get("end"), n)
            if bad:
                reader.part("bad-entity-span", f"entity {j}: {bad}", i + 1, sid)
                continue
            entities.append(EntityMention(entity_id, m["start"], m["end"], m.get("entity-type"), m.get("text", "")))
        events = []
        for j, ev in enumerate(event_list):
            if not isinstance(ev, dict) or not isinstance(ev.get("event_type", ""), str):
                what = f"is {kind(ev)}, not an object" if not isinstance(ev, dict) else f"has an event_type that is {kind(ev['event_type'])}"
                reader.part("bad-event", f"event mention {j} {what}", i + 1, sid)
                continue
            trig = ev.get("trigger", {})
            bad = check_span(trig.get("start"), trig.get("end"), n) if isinstance(trig, dict) else f"is {kind(trig)}, not an object"
            if bad:
                reader.part("bad-trigger-span", f"trigger {bad}", i + 1, sid)
                continue
            arg_list = list_field(ev, "arguments")
            if arg_list is None:
                reader.part("bad-argument", f"event mention {j}: arguments are {kind(ev['arguments'])}, not a list", i + 1, sid)
                arg_list = []
            args = []
            for a in arg_list:
                if not isinstance(a, dict):
                    reader.part("bad-argument", f"argument is {kind(a)}, not an object", i + 1, sid)
                    continue
                bad = check_span(a.get("start"), a.get("end"), n) or check_role(a.get("role"))
                if bad:
                    reader.part("bad-argument", f"argument {a.get('text')!r}: {bad}", i + 1, sid)
                    continue
                ent = next((e.id for e in entities if (e.start, e.end) == (a["start"], a["end"])), None)
                args.append(Argument(a["start"], a["end"], a["role"], ent, a.get("text", "")))
            events.append(EventMention(ev.get("event_type", ""), trig["start"], trig["end"], args, text=trig.get("text", "")))
        sent = Sentence(sid, list(tokens), entities, events, "", p, i + 1, rec)
        yield finish(sent, stats, reader)
