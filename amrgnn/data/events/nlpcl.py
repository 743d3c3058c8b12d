"""The nlpcl-lab/ace2005-preprocessing layout: one JSON list per split."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from .reading import Reader, check_span, finish
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
            reader.skip("no-tokens", "no words", i + 1, sid)
            continue
        n = len(tokens)
        entities = []
        for j, m in enumerate(rec.get("golden-entity-mentions", [])):
            bad = check_span(m.get("start"), m.get("end"), n)
            if bad:
                reader.part("bad-entity-span", f"entity {j}: {bad}", i + 1, sid)
                continue
            entities.append(EntityMention(m.get("entity_id", f"{sid}-E{j}"), m["start"], m["end"], m.get("entity-type"), m.get("text", "")))
        events = []
        for ev in rec.get("golden-event-mentions", []):
            trig = ev.get("trigger", {})
            bad = check_span(trig.get("start"), trig.get("end"), n)
            if bad:
                reader.part("bad-trigger-span", f"trigger {bad}", i + 1, sid)
                continue
            args = []
            for a in ev.get("arguments", []):
                bad = check_span(a.get("start"), a.get("end"), n)
                if bad or not a.get("role"):
                    reader.part("bad-argument", f"argument {a.get('text')!r}: {bad or 'no role'}", i + 1, sid)
                    continue
                ent = next((e.id for e in entities if (e.start, e.end) == (a["start"], a["end"])), None)
                args.append(Argument(a["start"], a["end"], a["role"], ent, a.get("text", "")))
            events.append(EventMention(ev.get("event_type", ""), trig["start"], trig["end"], args, text=trig.get("text", "")))
        sent = Sentence(sid, list(tokens), entities, events, "", p, i + 1, rec)
        yield finish(sent, stats, reader)


