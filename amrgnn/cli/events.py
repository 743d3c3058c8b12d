"""``amrgnn train-ee``, ``predict-ee`` and ``evaluate``: event extraction (AMREE)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..data.events import EVENT_FORMATS
from ..options import add_options, field_default, from_namespace
from ..tasks.ee.config import EEConfig
from ..tasks.ee.score import METRICS
from .command import Command, existing_path

__all__ = ["EVALUATE", "PREDICT_EE", "TRAIN_EE", "print_scores", "train_ee_config"]


def print_scores(scores: dict[str, Any]) -> None:
    print(f"{'metric':<14} {'P':>6} {'R':>6} {'F1':>6}")
    for name in METRICS:
        m = scores[name]
        print(f"{name:<14} {m['p']:6.2f} {m['r']:6.2f} {m['f1']:6.2f}")


def _add_evaluate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold", required=True, type=Path, help="gold sentences")
    p.add_argument("--pred", required=True, type=Path, help="predictions (OneIE-style JSON lines)")
    p.add_argument("--format", default="oneie", choices=EVENT_FORMATS.names(), help="layout of --gold (default: oneie)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--per-type", type=Path, help="per-event-type scores CSV (default: beside PRED)")


def _run_evaluate(args: argparse.Namespace) -> int:
    from ..data.events import read_events
    from ..tasks.ee.score import score_events, write_per_type_csv

    existing_path(args.gold, args.pred)
    gold = read_events(args.gold, args.format)
    pred = read_events(args.pred, "oneie", predictions=True)
    score = score_events(gold, pred)
    per_type = args.per_type or args.pred.with_suffix(".per_type.csv")
    write_per_type_csv(score, per_type)
    if args.json:
        print(json.dumps(score.as_dict()))
    else:
        print_scores(score.as_dict())
        print(f"{score.sentences} gold sentences, {score.missing_predictions} without a prediction, "
              f"{len(score.unmatched_predictions)} predicted sentences not in gold; per type: {per_type}")
    return 0


EVALUATE = Command(
    "evaluate", "score event predictions (OneIE definitions and TextEE's '+' variants)", _add_evaluate, _run_evaluate,
    description="Trigger identification/classification and argument identification/classification (+ variants: trigger "
    "offsets must match too), micro P/R/F1 in percent. PRED is OneIE-style JSON lines matched to GOLD by wnd_id, else "
    "sent_id, else doc_id#position; any well-formed prediction is scored (duplicates count once).",
)


def train_ee_config(args: argparse.Namespace, **values: Any) -> EEConfig:
    """The :class:`EEConfig` of parsed options (``values`` override)."""
    cfg = from_namespace(EEConfig, args, **values)
    existing_path(cfg.train, cfg.dev, cfg.test)
    return cfg


def _run_train_ee(args: argparse.Namespace) -> int:
    from ..tasks.ee.train import run_event_extraction

    cfg = train_ee_config(args)
    results = run_event_extraction(cfg)
    for split in ("dev", "test"):
        if split in results:
            print(f"== {split}")
            print_scores(results[split])
    print(f"wrote {cfg.output_dir} (model, predictions.*.jsonl, scores.*.json, metrics.jsonl, curves.png)")
    return 0


TRAIN_EE = Command(
    "train-ee", "AMREE: train event extraction (triggers, arguments) with the AMR-aware encoder",
    lambda p: add_options(p, EEConfig), _run_train_ee,
    description="Fine-tune AMRDebertaForEventExtraction with HF Trainer; the checkpoint with the best dev "
    "argument-classification F1 (--select-metric) is kept; dev (and test) predictions and scores are written to "
    "OUTPUT_DIR.",
)


def _add_predict_ee(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, type=Path, help="a train-ee output directory")
    p.add_argument("--input", required=True, type=Path, help="sentences to predict")
    p.add_argument("--format", default="oneie", choices=[*EVENT_FORMATS.names(), "text"],
                   help="layout of --input (default: oneie); text: plain text, one document per line")
    p.add_argument("--whole-file", action="store_true", help="--format text: the whole file is one document")
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:1... (default: the best available)")
    p.add_argument("--graphs", default=None, help="as train-ee (default: what the model was trained with)")
    p.add_argument("--output", required=True, type=Path, help="predictions (JSON lines)")
    batch, length = field_default(EEConfig, "eval_batch_size"), field_default(EEConfig, "max_seq_len")
    p.add_argument("--batch-size", type=int, default=batch, help=f"(default: {batch})")
    p.add_argument("--max-seq-len", type=int, default=length, help=f"sub-words per sentence (default: {length})")
    p.add_argument("--skip-invalid", action="store_true", help="skip (and count) bad records instead of stopping")


def _run_predict_ee(args: argparse.Namespace) -> int:
    existing_path(args.model, args.input)
    if args.format == "text":
        from ..tasks.ee.pipeline import predict_text_file

        docs, blank, events = predict_text_file(args.model, args.input, args.output, whole_file=args.whole_file, graphs=args.graphs,
                                                batch_size=args.batch_size, max_seq_len=args.max_seq_len, device=args.device)
        print(f"wrote {docs} documents ({events} events) to {args.output}" + (f"; {blank} blank lines skipped" if blank else ""))
        return 0
    from ..tasks.ee.predict import predict_file

    n = predict_file(args.model, args.input, args.output, fmt=args.format, graphs=args.graphs, batch_size=args.batch_size,
                     max_seq_len=args.max_seq_len, skip_invalid=args.skip_invalid, device=args.device)
    print(f"wrote {n} sentences with predicted events to {args.output}")
    return 0


PREDICT_EE = Command(
    "predict-ee", "predict events with a train-ee model", _add_predict_ee, _run_predict_ee,
    description="Writes the input's records with event_mentions replaced by predictions; with --format text, one JSON "
    "record per document: its text, sentence offsets and events with character offsets (EventExtractionPipeline's records).",
)
