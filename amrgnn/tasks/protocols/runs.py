"""One resumable event-extraction run inside a protocol (low-resource, cross-domain): metadata
first, ``results.json`` last; a directory with ``results.json`` is read back, one without resumes
from its newest complete checkpoint."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ...data.events import Sentence
from ..ee.config import EEConfig
from ..ee.train import fit_event_model, resolve_ee_backbone
from ..training import last_complete_checkpoint
from .runinfo import read_json, run_metadata, write_json

__all__ = ["fit_run", "shared_backbone"]


def shared_backbone(base: EEConfig, output_dir: Path) -> EEConfig:
    """``base`` with its backbone resolved once for all runs (``offline`` converted into
    ``OUTPUT/backbone``)."""
    return replace(base, backbone=str(resolve_ee_backbone(base.backbone, output_dir)))


def fit_run(
    base: EEConfig,
    run_dir: Path,
    *,
    graphs: str,
    seed: int,
    train: Callable[[], Sequence[Sentence]] | Sequence[Sentence],
    dev: Sequence[Sentence],
    evals: Mapping[str, Sequence[Sentence]],
    describe: dict[str, Any],
    data_files: Mapping[str, str | None],
    keep_model: bool = False,
) -> dict[str, Any]:
    """Train and score one run in ``run_dir`` (or read its finished results).

    Args:
        describe: what identifies the run in reports (``protocol``, ``graphs`` label, size, domains...);
            stored in ``results.json`` beside the scores.
        train: the training sentences (or a function returning them, called only if the run trains).
    """
    done = run_dir / "results.json"
    if done.is_file():
        return read_json(done)
    model_dir = run_dir / "model"
    cfg = replace(base, output_dir=str(model_dir), graphs=graphs, seed=seed,
                  resume=last_complete_checkpoint(model_dir) is not None)
    sentences = list(train() if callable(train) else train)
    if not (run_dir / "run.json").is_file():
        meta = run_metadata({**describe, **asdict(cfg)}, data_files, seed)
        meta["train_ids"] = [s.id for s in sentences]
        write_json(run_dir / "run.json", meta)
    scores = fit_event_model(cfg, sentences, dev, evals)
    result = {**describe, "seed": seed, "train_sentences": len(sentences),
              "train_documents": len({s.doc_id for s in sentences}), "scores": {k: v for k, v in scores.items() if k != "best_checkpoint"}}
    write_json(done, result)
    for ckpt in model_dir.glob("checkpoint-*"):
        shutil.rmtree(ckpt, ignore_errors=True)
    if not keep_model:
        for f in model_dir.glob("*.safetensors"):
            f.unlink()
    return result
