"""The reference system's command line (a fork of microsoft/DeBERTa's ``apps/run.py``), mapped onto
amrgnn's tasks::

    python -m amrgnn.run --task_name MLGM --do_train --data_dir D --output_dir O \\
        --num_train_epochs 10 --warmup 100 --learning_rate 1e-5 --train_batch_size 4 \\
        --eval_batch_size 8 --predict_batch_size 8 --max_seq_len 350 --init_model PATH \\
        --model_config PATH --vocab_type large --workers 0 --dump_interval 3000

Each flag maps to its ``amrgnn pretrain`` counterpart; flags with no meaning here are accepted and
reported as ignored. ``--init_model`` and ``--model_config`` take a checkpoint file or directory.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError
from .options import field_default
from .tasks.options import TrainingOptions

__all__ = ["build_parser", "main"]

#: reference flags that amrgnn accepts and does not need (why, for the message)
IGNORED = {
    "vocab_type": "the tokenizer comes with the backbone",
    "vocab_path": "the tokenizer comes with the backbone",
    "predict_batch_size": "MLGM has no prediction step",
    "tag": "runs are named by --output_dir",
    "debug": "use --logging-steps / TensorBoard",
    "cls_drop_out": "dropout comes from the model config",
    "lookahead_k": "AdamW is used",
    "lookahead_alpha": "AdamW is used",
    "with_radam": "AdamW is used",
    "opt_type": "AdamW is used",
    "max_grad_norm": "transformers' default clipping (1.0) applies",
    "collate_pad": "batches are always padded to their longest sentence",
    "no_batch_to": "the Trainer moves batches",
}
TASKS = ("MLGM", "AMREE")


def _default(name: str) -> object:
    return field_default(TrainingOptions, name)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m amrgnn.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--task_name", required=True, help=f"one of {TASKS}")
    p.add_argument("--data_dir", required=True)
    p.add_argument("--output_dir", required=True)
    p.add_argument("--do_train", action="store_true")
    p.add_argument("--do_eval", action="store_true")
    p.add_argument("--do_predict", action="store_true")
    p.add_argument("--num_train_epochs", type=float, default=3.0)
    p.add_argument("--max_steps", type=int, default=_default("max_steps"))
    p.add_argument("--warmup", type=float, default=0, help="warm-up steps (a value < 1 is a proportion of the steps)")
    p.add_argument("--learning_rate", type=float, default=_default("learning_rate"))
    p.add_argument("--train_batch_size", type=int, default=8)
    p.add_argument("--eval_batch_size", type=int, default=16)
    p.add_argument("--accumulative_update", type=int, default=1)
    p.add_argument("--max_seq_len", type=int, default=_default("max_seq_len"))
    p.add_argument("--init_model", default="offline", help="checkpoint directory or weights file")
    p.add_argument("--model_config", help="config.json (or its directory)")
    p.add_argument("--workers", type=int, default=_default("workers"))
    p.add_argument("--dump_interval", type=int, default=500, help="checkpoint every N steps")
    p.add_argument("--seed", type=int, default=_default("seed"))
    p.add_argument("--fp16", nargs="?", const="True", default=None, help="fp16 autocast")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--amr_graphs", default="none", help="AMREE: none | amrlib | penman:PATH")
    for name, why in IGNORED.items():
        if why is None:
            continue
        p.add_argument(f"--{name}", nargs="?", const=True, default=None, help=f"ignored: {why}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    task = args.task_name.upper()
    if task not in TASKS:
        print(f"amrgnn.run: error: --task_name {args.task_name!r}: supported tasks are {TASKS}", file=sys.stderr)
        return 2
    for name, why in IGNORED.items():
        if getattr(args, name) is not None and not (task == "AMREE" and name == "predict_batch_size"):
            print(f"amrgnn.run: --{name} ignored ({why})", file=sys.stderr)
    if task == "AMREE":
        return _amree(args)
    if args.do_predict:
        print("amrgnn.run: --do_predict ignored (MLGM has no prediction step)", file=sys.stderr)
    if not (args.do_train or args.do_eval):
        print("amrgnn.run: error: nothing to do: pass --do_train and/or --do_eval", file=sys.stderr)
        return 2

    from .tasks.mlgm import MLGMConfig, run_pretraining

    warmup = int(args.warmup)
    if 0 < args.warmup < 1:
        print("amrgnn.run: --warmup < 1 read as a proportion is not supported; pass steps", file=sys.stderr)
        return 2
    fp16 = args.fp16 is not None and str(args.fp16).lower() not in ("false", "0", "no")
    cfg = MLGMConfig(
        data=[args.data_dir],
        output_dir=args.output_dir,
        backbone=args.init_model,
        model_config=args.model_config,
        max_steps=args.max_steps,
        epochs=args.num_train_epochs,
        batch_size=args.train_batch_size,
        eval_batch_size=args.eval_batch_size,
        gradient_accumulation_steps=args.accumulative_update,
        learning_rate=args.learning_rate,
        warmup_steps=warmup,
        max_seq_len=args.max_seq_len,
        save_steps=args.dump_interval,
        eval_steps=args.dump_interval,
        seed=args.seed,
        resume=args.resume,
        precision="fp16" if fp16 else "auto",
        workers=args.workers,
        do_train=args.do_train,
    )
    try:
        metrics = run_pretraining(cfg)
    except InputError as e:
        print(f"amrgnn.run: error: {e}", file=sys.stderr)
        return 2
    if metrics:
        print(" ".join(f"{k}={v:.4f}" for k, v in metrics.items() if isinstance(v, float)))
    return 0


def _find(data_dir: Path, names: tuple[str, ...]) -> Path | None:
    for n in names:
        for ext in (".json", ".jsonl"):
            if (data_dir / f"{n}{ext}").is_file():
                return data_dir / f"{n}{ext}"
    return None


def _layout(path: Path) -> str:
    with open(path, encoding="utf-8") as f:
        head = f.read(4096).lstrip()
    if head.startswith("["):
        return "nlpcl"
    return "phee" if '"context"' in head.split("\n", 1)[0] else "oneie"


def _amree(args: argparse.Namespace) -> int:
    """AMREE: ``data_dir`` holds ``train``, ``dev`` (or ``val``) and optionally ``test`` files
    (``.json``/``.jsonl``) in any supported layout (detected)."""
    from .tasks.ee import EEConfig, run_event_extraction

    data_dir = Path(args.data_dir)
    train, dev, test = _find(data_dir, ("train",)), _find(data_dir, ("dev", "val")), _find(data_dir, ("test",))
    if train is None or dev is None:
        print(f"amrgnn.run: error: {data_dir}: expected train.json(l) and dev.json(l) (or val.json)", file=sys.stderr)
        return 2
    if not args.do_train:
        print("amrgnn.run: error: AMREE runs --do_train (evaluation and prediction of dev/test come with it)", file=sys.stderr)
        return 2
    cfg = EEConfig(
        train=str(train), dev=str(dev), test=str(test) if (test and args.do_predict) else None,
        output_dir=args.output_dir, format=_layout(train), graphs=args.amr_graphs, backbone=args.init_model,
        epochs=args.num_train_epochs, max_steps=args.max_steps, batch_size=args.train_batch_size,
        eval_batch_size=args.eval_batch_size, learning_rate=args.learning_rate, warmup_steps=int(args.warmup),
        max_seq_len=args.max_seq_len, seed=args.seed, resume=args.resume, workers=args.workers,
    )
    try:
        results = run_event_extraction(cfg)
    except InputError as e:
        print(f"amrgnn.run: error: {e}", file=sys.stderr)
        return 2
    for split in ("dev", "test"):
        if split in results:
            print(split, " ".join(f"{k}={v['f1']:.2f}" for k, v in results[split].items() if isinstance(v, dict)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
