"""Task streams, low-resource subsets and domains: checked against the published ACE split, hand
counts and the public GENEVA corpus."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from amrgnn.data.domains import ACE_GENRES, ace_genre, split_by_domain
from amrgnn.data.events import ACE33_EVENT_TYPES, EventMention, Sentence, read_events
from amrgnn.data.streams import (
    StreamsFormatError,
    assign_tasks,
    read_streams,
    restrict_events,
    split_types,
    task_orders,
)
from amrgnn.data.subsample import (
    DEGREE_ACE_DOCUMENTS,
    resolve_sizes,
    sample_training,
    training_units,
)

from ..conftest import ROOT, SHARED_DATA


def _geneva_train():
    p = SHARED_DATA / "geneva" / "train-lr1200-s160.json"
    if not p.is_file():
        pytest.skip(f"GENEVA not found at {p}")
    return read_events(p)


def test_published_ace_streams_file():
    streams = read_streams(ROOT / "data" / "streams" / "ace05-5tasks.json")
    assert [len(t) for t in streams] == [9, 6, 5, 5, 8]  # Yu et al. (2021), ../shared/formats.md
    assert sorted(t for task in streams for t in task) == sorted(ACE33_EVENT_TYPES)


@pytest.mark.parametrize(("content", "match"), [
    ('{"a": 1}', "list of lists"),
    ('[["A"], []]', "task 1 has no event types"),
    ('[["A", "B"], ["B"]]', "'B' is in task 0 and task 1"),
    ('[["A", 3]]', "3 is not an event-type name"),
    ('[["A"],\n oops]', ":2: not JSON"),
])
def test_bad_streams_files_name_the_problem(tmp_path, content, match):
    p = tmp_path / "streams.json"
    p.write_text(content)
    with pytest.raises(StreamsFormatError, match=match) as e:
        read_streams(p)
    assert str(p) in str(e.value)


def test_split_types_sizes_and_determinism():
    types = [f"T{i:02d}" for i in range(33)]
    split = split_types(types, 5, seed=3)
    assert [len(t) for t in split] == [7, 7, 7, 6, 6]
    assert sorted(t for task in split for t in task) == types
    assert split == split_types(reversed(types), 5, seed=3)  # input order does not matter
    assert split != split_types(types, 5, seed=4)
    with pytest.raises(ValueError, match="cannot split 3 event types into 4"):
        split_types(["a", "b", "c"], 4)


def test_task_orders():
    orders = task_orders(5, 5, seed=0)
    assert orders[0] == [0, 1, 2, 3, 4]
    assert all(sorted(o) == [0, 1, 2, 3, 4] for o in orders)
    assert len({tuple(o) for o in orders}) == 5
    assert task_orders(3, 6) and len(task_orders(3, 6)) == 6  # all 3! orders
    with pytest.raises(ValueError, match="only 6 orders"):
        task_orders(3, 7)


def _sent(i, *types):
    return Sentence(f"s{i}", ["w"] * 4, events=[EventMention(t, k, k + 1, []) for k, t in enumerate(types)])


def test_assign_tasks_hand_case():
    sents = [_sent(0, "A"), _sent(1, "A", "C"), _sent(2), _sent(3, "Z"), _sent(4), _sent(5, "B"), _sent(6)]
    members, stats = assign_tasks(sents, [["A", "B"], ["C"]], seed=0)
    events = [set(members[0]) - {2, 3, 4, 6}, set(members[1]) - {2, 3, 4, 6}]
    assert events == [{0, 1, 5}, {1}]
    negatives = [set(m) & {2, 3, 4, 6} for m in members]
    assert sorted(len(n) for n in negatives) == [2, 2]  # 4 negatives (3 is only of an outside type) dealt 2/2
    assert negatives[0] | negatives[1] == {2, 3, 4, 6} and not negatives[0] & negatives[1]
    assert stats.events_per_task == [3, 1] and stats.events_outside_streams == Counter({"Z": 1})
    assert stats.sentences_in_several_tasks == 1 and stats.negatives_per_task == [2, 2]


def test_assign_tasks_reconciles_on_geneva():
    train = _geneva_train()
    streams = split_types({e.type for s in train for e in s.events}, 5, seed=0)
    members, stats = assign_tasks(train, streams, seed=0)
    task_of = {t: k for k, task in enumerate(streams) for t in task}
    for i, s in enumerate(train):  # a sentence is in exactly the tasks of its types
        assert {k for k in range(5) if i in members[k]} == {task_of[e.type] for e in s.events}
    assert sum(stats.events_per_task) + sum(stats.events_outside_streams.values()) == stats.events == 1200
    assert [len(m) for m in members] == stats.sentences_per_task
    # restricting each task's sentences to its types keeps exactly that task's events
    for k, task in enumerate(streams):
        assert sum(len(restrict_events(train[i], task).events) for i in members[k]) == stats.events_per_task[k]


def test_restrict_events_copies():
    s = _sent(0, "A", "B")
    r = restrict_events(s, ["B"])
    assert [e.type for e in r.events] == ["B"] and [e.type for e in s.events] == ["A", "B"]


def test_resolve_sizes():
    assert resolve_sizes(None, 529) == list(DEGREE_ACE_DOCUMENTS)
    assert resolve_sizes(None, 82) == [1, 2, 4, 8, 16, 25, 41, 62]  # round(f * 82): 2% and 3% both give 2
    assert resolve_sizes(["5%", "0.5", "7", "7"], 100) == [5, 7, 50]
    with pytest.raises(ValueError, match="asks for 200 units"):
        resolve_sizes(["200"], 100)
    with pytest.raises(ValueError, match="expected a count"):
        resolve_sizes(["ten"], 100)


def test_document_sampling_on_geneva():
    train = _geneva_train()
    unit, units = training_units(train)
    docs = Counter(s.doc_id for s in train)
    assert unit == "documents" and len(units) == len(docs) == 82
    small, large = sample_training(train, 5, seed=1), sample_training(train, 20, seed=1)
    for subset, n in ((small, 5), (large, 20)):
        chosen = Counter(s.doc_id for s in subset)
        assert len(chosen) == n and all(chosen[d] == docs[d] for d in chosen)  # whole documents
    assert {s.id for s in small} <= {s.id for s in large}  # nested for one seed
    assert {s.doc_id for s in sample_training(train, 5, seed=2)} != {s.doc_id for s in small}
    assert [s.id for s in small] == [s.id for s in train if s.doc_id in {x.doc_id for x in small}]  # corpus order
    assert training_units(train, "sentences")[1] == [[i] for i in range(len(train))]


def test_sentences_without_documents():
    sents = [_sent(i) for i in range(10)]
    assert training_units(sents)[0] == "sentences"
    with pytest.raises(ValueError, match="has no doc_id"):
        training_units(sents, "documents")


@pytest.mark.parametrize(("doc_id", "genre"), [
    ("CNN_ENG_20030626_193133.8", "bn"), ("CNNHL_ENG_20030304_142751.10", "bn"),
    ("AFP_ENG_20030304.0250", "nw"), ("APW_ENG_20030322.0119", "nw"), ("NYT_ENG_20030403.0008", "nw"),
    ("XIN_ENG_20030405.0080", "nw"), ("CNN_CF_20030303.1900.00", "bc"), ("CNN_IP_20030405.1600.02", "bc"),
    ("CNN_LE_20030504.1200.01", "bc"), ("fsh_29786", "cts"), ("AGGRESSIVEVOICEDAILY_20041116.1347", "wl"),
    ("FLOPPINGACES_20041113.1528.042", "wl"), ("alt.atheism_20041104.2428", "un"),
    ("rec.travel.cruises_20050216.1636", "un"), ("Austin-Grad-Community_20050212.2454", "un"),
])
def test_ace_genres(doc_id, genre):
    assert ace_genre(doc_id) == genre and genre in ACE_GENRES


def test_unknown_genre_names_the_sentence(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps({"doc_id": "135_23605", "wnd_id": "w1", "tokens": ["a"], "entity_mentions": [],
                             "event_mentions": []}) + "\n")
    with pytest.raises(ValueError, match=r"x\.jsonl:1: sentence 'w1'.*'135_23605' matches no ACE2005 genre"):
        split_by_domain(read_events(p))
