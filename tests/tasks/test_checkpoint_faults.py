"""Checkpoints under faults: a full disk while saving, a leftover ``.staging``, and a damaged
checkpoint given to ``--resume``."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
import transformers.modeling_utils

from amrgnn.cli import main
from amrgnn.errors import InputError
from amrgnn.models import AMRDebertaForMaskedGraphModeling
from amrgnn.tasks.training import STAGING, last_complete_checkpoint

from ..conftest import SAMPLE, corpus_path
from ..tiny_backbone import make_tiny_backbone


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    corpus = corpus_path("lpp-v1.6-dev")
    return make_tiny_backbone(tmp_path_factory.mktemp("tiny"), [SAMPLE, corpus]), corpus


def _args(setup, out, *extra):
    backbone, corpus = setup
    return [
        "pretrain", "--data", str(corpus), "--output-dir", str(out), "--backbone", str(backbone),
        "--batch-size", "4", "--max-seq-len", "32", "--learning-rate", "1e-3", "--logging-steps", "2",
        "--eval-steps", "100", "--save-steps", "2", "--max-steps", "4", "--no-progress", "--seed", "7", *extra,
    ]


@pytest.fixture(scope="module")
def trained(setup, tmp_path_factory):
    """A finished 4-step run (checkpoints at steps 2 and 4)."""
    out = tmp_path_factory.mktemp("trained") / "run"
    assert main(_args(setup, out)) == 0
    return out


def _state(checkpoint) -> dict:
    return json.loads((Path(checkpoint) / "trainer_state.json").read_text())


def test_full_disk_while_saving_keeps_the_last_checkpoint(setup, tmp_path, monkeypatch):
    real = transformers.modeling_utils.safe_save_file
    calls = []

    def full_disk(tensors, filename, metadata=None):
        calls.append(filename)
        if len(calls) < 2:
            return real(tensors, filename, metadata=metadata)
        Path(filename).write_bytes(b"\0" * 100)  # what fitted before the disk filled up
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transformers.modeling_utils, "safe_save_file", full_disk)
    out = tmp_path / "run"
    with pytest.raises(OSError, match="saving checkpoint-4 failed.*checkpoint-2, is intact") as exc:
        main(_args(setup, out))
    assert exc.value.errno == errno.ENOSPC
    assert len(calls) == 2 and Path(calls[1]).parent == out / STAGING / "checkpoint-4"
    assert not (out / STAGING / "checkpoint-4").exists()  # the half-written files are gone, their space freed
    assert not (out / "checkpoint-4").exists()
    assert last_complete_checkpoint(out) == str(out / "checkpoint-2")
    AMRDebertaForMaskedGraphModeling.from_pretrained(out / "checkpoint-2")  # intact, loadable
    monkeypatch.undo()
    assert main(_args(setup, out, "--resume")) == 0
    assert last_complete_checkpoint(out) == str(out / "checkpoint-4") and _state(out / "checkpoint-4")["global_step"] == 4
    AMRDebertaForMaskedGraphModeling.from_pretrained(out / "checkpoint-4")


def test_a_leftover_staging_does_not_break_the_next_run(setup, trained, tmp_path):
    """Whatever a crash left under ``.staging``, even of a later step and with a newer time stamp
    (a clock ahead, a network file system), is not taken for the checkpoint being saved."""
    out = tmp_path / "run"
    shutil.copytree(trained / "checkpoint-2", out / "checkpoint-2")
    for step in (4, 6):
        left = out / STAGING / f"checkpoint-{step}"
        left.mkdir(parents=True)
        (left / "model.safetensors").write_bytes(b"\0" * 10)
        os.utime(left, (2e9, 2e9))
    assert main(_args(setup, out, "--resume", "--save-total-limit", "1")) == 0
    assert {p.name for p in out.glob("checkpoint-*")} == {"checkpoint-4"}
    assert not list((out / STAGING).iterdir())
    assert _state(out / "checkpoint-4")["global_step"] == 4
    AMRDebertaForMaskedGraphModeling.from_pretrained(out / "checkpoint-4")


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


@pytest.mark.parametrize(
    ("damage", "file"),
    [
        (_truncate, "model.safetensors"),
        (Path.unlink, "model.safetensors"),
        (Path.unlink, "config.json"),
        (_truncate, "optimizer.pt"),
        (Path.unlink, "trainer_state.json"),
        (_truncate, "rng_state.pth"),
    ],
    ids=["truncated-weights", "no-weights", "no-config", "truncated-optimizer", "no-trainer-state", "truncated-rng"],
)
def test_resume_from_a_damaged_checkpoint_is_a_clear_error(setup, trained, tmp_path, capsys, damage, file):
    out = tmp_path / "run"
    shutil.copytree(trained, out)
    damage(out / "checkpoint-4" / file)
    with pytest.raises(InputError, match=f"{out / 'checkpoint-4' / file}.*delete it to resume from the checkpoint before"):
        last_complete_checkpoint(out)
    assert main(_args(setup, out, "--resume", "--max-steps", "6")) == 2
    err = capsys.readouterr().err
    assert str(out / "checkpoint-4" / file) in err and "Traceback" not in err
    shutil.rmtree(out / "checkpoint-4")  # as the message says
    assert last_complete_checkpoint(out) == str(out / "checkpoint-2")
