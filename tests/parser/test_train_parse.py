"""train-parser -> parse -> evaluate-graphs end to end on the sample AMRs and a tiny backbone:
the predictor must learn the graphs it is trained on, and its files must round-trip."""

from __future__ import annotations

import json

import pytest

from amrgnn.cli import main
from amrgnn.graph.io import read_amr
from amrgnn.models import AMRDebertaForTokenGraph

from ..conftest import SAMPLE
from ..tiny_backbone import make_tiny_backbone


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("parser")
    backbone = make_tiny_backbone(root / "bb", [SAMPLE])
    out = root / "model"
    rc = main(["train-parser", "--data", str(SAMPLE), "--output-dir", str(out), "--backbone", str(backbone),
               "--max-steps", "60", "--batch-size", "4", "--learning-rate", "5e-3", "--head-learning-rate", "1e-2",
               "--dev", str(SAMPLE), "--eval-steps", "20", "--no-progress", "--seed", "1"])
    assert rc == 0
    return out


def test_learns_its_training_graphs(trained, tmp_path, capsys):
    summary = json.loads((trained / "data_summary.json").read_text())
    assert summary["graphs"] == {"train": 3, "dev": 3} and summary["arc_pos_weight"] > 1
    model = AMRDebertaForTokenGraph.from_pretrained(trained)
    assert 0 < model.config.tg_arc_threshold < 1 and model.config.graph_attention == "none"
    records = [json.loads(line) for line in (trained / "metrics.jsonl").read_text().splitlines()]
    assert records and all("labelled_f1" in r and "threshold" in r for r in records)
    pred = tmp_path / "parses.jsonl"
    capsys.readouterr()
    assert main(["parse", "--model", str(trained), "--input", str(SAMPLE), "--format", "amr", "--output", str(pred),
                 "--no-progress"]) == 0
    lines = [json.loads(line) for line in pred.read_text().splitlines()]
    amrs = list(read_amr(SAMPLE, progress=False))
    assert [r["id"] for r in lines] == [a.id for a in amrs] and [r["tokens"] for r in lines] == [a.tokens for a in amrs]
    for r in lines:
        assert all(0 <= i < len(r["tokens"]) and 0 <= j < len(r["tokens"]) and i != j and rel.startswith(":")
                   for i, j, rel in r["edges"])
    capsys.readouterr()
    assert main(["evaluate-graphs", "--gold", str(SAMPLE), "--pred", str(pred), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # the training graphs are learnt (and the threshold tuned on them)
    assert scores["unlabelled"]["f1"] > 60 and scores["labelled"]["f1"] > 40, scores
    assert scores["sentences"] == 3 and scores["missing_predictions"] == 0


def test_parse_other_formats_and_bad_input(trained, tmp_path, capsys):
    tokens = tmp_path / "t.jsonl"
    tokens.write_text(json.dumps({"id": "x", "tokens": ["the", "boy", "wants"]}) + "\n")
    text = tmp_path / "t.txt"
    text.write_text("The boy wants to go.\n\nThe girl sings\n")
    for path, fmt, ids in ((tokens, "tokens", ["x"]), (text, "text", ["1", "3"])):
        out = tmp_path / f"{fmt}.out.jsonl"
        assert main(["parse", "--model", str(trained), "--input", str(path), "--format", fmt, "--output", str(out),
                     "--no-progress"]) == 0
        assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ids
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"tokens": ["a"]}\n')
    assert main(["parse", "--model", str(trained), "--input", str(bad), "--format", "tokens", "--output",
                 str(tmp_path / "o.jsonl")]) == 2
    assert "bad.jsonl:1: expected an object with 'id'" in capsys.readouterr().err
    wrong = tmp_path / "wrong.jsonl"
    a = next(iter(read_amr(SAMPLE, progress=False)))
    wrong.write_text(json.dumps({"id": a.id, "tokens": ["other", "words"], "edges": []}) + "\n")
    assert main(["evaluate-graphs", "--gold", str(SAMPLE), "--pred", str(wrong)]) == 2
    assert "tokens differ from the gold AMR's" in capsys.readouterr().err


def test_event_extraction_with_predicted_graphs(trained, tmp_path, monkeypatch, capsys):
    """--graphs tokengraph:PATH and predicted:DIR give train-ee sub-word graphs; predict-ee reuses the
    predictor the model was trained with; mismatched words are a clear error."""
    from ..conftest import FIXTURES

    monkeypatch.setenv("AMRGNN_CACHE", str(tmp_path / "cache"))
    data = FIXTURES / "events" / "sample.events.jsonl"
    backbone = make_tiny_backbone(tmp_path / "bb", [SAMPLE])
    parses = tmp_path / "parses.jsonl"
    assert main(["parse", "--model", str(trained), "--input", str(data), "--format", "oneie", "--output", str(parses),
                 "--no-progress"]) == 0
    n_edges = sum(len(json.loads(line)["edges"]) for line in parses.read_text().splitlines())
    fast = ["--max-steps", "2", "--batch-size", "2", "--no-progress", "--backbone", str(backbone)]
    for spec in (f"tokengraph:{parses}", f"predicted:{trained}"):
        out = tmp_path / spec.split(":")[0]
        assert main(["train-ee", "--train", str(data), "--dev", str(data), "--graphs", spec, "--output-dir", str(out), *fast]) == 0
        summary = json.loads((out / "data_summary.json").read_text())["graphs"]["train"]
        assert summary["with_graph"] == 3 and summary["unknown_relations"] == 0
        assert (summary["subword_relations"] > 0) == (n_edges > 0)
    assert summary["predictor_sha256"] and list((tmp_path / "cache" / "token-graphs").glob("*.json"))
    capsys.readouterr()
    pred = tmp_path / "pred.jsonl"
    assert main(["predict-ee", "--model", str(tmp_path / "predicted"), "--input", str(data), "--output", str(pred)]) == 0
    assert len(pred.read_text().splitlines()) == 3
    wrong = tmp_path / "wrong.jsonl"
    first = json.loads(parses.read_text().splitlines()[0])
    wrong.write_text(json.dumps({**first, "tokens": first["tokens"][:-1], "edges": []}) + "\n")
    assert main(["train-ee", "--train", str(data), "--dev", str(data), "--graphs", f"tokengraph:{wrong}",
                 "--output-dir", str(tmp_path / "w"), *fast]) == 2
    assert "its tokens differ" in capsys.readouterr().err
