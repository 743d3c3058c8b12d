"""The study (benchmarks/study.py) end to end on a tiny backbone: every condition's model is what it
claims (graph input, MLGM backbone, scaffold without graph input), the JSON holds the scores
``amrgnn evaluate --json`` prints, the report's paired differences are recomputed by hand, finished
runs are read back, and a changed recipe is refused. Also the training schedule of small sets."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from amrgnn.data.events import read_events
from amrgnn.tasks.ee.config import EEConfig
from amrgnn.tasks.ee.score import METRICS
from amrgnn.tasks.ee.train import training_schedule
from amrgnn.tasks.protocols import runs as ee_runs

from ..conftest import ROOT, SAMPLE, SHARED_DATA
from ..event_corpus import TRIGGERS, WORDS, write_event_corpus
from ..tiny_backbone import make_tiny_backbone


def _study():
    spec = importlib.util.spec_from_file_location("study_under_test", ROOT / "benchmarks" / "study.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("steps_per_epoch", "epochs", "min_steps", "evaluations", "want"),
    [
        (36, 16, 200, 8, (16.0, 72)),  # 576 steps >= 200: 16 epochs, an evaluation every 2 epochs
        (9, 16, 200, 8, (24.0, 27)),  # 144 < 200 steps: ceil(200 / 9) = 23 epochs, every 3 -> 24 epochs
        (3, 16, 200, 10, (70.0, 21)),  # ceil(200 / 3) = 67 epochs, every ceil(67 / 10) = 7 -> 70
        (3, 16, 0, 0, (16.0, 3)),  # the plain recipe: every epoch
    ],
)
def test_training_schedule(steps_per_epoch, epochs, min_steps, evaluations, want):
    cfg = EEConfig(train="t", dev="d", output_dir="o", epochs=epochs, min_steps=min_steps, evaluations=evaluations)
    assert training_schedule(cfg, steps_per_epoch) == want


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    d = tmp_path_factory.mktemp("study")
    backbone = make_tiny_backbone(d / "bb", [SAMPLE], extra_words=WORDS)
    files = [write_event_corpus(d / f"{n}.jsonl", docs=k, seed=s) for n, k, s in (("train", 6, 0), ("dev", 3, 1), ("test", 3, 2))]
    graphs = d / "graphs.jsonl"  # every trigger word -> the first word, :ARG0; the first word's own :instance-free graph
    with open(graphs, "w", encoding="utf-8") as f:
        for path in files:
            for s in read_events(path):
                edges = [[i, 0, ":ARG0"] for i, w in enumerate(s.tokens) if w in TRIGGERS.values() and i]
                f.write(json.dumps({"id": s.id, "tokens": s.tokens, "edges": edges}) + "\n")
    return d, backbone, files, graphs


def _args(d, backbone, files, graphs, *extra):
    return ["--train", str(files[0]), "--dev", str(files[1]), "--dev-docs", "none", "--test", str(files[2]), "--test-docs", "none",
            "--sizes", "50%", "100%", "--seeds", "1,2", "--conditions", "text,mlgm,graph,amr,scaffold", "--backbone", str(backbone),
            "--mlgm", str(backbone), "--graphs", f"tokengraph:{graphs}", "--epochs", "1", "--min-steps", "3", "--evaluations", "1",
            "--output-dir", str(d / "out"), "--json", str(d / "study.json"), "--target-test", "none", "--no-progress", *extra]


def test_study_end_to_end(setup, monkeypatch, capsys):
    d, backbone, files, graphs = setup
    study = _study()
    assert study.main(_args(d, backbone, files, graphs)) == 0
    data = json.loads((d / "study.json").read_text())
    runs = data["runs"]
    assert len(runs) == 2 * 2 * 5
    assert {(r["condition"], r["size"], r["seed"]) for r in runs} == {
        (c, s, k) for c in ("text", "mlgm", "graph", "amr", "scaffold") for s in ("50%", "100%") for k in (1, 2)}
    for r in runs:
        for split in ("dev", "test"):
            assert set(r[split]) == {*METRICS, "arg_span"} and all(set(v) == {"p", "r", "f1"} for v in r[split].values())
        assert r["train_documents"] == (3 if r["size"] == "50%" else 6)

    def run_dir(cond, size="100%", seed=1):
        return d / "out" / "runs" / "lowres" / cond / f"documents{6 if size == '100%' else 3}-seed{seed}" / "model"

    cfg = {c: json.loads((run_dir(c) / "config.json").read_text()) for c in ("text", "graph", "scaffold")}
    summary = {c: json.loads((run_dir(c) / "data_summary.json").read_text()) for c in ("text", "graph", "scaffold")}
    assert cfg["text"]["graph_attention"] == "none" and cfg["text"]["ee_scaffold_weight"] == 0.0
    assert cfg["graph"]["graph_attention"] == "multiscale" and summary["graph"]["graphs"]["test"]["with_graph"] > 0
    # the scaffold learns from the training graphs only; its encoder reads none
    assert cfg["scaffold"]["graph_attention"] == "none" and cfg["scaffold"]["ee_scaffold_weight"] == 1.0
    assert summary["scaffold"]["graphs"]["train"]["with_graph"] > 0 and set(summary["scaffold"]["graphs"]) == {"train"}
    ee_cfg = json.loads((run_dir("amr") / "ee_config.json").read_text())
    assert ee_cfg["backbone"] == str(backbone) and ee_cfg["select_metric"] == "cls_mean" and ee_cfg["min_steps"] == 3
    # the report's paired difference, by hand: mean over seeds of (graph - text) Arg-C on test
    report = (d / "out" / "report.md").read_text()
    by = {(r["condition"], r["size"], r["seed"]): r for r in runs}
    diffs = [by["graph", "50%", k]["test"]["arg_cls"]["f1"] - by["text", "50%", k]["test"]["arg_cls"]["f1"] for k in (1, 2)]
    mean = sum(diffs) / 2
    half = 12.706205 * abs(diffs[0] - diffs[1]) / 2 ** 0.5 / 2 ** 0.5  # t(0.975, 1) * sd / sqrt(2)
    row = next(line for line in report.splitlines() if line.startswith("| 50% | graph |"))
    assert row.split("|")[-2].strip() == f"{mean:.1f} ± {half:.1f}"
    assert (d / "out" / "study.png").stat().st_size > 0
    # finished runs are read back from the JSON, or from their results.json without it
    monkeypatch.setattr(ee_runs, "fit_event_model", lambda *a, **k: pytest.fail("retrained a finished run"))
    assert study.main(_args(d, backbone, files, graphs)) == 0
    (d / "study.json").unlink()
    assert study.main(_args(d, backbone, files, graphs)) == 0
    assert len(json.loads((d / "study.json").read_text())["runs"]) == 20
    # another recipe is refused rather than mixed into the same table
    with pytest.raises(SystemExit, match="another recipe"):
        study.main(_args(d, backbone, files, graphs, "--min-steps", "4"))
    capsys.readouterr()
    assert study.main(["--report-only", "--json", str(d / "study.json"), "--output-dir", str(d / "redrawn")]) == 0
    assert "| 50% | graph |" in capsys.readouterr().out


def _mini_phee(d, n=(10, 6, 6)):
    """The first lines of the shared PHEE files (read in place; written to a temporary directory)."""
    src = SHARED_DATA / "phee"
    if not (src / "train.json").is_file():
        pytest.skip(f"{src}: PHEE is absent")
    d.mkdir()
    for split, k in zip(("train", "dev", "test"), n, strict=True):
        lines = (src / f"{split}.json").read_text(encoding="utf-8").splitlines()[:k]
        (d / f"{split}.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_study_crossdomain_and_levers(setup, monkeypatch):
    """GENEVA -> PHEE is the 100% low-resource run scored on PHEE test; PHEE -> GENEVA trains on PHEE,
    scores PHEE test and the GENEVA test; a lever is trained as defined and compared with the condition
    it varies; a changed definition is refused."""
    d, backbone, files, graphs = setup
    phee = _mini_phee(d / "phee")
    study = _study()
    out, js = d / "cross", d / "cross.json"
    args = ["--train", str(files[0]), "--dev", str(files[1]), "--dev-docs", "none", "--test", str(files[2]), "--test-docs", "none",
            "--seeds", "1,2", "--conditions", "text,graph,graph-slow", "--backbone", str(backbone), "--graphs", f"tokengraph:{graphs}",
            "--epochs", "1", "--min-steps", "2", "--evaluations", "1", "--output-dir", str(out), "--json", str(js),
            "--settings", "crossdomain", "--phee", str(phee), "--target-test", str(phee / "test.json"),
            "--phee-sentences", "8", "--phee-dev-sentences", "4", "--no-progress"]
    assert study.main(args) == 0
    data = json.loads(js.read_text())
    low = [r for r in data["runs"] if r["setting"] == "lowres"]
    cross = [r for r in data["runs"] if r["setting"] == "crossdomain"]
    assert {(r["condition"], r["size"], r["seed"]) for r in low} == {(c, "100%", k) for c in ("text", "graph", "graph-slow") for k in (1, 2)}
    assert all(set(r["target"]) == {*METRICS, "arg_span"} for r in low + cross)
    assert {(r["condition"], r["source"], r["target"] and "geneva", r["seed"]) for r in cross} == {
        (c, "phee", "geneva", k) for c in ("text", "graph", "graph-slow") for k in (1, 2)}
    assert all(r["train_sentences"] == 8 for r in cross)
    # GENEVA models have no candidates on PHEE (no entity mentions): no argument is predicted there
    assert all(r["target"]["arg_id"]["f1"] == 0.0 for r in low)
    run = out / "runs" / "crossdomain" / "graph-slow" / "phee8-seed1" / "model"
    assert json.loads((run / "ee_config.json").read_text())["graph_learning_rate"] == 5e-5
    assert json.loads((run / "ee_config.json").read_text())["format"] == "phee"
    assert data["conditions"]["graph-slow"]["lever_of"] == "graph"
    report = (out / "report.md").read_text()
    by = {(r["condition"], r["seed"]): r for r in cross}
    diffs = [by["graph", k]["target"]["trigger_id"]["f1"] - by["text", k]["target"]["trigger_id"]["f1"] for k in (1, 2)]
    row = next(line for line in report.splitlines() if line.startswith("| PHEE → GENEVA | graph |")).split("|")
    assert row[-3].strip().startswith(f"{sum(diffs) / 2:.1f}")  # Δ out Trig-I
    spans = [by["graph", k]["target"]["arg_span"]["f1"] - by["text", k]["target"]["arg_span"]["f1"] for k in (1, 2)]
    assert row[-2].strip().startswith(f"{sum(spans) / 2:.1f}")  # Δ out Arg-I (untyped)
    lever_row = next(line for line in report.splitlines() if line.startswith("| graph-slow | graph | 100% | 2 |")).split("|")
    low_by = {(r["condition"], r["seed"]): r for r in low}
    varied = [low_by["graph-slow", k]["test"]["arg_cls"]["f1"] - low_by["graph", k]["test"]["arg_cls"]["f1"] for k in (1, 2)]
    assert lever_row[-2].strip().startswith(f"{sum(varied) / 2:.1f}")  # test Δ Arg-C against the varied condition
    # and the goal, lever by lever: the 100% cell needs both deltas >= -0.5 (by hand from the runs)
    lever = [r for r in low if r["condition"] == "graph-slow"]
    base = {r["seed"]: r for r in low if r["condition"] == "text"}
    da, dt = (sum(r["test"][m]["f1"] - base[r["seed"]]["test"][m]["f1"] for r in lever) / 2 for m in ("arg_cls", "trigger_cls"))
    mark = "✓" if da >= -0.5 and dt >= -0.5 else "✗"
    assert f"- **graph-slow**: 100%: Δ Arg-C {da:+.1f}, Δ Trig-C {dt:+.1f} {mark}" in report.split("lever by lever")[1]
    # a condition whose definition changed is not mixed with its earlier runs
    monkeypatch.setitem(study.CONDITIONS, "graph-slow", study.Condition(graphs=True, train={"graph_learning_rate": 1e-4}, lever_of="graph"))
    with pytest.raises(SystemExit, match="changed"):
        study.main(args)


def test_study_continual(setup):
    """The continual setting: each (condition, method, seed) is one ``amrgnn continual`` run on the
    study's dev/test documents; the row's average is its curve's mean; the report's Δ is paired."""
    d, backbone, files, graphs = setup
    study = _study()
    out, js = d / "continual", d / "continual.json"
    args = ["--train", str(files[0]), "--dev", str(files[1]), "--dev-docs", "none", "--test", str(files[2]), "--test-docs", "none",
            "--seeds", "1", "--conditions", "text,graph,scaffold", "--backbone", str(backbone), "--graphs", f"tokengraph:{graphs}",
            "--settings", "continual", "--continual-methods", "finetune,joint", "--continual-epochs", "1",
            "--output-dir", str(out), "--json", str(js), "--no-progress"]
    assert study.main(args) == 0
    runs = json.loads(js.read_text())["runs"]
    assert {(r["condition"], r["method"]) for r in runs} == {(c, m) for c in ("text", "graph") for m in ("finetune", "joint")}
    for r in runs:
        curve = r["test"]["trigger_cls"]["curve"]
        assert len(curve) == 5 and r["epochs"] == [1] * 5
        assert abs(r["test"]["trigger_cls"]["average"] - sum(curve) / 5) < 1e-9
    by = {(r["condition"], r["method"]): r for r in runs}
    run_cfg = json.loads(next((out / "runs" / "continual" / "graph" / "runs").glob("joint-*/order0-seed1/run.json")).read_text())
    assert run_cfg["config"]["graphs"] == f"tokengraph:{graphs}" and run_cfg["config"]["base"]["test"].endswith("data/test.json")
    report = (out / "report.md").read_text()
    row = next(line for line in report.splitlines() if line.startswith("| joint | graph |")).split("|")
    want = by["graph", "joint"]["test"]["trigger_cls"]["average"] - by["text", "joint"]["test"]["trigger_cls"]["average"]
    assert row[9].strip() == f"{want:.1f}"
    assert row[11].strip() == " / ".join(f"{v:.1f}" for v in by["graph", "joint"]["test"]["trigger_cls"]["curve"])
    assert (out / "continual.png").stat().st_size > 0


def test_interpolated_mlgm_checkpoint_is_the_weighted_average(tmp_path):
    """``mlgm-avg``: every weight the plain backbone shares with the MLGM checkpoint (which names it
    with ``deberta.``) is ``(1 - a) * plain + a * mlgm``; MLGM's own weights are kept as they are."""
    import torch
    from safetensors.torch import load_file, save_file

    study = _study()
    plain = make_tiny_backbone(tmp_path / "plain", [SAMPLE])
    base = load_file(str(plain / "model.safetensors"))
    mlgm = tmp_path / "mlgm"
    mlgm.mkdir()
    torch.manual_seed(0)
    tuned = {f"deberta.{k}": v + torch.randn_like(v) for k, v in base.items()}
    tuned["deberta.encoder.layer.0.attention.self.graph_key_proj.weight"] = torch.randn(32, 8)
    tuned["cls.predictions.bias"] = torch.randn(5)
    save_file(tuned, str(mlgm / "model.safetensors"))
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        (mlgm / name).write_text((plain / name).read_text())
    out = study.interpolate_checkpoint(plain, mlgm, tmp_path / "avg", 0.25)
    mixed = load_file(str(out / "model.safetensors"))
    assert set(mixed) == set(tuned)
    for k, v in base.items():
        torch.testing.assert_close(mixed[f"deberta.{k}"], 0.75 * v + 0.25 * tuned[f"deberta.{k}"])
    for k in ("deberta.encoder.layer.0.attention.self.graph_key_proj.weight", "cls.predictions.bias"):
        assert torch.equal(mixed[k], tuned[k])
    assert (out / "config.json").read_text() == (plain / "config.json").read_text()
    assert json.loads((out / "mlgm_done.json").read_text())["shared_weights"] == len(base)
    # a backbone weight without a counterpart is an error, not a silent half-average
    del tuned["deberta.embeddings.word_embeddings.weight"]
    save_file(tuned, str(mlgm / "model.safetensors"))
    with pytest.raises(SystemExit, match="have a counterpart"):
        study.interpolate_checkpoint(plain, mlgm, tmp_path / "avg2", 0.5)


def test_graph_input_and_scaffold_together_are_refused():
    """train-ee turns the graph attention off under the scaffold, so such a condition would silently
    be the scaffold condition again (two levers once measured identical, seed for seed); graphs for
    the argument head only (--argument-graph) go with the scaffold."""
    study = _study()
    with pytest.raises(ValueError, match="not both"):
        study.Condition(graphs=True, scaffold=True)
    assert all(not (c.graphs and c.scaffold) or c.train.get("argument_graph") for c in study.CONDITIONS.values())
    # graphs for the argument head only leave the encoder free for the scaffold: allowed
    study.Condition(graphs=True, scaffold=True, train={"argument_graph": True})


def _curve_module():
    spec = importlib.util.spec_from_file_location("predictor_curve_under_test", ROOT / "benchmarks" / "predictor_curve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(condition, seed, dev, test, size="10%"):
    def scores(pair):
        return {"trigger_cls": {"f1": pair[0]}, "arg_cls": {"f1": pair[1]}}
    return {"setting": "lowres", "condition": condition, "size": size, "seed": seed, "dev": scores(dev), "test": scores(test)}


def test_predictor_curve_pairs_by_seed(tmp_path):
    """benchmarks/predictor_curve.py: the gain of a condition over text per predictor, paired by seed
    (a seed without its text run is left out, another size is ignored), rows ordered by the
    predictor's dev F1; the mean and interval are recomputed by hand (t(0.975, 1) = 12.706)."""
    curve = _curve_module()
    weak = {"prerequisites": {"predictor": {"path": "p25", "dev_labelled_f1": 27.0, "dev_unlabelled_f1": 38.0}},
            "runs": [_run("text", 1, (40, 10), (41, 9)), _run("graph-arg", 1, (41, 11), (41, 10)),
                     _run("text", 2, (44, 12), (40, 12)), _run("graph-arg", 2, (43, 12), (42, 13)),
                     _run("graph-arg", 3, (99, 99), (99, 99)), _run("graph-arg", 1, (0, 0), (0, 0), size="25%")]}
    strong = {"prerequisites": {"predictor": {"path": "p100", "dev_labelled_f1": 45.0, "dev_unlabelled_f1": 55.0}},
              "runs": [_run("text", 1, (40, 10), (41, 9)), _run("graph-arg", 1, (40, 14), (41, 13))]}
    paths = []
    for name, study in (("strong", strong), ("weak", weak)):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(study))
    out = tmp_path / "curve.json"
    assert curve.main([str(p) for p in paths] + ["--json", str(out), "--plot", str(tmp_path / "curve.png")]) == 0
    rows = json.loads(out.read_text())["rows"]
    assert [r["predictor"] for r in rows] == ["p25", "p100"]
    assert rows[0]["seeds"] == [1, 2]
    arg = rows[0]["test_delta_arg_cls"]  # deltas +1 and +1
    assert arg["per_seed"] == [1, 1] and arg["mean"] == 1 and arg["ci95"] == pytest.approx(0.0)
    trig = rows[0]["dev_delta_trigger_cls"]  # deltas +1 and -1: sd sqrt(2), half-width 12.706 * sqrt(2) / sqrt(2)
    assert trig["mean"] == 0 and trig["ci95"] == pytest.approx(12.706, abs=1e-3)
    assert rows[1]["test_delta_arg_cls"]["mean"] == 4 and rows[1]["test_delta_arg_cls"]["ci95"] is None
    assert (tmp_path / "curve.png").stat().st_size > 0
    no_predictor = tmp_path / "text-only.json"
    no_predictor.write_text(json.dumps({"runs": weak["runs"]}))
    with pytest.raises(SystemExit, match="text-only.json: no prerequisites.predictor"):
        curve.main([str(no_predictor)])


def test_goal_is_judged_against_the_text_condition_trained_the_same_way():
    """A graph lever of ``text-long`` is judged against ``text-long`` (not the 16-epoch ``text``); a
    text-only lever is a baseline and gets no goal line; other levers stay against ``text``.
    Deltas by hand: 10%, seeds 1 and 2, test (Trig-C, Arg-C)."""
    study = _study()
    report = sys.modules["_study_report"]
    definitions = {c: study.CONDITIONS[c].definition() for c in ("text", "text-long", "graph-arg-long", "graph-arg", "graph")}
    rows = [_run("text", 1, (0, 0), (40.0, 10.0)), _run("text", 2, (0, 0), (42.0, 12.0)),
            _run("text-long", 1, (0, 0), (43.0, 16.0)), _run("text-long", 2, (0, 0), (45.0, 18.0)),
            _run("graph-arg-long", 1, (0, 0), (43.5, 19.0)), _run("graph-arg-long", 2, (0, 0), (44.0, 20.0)),
            _run("graph-arg", 1, (0, 0), (40.0, 13.0)), _run("graph-arg", 2, (0, 0), (41.0, 14.0))]
    lines = report.goal_lines(rows, "test", definitions)
    # graph-arg-long - text-long: Arg-C (3.0 + 2.0) / 2 = +2.5, Trig-C (0.5 - 1.0) / 2 = -0.25 -> ✓
    # graph-arg - text: Arg-C (3.0 + 2.0) / 2 = +2.5, Trig-C (0.0 - 1.0) / 2 = -0.5 -> ✓
    assert lines == ["- **graph-arg-long** (against text-long): 10%: Δ Arg-C +2.5, Δ Trig-C -0.2 ✓",
                     "- **graph-arg**: 10%: Δ Arg-C +2.5, Δ Trig-C -0.5 ✓"]
    # without recorded definitions only the condition named text is a baseline
    assert [line.split(":")[0] for line in report.goal_lines(rows, "test", {})] == [
        "- **text-long**", "- **graph-arg-long**", "- **graph-arg**"]


def test_continual_table_orders_methods_from_lower_to_upper_bound():
    """Runs recorded joint first still report finetune, replay, joint (lower bound, method, upper
    bound); each row's Δ is paired with text of the same method and seed (by hand: 2.0 and 4.0)."""
    _study()
    report = sys.modules["_study_report"]

    def run(method, condition, seed, trig, arg):
        def scores(curve):
            return {"curve": curve, "average": sum(curve) / len(curve), "final": curve[-1], "forgetting": 0.0}
        return {"setting": "continual", "condition": condition, "method": method, "seed": seed, "epochs": [3, 4],
                "test": {"trigger_cls": scores(trig), "arg_cls": scores(arg)}}

    runs = [run("joint", "text", 1, [70.0, 72.0], [40.0, 42.0]), run("joint", "graph-arg", 1, [71.0, 75.0], [44.0, 46.0]),
            run("replay", "text", 1, [70.0, 69.0], [40.0, 39.0]), run("finetune", "text", 1, [70.0, 30.0], [40.0, 10.0])]
    lines = report.continual_table(runs)
    assert [line.split("|")[1:3] for line in lines[2:]] == [
        [" finetune ", " text "], [" replay ", " text "], [" joint ", " text "], [" joint ", " graph-arg "]]
    cells = lines[-1].split("|")
    assert (cells[9].strip(), cells[10].strip()) == ("2.0", "4.0")
    assert cells[11].strip() == "71.0 / 75.0" and cells[12].strip() == "3,4"
