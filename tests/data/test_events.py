"""Event readers: the public corpora's published counts, hand-made layouts, and bad input."""

from __future__ import annotations

import pytest

from amrgnn.data.events import EventFormatError, EventReadStats, merge_time_roles, read_events

from ..conftest import FIXTURES, SHARED_DATA

EV = FIXTURES / "events"


def _shared(rel: str):
    p = SHARED_DATA / rel
    if not p.is_file():
        pytest.skip(f"{p} not found (../shared/data is absent)")
    return p


@pytest.mark.parametrize(
    ("rel", "sentences", "events", "arguments"),
    [("geneva/val.json", 783, 1442, 2383), ("geneva/train-lr1200-s160.json", 564, 1200, 2011)],
)
def test_geneva_counts_match_its_readme(rel, sentences, events, arguments):
    stats = EventReadStats()
    sents = read_events(_shared(rel), "oneie", stats=stats)
    assert (len(sents), stats.events, stats.arguments) == (sentences, events, arguments)
    assert stats.dropped == {} and stats.skipped_sentences == {}
    s = sents[0]
    for ev in s.events:
        for a in ev.arguments:
            ent = next(e for e in s.entities if e.id == a.entity_id)
            assert (a.start, a.end) == (ent.start, ent.end)


def test_phee_character_offsets_to_words():
    stats = EventReadStats()
    sents = read_events(_shared("phee/dev.json"), "phee", stats=stats)
    assert len(sents) == 961 and stats.events == 1003  # the README's dev counts
    for s in sents[:200]:
        ctx = s.raw["context"]
        for ev in s.events:
            # the trigger's words spell the annotated trigger text
            trig = s.raw["annotations"][0]["events"][[e.id for e in s.events].index(ev.id)]["Trigger"]["text"][0]
            assert " ".join(s.tokens[ev.start : ev.end]).replace(" ", "") == "".join(trig).replace(" ", "")
            assert ctx
    roles = {a.role for s in sents for ev in s.events for a in ev.arguments}
    assert {"Treatment", "Drug", "Effect", "Subject"} <= roles  # main and nested sub-arguments


def test_nlpcl_layout_and_time_roles():
    sents = read_events(EV / "dev.nlpcl.json", "nlpcl")
    assert sents[0].id == "dev.nlpcl-0" and sents[0].tokens == ["Rebels", "attacked", "the", "base"]
    ev = sents[0].events[0]
    assert (ev.type, ev.start, ev.end) == ("Conflict:Attack", 1, 2)
    assert [(a.start, a.end, a.role, a.entity_id) for a in ev.arguments] == [(0, 1, "Attacker", "E1"), (3, 4, "Time-Within", None)]
    assert merge_time_roles(sents) == 1 and ev.arguments[1].role == "Time"


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [("bad-trigger-span", "b1"), ("bad-trigger-span", "b2"), ("missing-entity", "b3"), ("overlapping-trigger", "b4")],
)
def test_bad_records_name_file_line_and_sentence(reason, sentence, tmp_path):
    lines = (EV / "bad.oneie.jsonl").read_text().splitlines()
    line = next(i for i, x in enumerate(lines, 1) if f'"{sentence}"' in x)
    one = tmp_path / "one.jsonl"
    one.write_text(lines[line - 1] + "\n")
    with pytest.raises(EventFormatError, match=rf"one.jsonl:1: sentence '{sentence}': .*\[{reason}\]"):
        read_events(one, "oneie")


def test_skip_invalid_counts_everything():
    stats = EventReadStats()
    sents = read_events(EV / "bad.oneie.jsonl", "oneie", skip_invalid=True, stats=stats)
    assert len(sents) == stats.sentences == stats.records == 5
    assert dict(stats.dropped) == {"bad-trigger-span": 2, "missing-entity": 1, "overlapping-trigger": 1}
    assert stats.examples["missing-entity"] == ["b3"]
    b3 = next(s for s in sents if s.id == "b3")
    assert len(b3.events) == 1 and b3.events[0].arguments == []


def test_empty_file_and_unknown_format():
    with pytest.raises(EventFormatError, match=r"empty.jsonl:1: no sentences \[empty-file\]"):
        read_events(EV / "empty.jsonl", "oneie")
    with pytest.raises(ValueError, match="unknown event format 'conll'; choose from oneie, nlpcl, phee"):
        read_events(EV / "gold.oneie.jsonl", "conll")


def test_bad_json_line(tmp_path):
    f = tmp_path / "mixed.jsonl"
    good = (EV / "gold.oneie.jsonl").read_text().splitlines()[0]
    f.write_text(good + "\n{not json\n")
    with pytest.raises(EventFormatError, match=r"mixed.jsonl:2: not JSON .*\[bad-json\]"):
        read_events(f, "oneie")
    stats = EventReadStats()
    assert len(read_events(f, "oneie", skip_invalid=True, stats=stats)) == 1
    assert stats.records == 2 and dict(stats.skipped_sentences) == {"bad-json": 1}
