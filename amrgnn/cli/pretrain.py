"""``amrgnn pretrain``: MLGM pre-training (masked language + masked AMR relations)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .command import Command

__all__ = ["PRETRAIN", "pretrain_config"]


def _add_pretrain(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", nargs="+", required=True, metavar="PATH", help="AMR files, globs or an AMR 3.0 directory")
    p.add_argument("--output-dir", required=True, type=Path)
    p.add_argument("--backbone", default="offline", help="'offline' (all-MiniLM-L6-v2), a DeBERTa-v2/v3 or MLGM "
                   "checkpoint directory or hub id, or a weights file beside its config.json (default: offline)")
    p.add_argument("--model-config", help="a config.json (or its directory) overriding the backbone's")
    p.add_argument("--max-steps", type=int, default=-1, help="stop after N optimizer steps (overrides --epochs)")
    p.add_argument("--epochs", type=float, default=3.0)
    p.add_argument("--batch-size", type=int, default=8, help="per device")
    p.add_argument("--eval-batch-size", type=int, default=16)
    p.add_argument("--gradient-accumulation", type=int, default=1)
    p.add_argument("--learning-rate", type=float, default=5e-5)
    p.add_argument("--head-learning-rate", type=float, default=None,
                   help="learning rate of what the backbone checkpoint lacks (heads, graph terms; default: --learning-rate)")
    p.add_argument("--warmup-steps", type=int, default=0)
    p.add_argument("--max-seq-len", type=int, default=256)
    p.add_argument("--mask-text", type=float, default=0.15, help="fraction of words masked (whole words, 80/10/10)")
    p.add_argument("--mask-graph", type=float, default=0.3, help="fraction of related word pairs masked")
    p.add_argument("--negative-ratio", type=float, default=0.2, help="'no relation' pairs per masked pair")
    p.add_argument("--validation-fraction", type=float, default=0.1, help="graphs held out by id")
    p.add_argument("--save-steps", type=int, default=500)
    p.add_argument("--save-total-limit", type=int, default=3)
    p.add_argument("--eval-steps", type=int, default=200)
    p.add_argument("--logging-steps", type=int, default=20)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--resume", action="store_true", help="continue from the last complete checkpoint")
    p.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "fp16"])
    p.add_argument("--workers", type=int, default=0, help="data-loader worker processes")
    p.add_argument("--no-graph", action="store_true", help="text only: the encoder sees no graph (an ablation)")
    p.add_argument("--graph-attention", choices=["multiscale", "relation", "none"], help="override the config")
    p.add_argument("--skip-invalid", action="store_true", help="skip malformed graphs (counted) instead of stopping")
    p.add_argument("--no-align", action="store_true", help="do not align graphs that lack ISI alignments")
    p.add_argument("--no-progress", action="store_true")


def pretrain_config(args: argparse.Namespace):
    """The :class:`~amrgnn.tasks.mlgm.MLGMConfig` of ``amrgnn pretrain`` flags."""
    from ..tasks.mlgm import MLGMConfig

    overrides = {"graph_attention": args.graph_attention} if args.graph_attention else {}
    return MLGMConfig(
        data=args.data, output_dir=str(args.output_dir), backbone=args.backbone, model_config=args.model_config,
        max_steps=args.max_steps, epochs=args.epochs, batch_size=args.batch_size, eval_batch_size=args.eval_batch_size,
        gradient_accumulation_steps=args.gradient_accumulation, learning_rate=args.learning_rate,
        head_learning_rate=args.head_learning_rate,
        warmup_steps=args.warmup_steps, max_seq_len=args.max_seq_len, mask_text=args.mask_text,
        mask_graph=args.mask_graph, negative_ratio=args.negative_ratio, validation_fraction=args.validation_fraction,
        save_steps=args.save_steps, save_total_limit=args.save_total_limit, eval_steps=args.eval_steps,
        logging_steps=args.logging_steps, seed=args.seed, resume=args.resume, precision=args.precision,
        workers=args.workers, use_graph=not args.no_graph, graph_overrides=overrides,
        skip_invalid=args.skip_invalid, align_missing=not args.no_align, progress=not args.no_progress,
    )


def _run_pretrain(args: argparse.Namespace) -> int:
    from ..tasks.mlgm import run_pretraining

    metrics = run_pretraining(pretrain_config(args))
    if metrics:
        keys = ["accuracy", "gm_accuracy", "gm_accuracy_majority", "perplexity", "gm_perplexity"]
        print("final validation: " + ", ".join(f"{k} {metrics['eval_' + k]:.4f}" for k in keys if "eval_" + k in metrics))
    print(f"wrote {args.output_dir} (model, metrics.jsonl, curves.png, log.csv, runs/ for TensorBoard)")
    return 0


PRETRAIN = Command(
    "pretrain", "MLGM: masked language + masked AMR-relation pre-training", _add_pretrain, _run_pretrain,
    description="Pre-train the AMR-aware encoder with masked tokens and masked AMR relations (HF Trainer: AdamW, linear "
    "warm-up and decay, checkpoints, --resume, TensorBoard/CSV/JSON-lines logs). Multi-GPU or multi-node: launch with "
    "torchrun -m amrgnn pretrain ....",
)
