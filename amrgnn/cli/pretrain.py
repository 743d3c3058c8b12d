"""``amrgnn pretrain``: MLGM pre-training (masked language + masked AMR relations)."""

from __future__ import annotations

import argparse

from ..options import add_options, from_namespace
from ..tasks.mlgm_config import MLGMConfig
from .command import Command, existing_path

__all__ = ["PRETRAIN", "pretrain_config"]


def pretrain_config(args: argparse.Namespace) -> MLGMConfig:
    """The :class:`~amrgnn.tasks.mlgm_config.MLGMConfig` of ``amrgnn pretrain`` options."""
    cfg = from_namespace(MLGMConfig, args)
    existing_path(*(p for p in cfg.data if not any(c in p for c in "*?[")), cfg.model_config)
    return cfg


def _run_pretrain(args: argparse.Namespace) -> int:
    from ..tasks.mlgm import run_pretraining

    metrics = run_pretraining(pretrain_config(args))
    if metrics:
        keys = ["accuracy", "gm_accuracy", "gm_accuracy_majority", "perplexity", "gm_perplexity"]
        print("final validation: " + ", ".join(f"{k} {metrics['eval_' + k]:.4f}" for k in keys if "eval_" + k in metrics))
    print(f"wrote {args.output_dir} (model, metrics.jsonl, curves.png, log.csv, runs/ for TensorBoard)")
    return 0


PRETRAIN = Command(
    "pretrain", "MLGM: masked language + masked AMR-relation pre-training", lambda p: add_options(p, MLGMConfig),
    _run_pretrain,
    description="Pre-train the AMR-aware encoder with masked tokens and masked AMR relations (HF Trainer: AdamW, linear "
    "warm-up and decay, checkpoints, --resume, TensorBoard/CSV/JSON-lines logs). Multi-GPU or multi-node: launch with "
    "torchrun -m amrgnn pretrain ....",
)
