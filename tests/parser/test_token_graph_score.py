"""Token-graph scoring against hand-computed counts, and the reader of parse outputs."""

from __future__ import annotations

import json

import pytest

from amrgnn.data.token_graphs import read_token_graphs
from amrgnn.errors import InputError
from amrgnn.tasks.parser.score import score_graphs


def test_scores_by_hand():
    gold = [("s1", [(0, 1, ":ARG0"), (1, 2, ":ARG1"), (2, 3, ":instance"), (3, 2, ":instance")]),
            ("s2", [(0, 1, ":mod")]),
            ("s3", [(1, 0, ":ARG0")])]  # s3 has no prediction: all misses
    pred = {"s1": [(0, 1, ":ARG0"), (1, 2, ":ARG2"), (2, 3, ":instance"), (0, 3, ":ARG1")],
            "s2": [(0, 1, ":mod"), (0, 1, ":mod")],  # a duplicate counts once
            "zz": [(0, 1, ":ARG0")]}  # not in gold: a false positive
    s = score_graphs(gold, pred)
    # labelled: pred {s1: 4, s2: 1, zz: 1} = 6, gold 4 + 1 + 1 = 6, matched: (0,1,ARG0) (2,3,inst) (0,1,mod) = 3
    assert (s.labelled.pred, s.labelled.gold, s.labelled.match) == (6, 6, 3)
    # unlabelled: matched (0,1) (1,2) (2,3) in s1 and (0,1) in s2 = 4
    assert (s.unlabelled.pred, s.unlabelled.gold, s.unlabelled.match) == (6, 6, 4)
    assert s.unlabelled.f1 == pytest.approx(100 * 4 / 6)
    assert (s.instance.pred, s.instance.gold, s.instance.match) == (1, 2, 1)
    assert (s.relations_only.pred, s.relations_only.gold, s.relations_only.match) == (5, 4, 2)
    arg1 = s.per_relation[":ARG1"]
    assert (arg1.pred, arg1.gold, arg1.match) == (1, 1, 0)
    assert s.missing_predictions == 1 and s.unmatched_predictions == ["zz"] and s.sentences == 3


def test_read_token_graphs_errors(tmp_path):
    good = tmp_path / "g.jsonl"
    good.write_text(json.dumps({"id": "a", "tokens": ["x", "y"], "edges": [[0, 1, ":ARG0"]]}) + "\n")
    assert read_token_graphs(good) == {"a": (["x", "y"], [(0, 1, ":ARG0")])}
    for bad, why in ([[0, 0, ":ARG0"]], "bad edge"), ([[0, 5, ":ARG0"]], "bad edge"), ([[0, 1]], "bad edge"):
        f = tmp_path / "b.jsonl"
        f.write_text("\n" + json.dumps({"id": "a", "tokens": ["x", "y"], "edges": bad}) + "\n")
        with pytest.raises(InputError, match=rf"b.jsonl:2: sentence 'a': {why}"):
            read_token_graphs(f)
    f = tmp_path / "d.jsonl"
    f.write_text((json.dumps({"id": "a", "tokens": ["x"], "edges": []}) + "\n") * 2)
    with pytest.raises(InputError, match="d.jsonl:2: sentence 'a' repeats"):
        read_token_graphs(f)
