"""``amrgnn train-parser``, ``parse`` and ``evaluate-graphs``: AMR token graphs without a parser model."""

from __future__ import annotations

import argparse
import json

from ..options import add_options, from_namespace
from ..tasks.parser.config import ParserConfig
from .command import Command, existing_path

__all__ = ["EVALUATE_GRAPHS", "PARSE", "TRAIN_PARSER"]


def _run_train_parser(args: argparse.Namespace) -> int:
    from ..tasks.parser.train import run_parser_training

    cfg = from_namespace(ParserConfig, args)
    existing_path(*(p for p in [*cfg.data, *cfg.exclude] if not any(c in p for c in "*?[")))
    scores = run_parser_training(cfg)
    print(json.dumps({k: v for k, v in scores.items() if not k.endswith("_p") and not k.endswith("_r")}, indent=2))
    print(f"wrote {cfg.output_dir} (model, amr_vocab.json, metrics.jsonl, curves.png, scores.dev.json)")
    return 0


TRAIN_PARSER = Command(
    "train-parser", "train the token-graph predictor (AMR graphs from text, no parser model needed)",
    lambda p: add_options(p, ParserConfig), _run_train_parser,
    description="Fine-tune AMRDebertaForTokenGraph (biaffine arcs with sigmoid outputs, a relation scorer) on the gold "
    "token graphs of AMR files (ISI alignments where a graph has them, else the built-in aligner). A dev split by id "
    "selects the checkpoint (labelled F1) and the arc threshold.",
)


def _input_formats() -> list[str]:
    from ..data.events import EVENT_FORMATS

    return ["tokens", "text", *EVENT_FORMATS.names(), "amr"]


def _add_parse(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="a train-parser output directory")
    p.add_argument("--input", required=True, help="sentences to parse")
    p.add_argument("--format", required=True, choices=_input_formats(),
                   help="tokens (JSON lines with id and tokens), text (a sentence a line), an event format, or amr")
    p.add_argument("--output", required=True, help="token graphs (JSON lines)")
    p.add_argument("--batch-size", type=int, default=32, help="sentences per batch, formed by length (default: 32)")
    p.add_argument("--device", help="cpu, cuda, cuda:1... (default: cuda when available)")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="turn off: the progress bar")


def _run_parse(args: argparse.Namespace) -> int:
    from ..tasks.parser.parse import TokenGraphPredictor, read_sentences, write_parses

    existing_path(args.model, args.input)
    predictor = TokenGraphPredictor(args.model, device=args.device)
    graphs, stats = predictor.predict(read_sentences(args.input, args.format), batch_size=args.batch_size,
                                      progress=args.progress)
    n = write_parses(graphs, predictor.relations, args.output)
    edges = sum(g.edges.size(0) for g in graphs)
    print(f"wrote {n} sentences ({edges} edges, arc threshold {stats['threshold']:.2f}) to {args.output}")
    if stats["truncated"]:
        print(f"{stats['truncated']} sentences longer than the model's length: {stats['words_cut']} words got no edges")
    return 0


PARSE = Command(
    "parse", "predict AMR token graphs for sentences with a train-parser model", _add_parse, _run_parse,
    description="Writes JSON lines {id, tokens, edges: [[i, j, relation], ...]}: 0-based word indices, i != j, the "
    "model's relation names (:instance links the words of one concept). Every input sentence gets a line.",
)


def _add_evaluate_graphs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold", nargs="+", required=True, help="gold AMR files")
    p.add_argument("--pred", required=True, help="a parse output (JSON lines)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--top", type=int, default=15, help="relations listed, most frequent first (default: 15)")


def _run_evaluate_graphs(args: argparse.Namespace) -> int:
    from ..tasks.parser.score import evaluate_graph_files

    existing_path(*args.gold, args.pred)
    score, sources = evaluate_graph_files(args.gold, args.pred)
    summary = {**score.summary(args.top), "gold_alignments": sources}
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"gold token graphs: {sources['isi']} from ISI alignments, {sources['aligner']} from the built-in aligner")
    print(f"{'':<16} {'P':>6} {'R':>6} {'F1':>6}")
    for name in ("labelled", "unlabelled", "instance", "relations_only"):
        m = summary[name]
        print(f"{name:<16} {m['p']:6.2f} {m['r']:6.2f} {m['f1']:6.2f}")
    print(f"{'relation':<16} {'gold':>6} {'pred':>6} {'F1':>6}")
    for r, m in summary["per_relation"].items():
        print(f"{r:<16} {m['gold']:6d} {m['pred']:6d} {m['f1']:6.2f}")
    print(f"{score.sentences} gold sentences, {score.missing_predictions} without a prediction, "
          f"{len(score.unmatched_predictions)} predicted sentences not in gold")
    return 0


EVALUATE_GRAPHS = Command(
    "evaluate-graphs", "score predicted token graphs against gold AMRs (labelled / unlabelled P, R, F1)",
    _add_evaluate_graphs, _run_evaluate_graphs,
    description="Precision, recall and F1 over ordered word pairs, labelled (i, j, relation) and unlabelled (i, j), "
    "per relation and for :instance apart, against the token graphs of the gold AMRs; gold sentences missing from "
    "the predictions count as misses.",
)
