"""The shared scorer against hand-computed counts (duplicates, a missing sentence, an unmatched one)."""

from __future__ import annotations

import csv
import json

import pytest

from amrgnn.cli import main
from amrgnn.data.events import EventFormatError, read_events
from amrgnn.tasks.ee.score import score_events, write_per_type_csv

from ..conftest import FIXTURES

EV = FIXTURES / "events"
# by hand: see tests/fixtures/events/*.oneie.jsonl
EXPECTED = {
    "trigger_id": (3, 3, 1),
    "trigger_cls": (3, 3, 1),
    "arg_id": (3, 4, 3),
    "arg_cls": (3, 4, 2),
    "arg_id_plus": (3, 4, 2),
    "arg_cls_plus": (3, 4, 1),
}


def _prf(pred, gold, match):
    p = 100 * match / pred if pred else 0.0
    r = 100 * match / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def test_hand_computed_scores():
    score = score_events(read_events(EV / "gold.oneie.jsonl"), read_events(EV / "pred.oneie.jsonl"))
    for name, (pred, gold, match) in EXPECTED.items():
        m = score.metrics[name]
        assert (m.pred, m.gold, m.match) == (pred, gold, match), name
        assert (m.p, m.r, m.f1) == pytest.approx(_prf(pred, gold, match))
    assert score.missing_predictions == 1 and score.unmatched_predictions == ["other-9"]
    assert score.metrics["arg_cls"].f1 == pytest.approx(400 / 7)


def test_perfect_and_empty_predictions():
    gold = read_events(EV / "gold.oneie.jsonl")
    perfect = score_events(gold, gold)
    assert all(perfect.metrics[m].f1 == 100.0 for m in EXPECTED)
    nothing = score_events(gold, [])
    assert all(nothing.metrics[m].f1 == 0.0 and nothing.metrics[m].pred == 0 for m in EXPECTED)
    assert nothing.missing_predictions == 2


def test_per_type_csv(tmp_path):
    score = score_events(read_events(EV / "gold.oneie.jsonl"), read_events(EV / "pred.oneie.jsonl"))
    write_per_type_csv(score, tmp_path / "t.csv")
    rows = {r["event_type"]: r for r in csv.DictReader((tmp_path / "t.csv").open())}
    assert set(rows) == {"Conflict:Attack", "Life:Die", "Contact:Meet"}
    attack = rows["Conflict:Attack"]
    assert (attack["trigger_gold"], attack["trigger_pred"], attack["trigger_match"]) == ("1", "1", "1")
    assert (attack["arg_gold"], attack["arg_pred"], attack["arg_match"]) == ("2", "2", "1")
    assert rows["Life:Die"]["trigger_pred"] == "2"  # the wrong-offset trigger and the unmatched sentence's


def test_cli_evaluate_json(tmp_path, capsys):
    out_csv = tmp_path / "per_type.csv"
    assert main(["evaluate", "--gold", str(EV / "gold.oneie.jsonl"), "--pred", str(EV / "pred.oneie.jsonl"), "--json", "--per-type", str(out_csv)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= set(EXPECTED)
    assert data["arg_cls"]["f1"] == pytest.approx(400 / 7)
    assert out_csv.is_file()
    assert main(["evaluate", "--gold", str(EV / "empty.jsonl"), "--pred", str(EV / "pred.oneie.jsonl")]) == 2
    assert "empty.jsonl:1: no sentences" in capsys.readouterr().err


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_evaluate_accepts_any_well_formed_system_output(tmp_path, capsys):
    """System output may put two events on one word, repeat an event, or overlap triggers: it is
    scored (duplicates once); only spans out of range are refused."""
    gold = _write(tmp_path / "gold.jsonl", [{
        "wnd_id": "s1", "tokens": ["Rebels", "attacked", "and", "killed", "soldiers"],
        "entity_mentions": [{"id": "m1", "start": 0, "end": 1}, {"id": "m2", "start": 4, "end": 5}],
        "event_mentions": [  # gold: one word evoking two types is valid
            {"event_type": "Conflict:Attack", "trigger": {"start": 3, "end": 4}, "arguments": [{"entity_id": "m2", "role": "Target"}]},
            {"event_type": "Life:Die", "trigger": {"start": 3, "end": 4}, "arguments": [{"entity_id": "m2", "role": "Victim"}]},
        ],
    }])
    attack = {"event_type": "Conflict:Attack", "trigger": {"start": 3, "end": 4}, "arguments": [{"start": 4, "end": 5, "role": "Target"}]}
    pred = _write(tmp_path / "pred.jsonl", [{
        "wnd_id": "s1", "tokens": ["Rebels", "attacked", "and", "killed", "soldiers"],
        "event_mentions": [
            attack, attack,  # a duplicated event
            {"event_type": "Life:Die", "trigger": {"start": 3, "end": 4}, "arguments": []},  # same word, second type
            {"event_type": "Conflict:Attack", "trigger": {"start": 1, "end": 4}, "arguments": []},  # overlaps 3:4
        ],
    }])
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # triggers (type, span): predicted {Attack 3:4, Die 3:4, Attack 1:4} vs gold {Attack 3:4, Die 3:4}
    assert scores["trigger_cls"]["p"] == pytest.approx(200 / 3) and scores["trigger_cls"]["r"] == pytest.approx(100)
    # arguments: predicted {Attack/Target} (once) vs gold {Attack/Target, Die/Victim}
    assert scores["arg_cls"]["p"] == pytest.approx(100) and scores["arg_cls"]["r"] == pytest.approx(50)
    # the strict gold reader still refuses the overlapping trigger
    with pytest.raises(EventFormatError, match="overlapping-trigger"):
        read_events(pred)
    assert main(["evaluate", "--gold", str(pred), "--pred", str(pred)]) == 2
    assert "overlapping-trigger" in capsys.readouterr().err
    # out-of-range spans are not well-formed, even for a prediction
    bad = _write(tmp_path / "bad.jsonl", [{"wnd_id": "s1", "tokens": ["a"], "event_mentions": [
        {"event_type": "X", "trigger": {"start": 0, "end": 3}, "arguments": []}]}])
    assert main(["evaluate", "--gold", str(gold), "--pred", str(bad)]) == 2
    assert "bad.jsonl:1: sentence 's1'" in capsys.readouterr().err


def test_arg_span_ignores_types_and_roles():
    """Across schemas: the same trigger and argument spans under other types and roles score 0 on
    every typed metric and 100 on arg_span; a wrong trigger span misses arg_span too."""
    from amrgnn.data.events import Argument, EventMention, Sentence

    gold = [Sentence("s1", ["a", "b", "c", "d"], events=[EventMention("Attack", 1, 2, [Argument(0, 1, "Attacker"), Argument(3, 4, "Target")])])]
    retyped = [Sentence("s1", ["a", "b", "c", "d"], events=[EventMention("Adverse_event", 1, 2, [Argument(0, 1, "Subject"), Argument(3, 4, "Effect")])])]
    summary = score_events(gold, retyped).summary()
    assert summary["trigger_id"]["f1"] == 100.0 and summary["arg_id"]["f1"] == 0.0 and summary["arg_span"]["f1"] == 100.0
    shifted = [Sentence("s1", ["a", "b", "c", "d"], events=[EventMention("X", 2, 3, [Argument(0, 1, "R")])])]
    assert score_events(gold, shifted).summary()["arg_span"]["f1"] == 0.0
    assert "arg_span" not in score_events(gold, retyped).as_dict()  # evaluate --json keeps the OneIE/TextEE metrics
