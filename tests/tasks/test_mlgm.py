"""MLGM training end to end: logs and curves, kill -9 and resume, DDP over gloo, the reference's
command line, atomic checkpoints."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file
from transformers import BertConfig, BertModel, DebertaV2Model

from amrgnn.cli import main
from amrgnn.models import AMRDebertaForMaskedGraphModeling
from amrgnn.models.modeling import CheckpointError
from amrgnn.tasks.mlgm import load_backbone, resolve_backbone
from amrgnn.tasks.training import STAGING, last_complete_checkpoint, read_metrics

from ..conftest import SAMPLE, corpus_path
from ..tiny_backbone import make_tiny_backbone

DRIVER = Path(__file__).with_name("mlgm_driver.py")
ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("step", "loss", "accuracy", "gm_accuracy", "gm_accuracy_majority", "perplexity", "gm_perplexity")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    corpus = corpus_path("lpp-v1.6-dev")
    backbone = make_tiny_backbone(tmp_path_factory.mktemp("tiny"), [SAMPLE, corpus])
    return backbone, corpus


def _args(backbone, corpus, out, *extra):
    return [
        "pretrain", "--data", str(corpus), "--output-dir", str(out), "--backbone", str(backbone),
        "--batch-size", "8", "--max-seq-len", "48", "--learning-rate", "1e-3", "--logging-steps", "2",
        "--no-progress", "--seed", "7", *extra,
    ]


def _run(args, env_extra=None, launcher=None, timeout=300):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOKENIZERS_PARALLELISM": "false", **(env_extra or {})}
    cmd = (launcher or [sys.executable]) + [str(DRIVER), *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def test_pretrain_writes_model_logs_and_curves(setup, tmp_path, capsys):
    backbone, corpus = setup
    out = tmp_path / "run"
    assert main(_args(backbone, corpus, out, "--max-steps", "12", "--eval-steps", "6", "--save-steps", "6")) == 0
    printed = capsys.readouterr().out
    assert "final validation: accuracy" in printed
    records = read_metrics(out / "metrics.jsonl")
    assert [r["step"] for r in records] == [6, 12]
    for r in records:
        assert all(k in r for k in REQUIRED)
        assert 0 <= r["gm_accuracy_majority"] <= 1 and r["perplexity"] >= 1
    assert (out / "curves.png").stat().st_size > 1000
    assert (out / "log.csv").read_text().startswith("step,epoch,name,value")
    assert list((out / "runs").rglob("events.out.tfevents.*"))  # TensorBoard
    split = json.loads((out / "split.json").read_text())
    assert split["validation"] and not set(split["train"]) & set(split["validation"])
    summary = json.loads((out / "data_summary.json").read_text())
    assert summary["read"] == summary["examples"] + sum(summary["skipped"].values())
    assert 0 < summary["negatives_sampled"] <= summary["negatives_requested"]
    assert {p.name for p in out.glob("checkpoint-*")} == {"checkpoint-6", "checkpoint-12"}
    model = AMRDebertaForMaskedGraphModeling.from_pretrained(out)
    assert model.config.graph_num_relations == len(json.loads((out / "amr_vocab.json").read_text())["relations"])
    # an existing run is not overwritten by accident
    assert main(_args(backbone, corpus, out, "--max-steps", "12")) == 2
    assert "--resume" in capsys.readouterr().err


def test_kill9_and_resume_matches_an_uninterrupted_run(setup, tmp_path):
    backbone, corpus = setup
    common = ["--max-steps", "16", "--eval-steps", "8", "--save-steps", "4"]
    straight = tmp_path / "straight"
    r = _run(_args(backbone, corpus, straight, *common))
    assert r.returncode == 0, r.stderr[-3000:]

    crashed = tmp_path / "crashed"
    env = {"AMRGNN_TEST_STEP_SLEEP": "0.3"}
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), *_args(backbone, corpus, crashed, *common)],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 240
    while not (crashed / "checkpoint-8").is_dir() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.4)  # somewhere in the next steps (or the next save)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    last = last_complete_checkpoint(crashed)
    assert last is not None and int(Path(last).name.split("-")[1]) in (8, 12)
    r = _run(_args(backbone, corpus, crashed, *common, "--resume"))
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = read_metrics(straight / "metrics.jsonl"), read_metrics(crashed / "metrics.jsonl")
    assert [x["step"] for x in a] == [x["step"] for x in b] == [8, 16]
    for x, y in zip(a, b, strict=True):
        for k in REQUIRED:
            assert x[k] == pytest.approx(y[k], rel=1e-4, abs=1e-6), k


def test_ddp_two_cpu_processes(setup, tmp_path):
    backbone, corpus = setup
    trace = tmp_path / "trace"
    trace.mkdir()
    out = tmp_path / "ddp"
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29533"]
    r = _run(_args(backbone, corpus, out, "--max-steps", "4", "--eval-steps", "4", "--save-steps", "4"),
             env_extra={"AMRGNN_TEST_TRACE": str(trace), "OMP_NUM_THREADS": "1"}, launcher=launcher)
    assert r.returncode == 0, r.stderr[-3000:]
    ranks = [json.loads((trace / f"rank{i}.json").read_text()) for i in (0, 1)]
    assert all(x["world"] == 2 for x in ranks)
    # 4 steps of 8 per rank (the loader may fetch one batch ahead)
    assert len(ranks[0]["ids"]) >= 32 and len(ranks[1]["ids"]) >= 32
    assert not set(ranks[0]["ids"]) & set(ranks[1]["ids"])  # disjoint shards
    assert ranks[0]["hash"] == ranks[1]["hash"]  # the same weights at the end
    assert (out / "checkpoint-4" / "rng_state_1.pth").is_file()


def test_reference_command_line(setup, tmp_path):
    backbone, corpus = setup
    out = tmp_path / "ref"
    from amrgnn.run import main as run_main

    rc = run_main([
        "--task_name", "MLGM", "--do_train", "--data_dir", str(corpus.parent / "amr-bank-struct-v1.6-dev.txt"),
        "--output_dir", str(out), "--num_train_epochs", "1", "--max_steps", "4", "--warmup", "2",
        "--learning_rate", "1e-4", "--train_batch_size", "4", "--eval_batch_size", "8", "--predict_batch_size", "8",
        "--max_seq_len", "48", "--init_model", str(backbone / "model.safetensors"), "--model_config", str(backbone),
        "--vocab_type", "large", "--workers", "0", "--dump_interval", "2",
    ])
    assert rc == 0
    assert {p.name for p in out.glob("checkpoint-*")} == {"checkpoint-2", "checkpoint-4"}
    assert [r["step"] for r in read_metrics(out / "metrics.jsonl")] == [2, 4]
    assert run_main(["--task_name", "AMRX", "--data_dir", "x", "--output_dir", str(out)]) == 2


def test_a_half_written_checkpoint_is_never_the_latest(tmp_path):
    done = tmp_path / "checkpoint-4"
    done.mkdir()
    for name in ("config.json", "trainer_state.json"):
        (done / name).write_text("{}")
    save_file({"x": torch.zeros(1)}, done / "model.safetensors")
    for name in ("optimizer.pt", "scheduler.pt"):
        torch.save({}, done / name)
    (tmp_path / STAGING / "checkpoint-8").mkdir(parents=True)  # a crash while saving step 8
    assert Path(last_complete_checkpoint(tmp_path)).name == "checkpoint-4"
    assert last_complete_checkpoint(tmp_path / "missing") is None


def test_bad_corpus_is_a_clear_error(setup, tmp_path, capsys):
    backbone, _ = setup
    bad = ROOT / "tests" / "fixtures" / "bad_malformed.txt"
    assert main(_args(backbone, bad, tmp_path / "bad", "--max-steps", "2")) == 2
    err = capsys.readouterr().err
    assert "bad_malformed.txt:7: graph 'bad.2': malformed PENMAN" in err


def test_a_stock_weights_file_initialises_the_backbone(setup, tmp_path):
    """``--backbone DIR/model.safetensors`` (a DebertaV2Model's, without the ``deberta.`` prefix):
    every backbone tensor comes from the file, only the graph terms and heads are initialised."""
    backbone, _ = setup
    stock = DebertaV2Model.from_pretrained(backbone)
    model = load_backbone(resolve_backbone(str(backbone / "model.safetensors"), tmp_path), num_relations=20)
    for name, p in stock.state_dict().items():
        assert torch.equal(model.deberta.state_dict()[name], p), name
    assert model.initialised_parameters and all(
        not k.startswith("deberta.") or "graph" in k or "position_embeddings" in k for k in model.initialised_parameters
    )


def test_a_weights_file_of_another_model_is_a_clear_error(setup, tmp_path, capsys):
    backbone, corpus = setup
    d = tmp_path / "other"
    shutil.copytree(backbone, d)
    torch.manual_seed(0)
    bert = BertModel(BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64))
    save_file(bert.state_dict(), d / "bert.safetensors")
    with pytest.raises(CheckpointError, match=f"{d / 'bert.safetensors'}: .*does not fit.*missing"):
        load_backbone(resolve_backbone(str(d / "bert.safetensors"), tmp_path), num_relations=20)
    state = load_file(d / "model.safetensors")
    del state["encoder.layer.1.output.dense.weight"]
    save_file(state, d / "model.safetensors")
    assert main(_args(d / "model.safetensors", corpus, tmp_path / "run", "--max-steps", "2")) == 2
    err = capsys.readouterr().err
    assert f"{d / 'model.safetensors'}: " in err and "missing 1 tensors: deberta.encoder.layer.1.output.dense.weight" in err
