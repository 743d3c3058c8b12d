"""Continual (class-incremental) event extraction: herding, distillation and forgetting against
hand-computed values and torch's own KL divergence; masking of unseen types; the per-method
training sets; resuming a run killed during a task; the report; on a learnable toy, joint training
remembers the first task and fine-tuning forgets it."""

from __future__ import annotations

import json
import math

import pytest
import torch

from amrgnn.cli import main
from amrgnn.data.ee import EECollator, EEDataset, EELabels, encode_sentences
from amrgnn.data.events import read_events
from amrgnn.models import AMRDebertaConfig, AMRDebertaForEventExtraction
from amrgnn.stats import mean_ci
from amrgnn.tasks.ee import EEConfig, label_masks, predict_sentences
from amrgnn.tasks.protocols.continual import ContinualConfig, forgetting, run_continual
from amrgnn.tasks.protocols.continual import loop as continual_mod
from amrgnn.tasks.protocols.continual.trainer import (
    ContinualTrainer,
    distillation_loss,
    herding_selection,
)

from ..conftest import SAMPLE
from ..event_corpus import TYPES, WORDS, write_event_corpus
from ..tiny_backbone import make_tiny_backbone


@pytest.fixture(scope="module")
def backbone(tmp_path_factory):
    return make_tiny_backbone(tmp_path_factory.mktemp("tiny-cl"), [SAMPLE], extra_words=WORDS)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("cl-data")
    return write_event_corpus(d / "train.jsonl", docs=10, seed=0), write_event_corpus(d / "dev.jsonl", docs=4, seed=1)


def test_herding_hand_case():
    # unit rows a=(1,0), b=(0,1), c=(.6,.8); mean (.533,.6). Step 1: |mu-c|=.211 < |mu-b|=.667 < |mu-a|=.760.
    # Step 2: |mu-(c+a)/2|=.333 < |mu-(c+b)/2|=.380. Then b.
    f = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    assert herding_selection(f, 3) == [2, 0, 1]
    assert herding_selection(f, 2) == [2, 0]
    assert herding_selection(f * torch.tensor([[5.0], [1.0], [0.1]]), 10) == [2, 0, 1]  # rows are normalised


def test_distillation_matches_torch_kl():
    torch.manual_seed(0)
    s, t = torch.randn(3, 4, 6), torch.randn(3, 4, 6)
    classes = torch.tensor([0, 2, 3])
    valid = torch.tensor([[1, 1, 0, 1], [0, 0, 0, 0], [1, 1, 1, 1]], dtype=torch.bool)
    T = 2.0
    ref = torch.nn.functional.kl_div(torch.log_softmax(s[..., classes] / T, -1), torch.softmax(t[..., classes] / T, -1),
                                     reduction="none").sum(-1)
    expected = T * T * ref[valid].mean()
    assert torch.allclose(distillation_loss(s, t, classes, T, valid), expected, atol=1e-6)
    assert float(distillation_loss(t, t, classes, T)) == pytest.approx(0.0, abs=1e-7)
    s2 = s.clone()
    s2[..., 1] += 10.0  # a class outside the distilled subset does not matter
    assert torch.allclose(distillation_loss(s2, t, classes, T, valid), expected, atol=1e-6)
    assert float(distillation_loss(s, t, classes, T, torch.zeros(3, 4, dtype=torch.bool))) == 0.0


def test_forgetting_hand_case():
    # task 0: best 80 before the end, 50 at the end -> 30; task 1: 60 -> 65 -> -5; average 12.5
    assert forgetting([[80.0], [70.0, 60.0], [50.0, 65.0, 40.0]]) == pytest.approx(12.5)
    assert forgetting([[80.0]]) is None


def test_mean_ci_student_t():
    mean, half = mean_ci([1.0, 2.0, 3.0])
    assert mean == 2.0 and half == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)  # t(0.975, 2) = 4.302653
    assert math.isnan(mean_ci([5.0])[1])


def test_masks_keep_unseen_types_out_of_predictions(backbone, corpus):
    from transformers import AutoTokenizer

    sents = read_events(corpus[1])
    labels = EELabels(sorted(TYPES), ["<none>", "Agent", "Place"])
    config = AMRDebertaConfig.from_pretrained(str(backbone), ee_trigger_labels=labels.trigger_bio, ee_role_labels=labels.roles,
                                              graph_attention="none")
    model = AMRDebertaForEventExtraction.from_pretrained(str(backbone), config=config).eval()
    favourite = labels.trigger_bio.index("B-Life:Die")
    with torch.no_grad():  # every word would be a Life:Die trigger and every pair a Place
        model.trigger_classifier.bias[favourite] = 100.0
        model.argument_head.classifier.bias[2] = 100.0
    tok = AutoTokenizer.from_pretrained(str(backbone))
    ds = EEDataset(encode_sentences(sents, tok, labels)[0])
    coll = EECollator(tok.pad_token_id)
    free = predict_sentences(model, sents, ds, coll)
    assert {e.type for s in free for e in s.events} == {"Life:Die"}
    assert {a.role for s in free for e in s.events for a in e.arguments} == {"Place"}
    seen = ["Conflict:Attack", "Contact:Meet"]
    masked = predict_sentences(model, sents, ds, coll, allowed_types=seen, allowed_roles=["Agent"])
    types = {e.type for s in masked for e in s.events}
    assert types and types <= set(seen)
    assert {a.role for s in masked for e in s.events for a in e.arguments} <= {"Agent"}
    trig, role = label_masks(config, seen, ["Agent"])
    assert trig[0] == 0 and role[0] == 0 and int((trig == 0).sum()) == 1 + 2 * len(seen) and int((role == 0).sum()) == 2


def _run(backbone, corpus, out, methods, **kw):
    recipe = EEConfig(train=str(corpus[0]), dev=str(corpus[1]), output_dir=str(out), backbone=str(backbone), max_steps=3,
                      batch_size=4, progress=False)
    cfg = ContinualConfig(base=recipe, output_dir=str(out), tasks=3, methods=methods, memory=2, **kw)
    return run_continual(cfg)


def test_training_sets_per_method(backbone, corpus, tmp_path):
    results = _run(backbone, corpus, tmp_path / "cl", ["finetune", "replay", "joint"])
    train = read_events(corpus[0])
    streams = json.loads((tmp_path / "cl" / "streams.json").read_text())
    assert [len(t) for t in streams] == [2, 2, 2] and sorted(sum(streams, [])) == sorted(TYPES)
    from amrgnn.data.streams import assign_tasks

    members, _ = assign_tasks(train, streams, 0)
    by = {r["method"]: r for r in results}
    for step in range(3):
        assert by["finetune"]["steps"][step]["train_sentences"] == len(members[step])
        assert by["joint"]["steps"][step]["train_sentences"] == len(set().union(*members[: step + 1]))
    run = tmp_path / "cl" / "runs" / "replay-text" / "order0-seed42"
    memory = {}
    for step in range(3):
        result = by["replay"]["steps"][step]
        # replayed = exemplars (<= 2 per old type, each mentioning its type) outside the current task
        ids = {sid for entries in memory.values() for sid, _ in entries}
        current = {train[i].id for i in members[step]}
        assert result["replayed"] == len(ids - current)
        assert result["train_sentences"] == len(current | ids)
        memory = json.loads((run / f"task{step}" / "memory.json").read_text())
        for t in streams[step]:
            assert 1 <= len(memory[t]) <= 2
            for sid, task in memory[t]:
                assert task == step and t in {e.type for e in next(s for s in train if s.id == sid).events}
        # predictions after a step mention only the types seen so far
        preds = read_events(run / f"task{step}" / "predictions.dev.jsonl")
        assert {e.type for s in preds for e in s.events} <= set(sum(streams[: step + 1], []))
    report = (tmp_path / "cl" / "report.md").read_text()
    for m in ("finetune", "replay", "joint"):
        assert f"| {m} | text | 1 |" in report
    assert (tmp_path / "cl" / "continual.png").stat().st_size > 0
    meta = json.loads((run / "run.json").read_text())
    assert meta["seed"] == 42 and len(meta["data"]["train"]["sha256"]) == 64 and meta["versions"]["torch"]
    assert meta["config"]["method"] == "replay" and meta["config"]["streams"] == streams
    # the summary is recomputed from the per-step scores
    s = by["replay"]["summary"]["dev"]["trigger_cls"]
    curve = [st["scores"]["dev"]["trigger_cls"]["f1"] for st in by["replay"]["steps"]]
    assert s["curve"] == curve and s["average"] == pytest.approx(sum(curve) / 3) and s["final"] == curve[-1]


def test_resume_after_a_crash_during_task_3(backbone, corpus, tmp_path, monkeypatch):
    whole = _run(backbone, corpus, tmp_path / "whole", ["replay-kd"])[0]
    calls = {"n": 0}
    real_train = ContinualTrainer.train

    def crashing_train(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed during task 3")
        return real_train(self, *a, **k)

    monkeypatch.setattr(ContinualTrainer, "train", crashing_train)
    with pytest.raises(KeyboardInterrupt):
        _run(backbone, corpus, tmp_path / "crash", ["replay-kd"])
    run = tmp_path / "crash" / "runs" / "replay-kd-text" / "order0-seed42"
    assert json.loads((run / "state.json").read_text()) == {"completed": 2}
    assert not (run / "results.json").exists()
    monkeypatch.setattr(ContinualTrainer, "train", real_train)
    started = []
    real_set_seed = continual_mod.set_seed
    monkeypatch.setattr(continual_mod, "set_seed", lambda s: (started.append(s), real_set_seed(s)))
    resumed = _run(backbone, corpus, tmp_path / "crash", ["replay-kd"])[0]
    assert started == [42 + 2]  # only task 3 was trained again
    for a, b in zip(whole["steps"], resumed["steps"], strict=True):
        assert a["scores"] == b["scores"] and a["memory_sentences"] == b["memory_sentences"]
    w = AMRDebertaForEventExtraction.from_pretrained(tmp_path / "whole" / "runs" / "replay-kd-text" / "order0-seed42" / "task2" / "model")
    r = AMRDebertaForEventExtraction.from_pretrained(run / "task2" / "model")
    for (n, p), (_, q) in zip(w.state_dict().items(), r.state_dict().items(), strict=True):
        assert torch.equal(p, q), n
    assert not (run / "task0" / "model").exists()  # only the latest model is kept


def test_cli_continual_and_report(backbone, corpus, tmp_path, capsys):
    streams = tmp_path / "streams.json"
    streams.write_text(json.dumps([TYPES[:4], TYPES[4:]]))
    out = tmp_path / "cli"
    args = ["continual", "--train", str(corpus[0]), "--dev", str(corpus[1]), "--output-dir", str(out), "--streams", str(streams),
            "--method", "finetune,replay", "--backbone", str(backbone), "--max-steps", "2", "--batch-size", "4",
            "--no-progress", "--no-arguments", "--seeds", "1,2"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "| finetune | text | 2 |" in printed and "| replay | text | 2 |" in printed
    r = json.loads((out / "runs" / "replay-text" / "order0-seed2" / "results.json").read_text())
    preds = read_events(out / "runs" / "replay-text" / "order0-seed2" / "task1" / "predictions.dev.jsonl")
    assert all(not e.arguments for s in preds for e in s.events)
    assert len(r["steps"]) == 2
    assert main(["report", str(out)]) == 0
    assert "| replay | text | 2 |" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([["Conflict:Attack"], ["Nope:Type"]]))
    assert main([*args[:8], str(bad), *args[9:], "--output-dir", str(tmp_path / "bad")]) == 2
    assert "Nope:Type" in capsys.readouterr().err


def test_joint_remembers_and_finetune_forgets(backbone, tmp_path):
    """Two tasks of three types on the learnable toy (the trigger word decides the type), 40 steps
    each: every method learns the task at hand; after the second task joint training still finds
    the first task's triggers, fine-tuning has forgotten them, and replay keeps some (a model that
    predicts nothing fails every bar)."""
    train = write_event_corpus(tmp_path / "train.jsonl", docs=20, seed=0)
    dev = write_event_corpus(tmp_path / "dev.jsonl", docs=8, seed=1)
    streams = tmp_path / "streams.json"
    streams.write_text(json.dumps([TYPES[:3], TYPES[3:]]))
    recipe = EEConfig(train=str(train), dev=str(dev), output_dir=str(tmp_path / "cl"), backbone=str(backbone), max_steps=40,
                      batch_size=8, learning_rate=5e-3, head_learning_rate=1e-2, progress=False)
    cfg = ContinualConfig(base=recipe, output_dir=str(tmp_path / "cl"), streams=str(streams),
                          methods=["finetune", "replay", "joint"], memory=5)
    by = {r["method"]: r for r in run_continual(cfg)}

    def f1(method, step, task):  # dev trigger_cls F1 on one task's types after a step
        return by[method]["steps"][step]["scores"]["dev"]["per_task"][str(task)]["trigger_cls"]

    # measured (this backbone, and four other backbone and training seeds): task 0 after step 0: 100
    # for all; after step 1: joint 100, replay 46-100, finetune 0; task 1 after step 1: joint 97-100,
    # replay 67-100, finetune 43-100
    for m in by:
        assert f1(m, 0, 0) >= 80 and f1(m, 1, 1) > 20, (m, by[m]["steps"])
    assert f1("joint", 1, 1) >= 80 and f1("joint", 1, 0) >= 80
    assert f1("finetune", 1, 0) <= f1("joint", 1, 0) - 50  # forgotten
    assert f1("finetune", 1, 0) < f1("replay", 1, 0)  # the memory keeps some
    summary = by["finetune"]["summary"]["dev"]["trigger_cls"]
    assert summary["forgetting"] == pytest.approx(f1("finetune", 0, 0) - f1("finetune", 1, 0)) and summary["forgetting"] >= 50


def test_graph_path_is_orthogonal(tmp_path):
    """--graphs none --graphs penman:... gives text and AMR runs of the same protocol side by side."""
    from ..conftest import FIXTURES

    data = FIXTURES / "events" / "sample.events.jsonl"
    backbone = make_tiny_backbone(tmp_path / "bb", [SAMPLE])
    recipe = EEConfig(train=str(data), dev=str(data), output_dir=str(tmp_path / "g"), backbone=str(backbone), max_steps=2,
                      batch_size=2, progress=False)
    cfg = ContinualConfig(base=recipe, output_dir=str(tmp_path / "g"), tasks=2, methods=["replay"],
                          graphs=["none", f"penman:{SAMPLE}"])
    results = run_continual(cfg)
    assert [r["graphs"] for r in results] == ["text", "amr"]
    model = AMRDebertaForEventExtraction.from_pretrained(tmp_path / "g" / "runs" / "replay-amr" / "order0-seed42" / "task1" / "model")
    assert model.config.graph_attention == "multiscale"
    meta = json.loads((tmp_path / "g" / "runs" / "replay-amr" / "order0-seed42" / "run.json").read_text())
    assert meta["config"]["graph_stats"]["train"]["with_graph"] == 3
    report = (tmp_path / "g" / "report.md").read_text()
    assert "| replay | text | 1 |" in report and "| replay | amr | 1 |" in report


def test_dev_stopping_keeps_the_best_epoch():
    """Scripted dev scores 1, 3, 2, 2, 2 with patience 3: training stops after epoch 5 and the
    weights of epoch 2 come back."""
    from types import SimpleNamespace

    from amrgnn.tasks.protocols.continual.trainer import DevStopping

    model = torch.nn.Linear(2, 1)
    scores = iter([1.0, 3.0, 2.0, 2.0, 2.0])
    stop = DevStopping(lambda m: next(scores), patience=3)
    weights = {}
    for epoch in range(1, 6):
        with torch.no_grad():
            model.weight.fill_(float(epoch))
        weights[epoch] = model.weight.clone()
        control = SimpleNamespace(should_training_stop=False)
        stop.on_epoch_end(None, None, control, model=model)
        assert control.should_training_stop == (epoch == 5), epoch
    assert stop.history == [1.0, 3.0, 2.0, 2.0, 2.0] and stop.best_epoch == 2
    stop.restore(model)
    assert torch.equal(model.weight, weights[2])


def test_continual_tasks_train_to_convergence(backbone, corpus, tmp_path):
    """--stopping dev: each task records its dev curve, stops within --epochs once an epoch brings no
    gain (patience 1) and keeps its best epoch: after task 1 (whose taught types are all the seen
    ones) the saved model's dev score is the curve's best; --stopping epochs records no curve."""
    recipe = EEConfig(train=str(corpus[0]), dev=str(corpus[1]), output_dir=str(tmp_path), backbone=str(backbone), epochs=4,
                      batch_size=8, progress=False)
    dev_run = run_continual(ContinualConfig(base=recipe, output_dir=str(tmp_path / "dev"), tasks=2, methods=["replay"], patience=1))[0]
    for step in dev_run["steps"]:
        st = step["stopping"]
        curve = st["dev_curve"]
        assert 1 <= st["epochs"] == len(curve) <= 4 and curve.index(max(curve)) == st["best_epoch"] - 1
        assert st["epochs"] == 4 or st["best_epoch"] == st["epochs"] - 1  # early only after one epoch without gain
    first = dev_run["steps"][0]
    dev = first["scores"]["dev"]
    assert (dev["trigger_cls"]["f1"] + dev["arg_cls"]["f1"]) / 2 == pytest.approx(max(first["stopping"]["dev_curve"]))
    fixed = run_continual(ContinualConfig(base=recipe, output_dir=str(tmp_path / "fixed"), tasks=2, methods=["replay"],
                                          stopping="epochs"))[0]
    assert all("stopping" not in step for step in fixed["steps"])
