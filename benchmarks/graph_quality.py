#!/usr/bin/env python
"""How good are the predicted token graphs? The token-graph predictor (``amrgnn train-parser`` with
its defaults) against two plain baselines, on gold AMR sentences it never saw, with a learning
curve over training size.

Training data: the four public AMR files the defaults are for (Little Prince v3.0, Bio AMR dev,
QALD-9 train and test) minus the evaluation sentences (same id or same words). Evaluation:

* ``lpp-test``: Little Prince v1.6 test (143 literary sentences; the rest of the book is trained on);
* ``qald-test``: QALD-9 test (questions; about 400 QALD-9 training questions are trained on).

Their gold token graphs come from the built-in aligner (neither file has ISI alignments), like the
training graphs of those corpora. Baselines, fitted on the same training graphs: adjacent words
(each word -> its neighbour, the most frequent relation) and a pair memory (word pairs that had an
edge in most of their training occurrences). Scores: labelled and unlabelled P/R/F1 over ordered
word pairs, ``:instance`` apart, per relation.

    python benchmarks/graph_quality.py [--data DIR] [--output-dir out/graph-quality]
        [--sizes 25% 50% 100%] [--epochs N] [--json PATH] [--markdown PATH] [--plot PNG]

Trained models are kept in ``--output-dir/train-<size>`` and read back when they are complete
(``scores.dev.json``), so an interrupted run continues where it stopped.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from amrgnn.data.token_graph_predictor import TokenGraphPredictor  # noqa: E402
from amrgnn.data.token_graphs import gold_word_graphs, named_triples  # noqa: E402
from amrgnn.graph.io import read_amr  # noqa: E402
from amrgnn.graph.vocab import AMRVocab  # noqa: E402
from amrgnn.tasks.parser.baselines import AdjacentWordsBaseline, PairMemoryBaseline  # noqa: E402
from amrgnn.tasks.parser.config import ParserConfig  # noqa: E402
from amrgnn.tasks.parser.score import GraphScore, score_graphs  # noqa: E402
from amrgnn.tasks.parser.train import run_parser_training, select_graphs  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
TRAIN_FILES = ("little-prince-amr/amr-bank-struct-v3.0.txt", "bio-amr/alignment-release-dev-bio.txt",
               "qald9-amr/qald-9-amr-train.txt", "qald9-amr/qald-9-amr-test.txt")
EVAL_SETS = {"lpp-test": "little-prince-amr/amr-bank-struct-v1.6-test.txt", "qald-test": "qald9-amr/qald-9-amr-test.txt"}
TOP_RELATIONS = 12


def pct(size: float) -> str:
    return f"{round(100 * size)}%"


def parse_size(text: str) -> float:
    value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"a size is a fraction in (0, 1] or a percentage, got {text!r}")
    return value


def summary(score: GraphScore) -> dict[str, Any]:
    return score.summary(top=TOP_RELATIONS)


def evaluate(predict: Any, gold: dict[str, list]) -> dict[str, dict[str, Any]]:
    """``predict(list of (id, tokens)) -> {id: triples}`` scored on every evaluation set."""
    out = {}
    for name, graphs in gold.items():
        pred = predict([(g.id, g.tokens) for g, _ in graphs])
        out[name] = summary(score_graphs([(g.id, triples) for g, triples in graphs], pred))
    return out


def train(cfg: ParserConfig) -> dict[str, Any]:
    """Train (or read back) one predictor; returns its dev scores and training time."""
    out = Path(cfg.output_dir)
    done = out / "scores.dev.json"
    timing = out / "timing.json"
    if done.is_file() and timing.is_file():
        return {**json.loads(done.read_text()), **json.loads(timing.read_text()), "reused": True}
    cfg.resume = (out / "parser_config.json").is_file()
    t0 = time.perf_counter()
    scores = run_parser_training(cfg)
    seconds = time.perf_counter() - t0
    timing.write_text(json.dumps({"train_seconds": seconds, "resumed": cfg.resume}))
    return {**scores, "train_seconds": seconds, "reused": False}


def predictor_fn(model_dir: Path) -> Any:
    predictor = TokenGraphPredictor(model_dir, device="cpu")

    def predict(sentences: list[tuple[str, list[str]]]) -> dict[str, list]:
        graphs, _ = predictor.predict(sentences, batch_size=32)
        return {g.id: [(i, j, predictor.relations[r]) for i, j, r in g.edges.tolist()] for g in graphs}

    return predict


def baseline_fn(model: Any) -> Any:
    return lambda sentences: {sid: model.predict(tokens) for sid, tokens in sentences}


def markdown(payload: dict[str, Any]) -> str:
    sets = list(EVAL_SETS)
    head = "| system | train graphs | " + " | ".join(f"{s} L-F1 | {s} U-F1" for s in sets) + " | train time |"
    lines = [head, "|" + "---|" * (3 + 2 * len(sets))]
    for row in payload["rows"]:
        cells = []
        for s in sets:
            sc = row["scores"][s]
            cells += [f"{sc['labelled']['f1']:.1f}", f"{sc['unlabelled']['f1']:.1f}"]
        minutes = f"{row['train_seconds'] / 60:.1f} min" if row.get("train_seconds") else "-"
        lines.append(f"| {row['system']} | {row['train_graphs']} | " + " | ".join(cells) + f" | {minutes} |")
    best = payload["rows"][-1]
    lines += ["", f"Per relation ({best['system']}, F1 on each set; gold count in brackets):", "",
              "| relation | " + " | ".join(sets) + " |", "|---|" + "---:|" * len(sets)]
    rels = list(best["scores"][sets[0]]["per_relation"])
    for r in rels:
        cells = []
        for s in sets:
            pr = best["scores"][s]["per_relation"].get(r)
            cells.append(f"{pr['f1']:.1f} ({pr['gold']})" if pr else "-")
        lines.append(f"| `{r}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(payload: dict[str, Any], path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.6), layout="constrained")
    axes = fig.subplots(1, len(EVAL_SETS), sharey=True)
    curve = [r for r in payload["rows"] if r["system"].startswith("predictor")]
    base = [r for r in payload["rows"] if not r["system"].startswith("predictor")]
    for ax, s in zip(axes, EVAL_SETS, strict=True):
        x = [r["train_graphs"] for r in curve]
        for kind, style in (("labelled", "o-"), ("unlabelled", "s--")):
            ax.plot(x, [r["scores"][s][kind]["f1"] for r in curve], style, label=f"predictor, {kind}")
        for r, color in zip(base, ("tab:gray", "tab:brown"), strict=False):
            ax.axhline(r["scores"][s]["labelled"]["f1"], color=color, lw=1, ls=":", label=f"{r['system']}, labelled")
        ax.set_title(s)
        ax.set_xlabel("training graphs")
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("F1 (%)")
    axes[0].legend(fontsize=7, loc="upper left")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default: {DEFAULT_DATA})")
    ap.add_argument("--output-dir", type=Path, default=ROOT / "out" / "graph-quality", help="trained models (reused)")
    ap.add_argument("--sizes", nargs="+", type=parse_size, default=[0.25, 0.5, 1.0],
                    help="fractions of the training graphs (default: 25%% 50%% 100%%)")
    ap.add_argument("--epochs", type=float, default=None, help="override the recipe's epochs (default: its own)")
    ap.add_argument("--backbone", default="offline", help="the predictor's backbone (default: offline)")
    ap.add_argument("--json", type=Path, help="write the results as JSON here")
    ap.add_argument("--markdown", type=Path, help="write the tables as markdown here")
    ap.add_argument("--plot", type=Path, help="write the learning curves here (PNG)")
    args = ap.parse_args(argv)

    missing = [f for f in (*TRAIN_FILES, *EVAL_SETS.values()) if not (args.data / f).is_file()]
    if missing:
        print(f"error: {args.data / missing[0]} not found; point --data at the shared data folder", file=sys.stderr)
        return 2
    torch.set_num_threads(max(1, torch.get_num_threads()))
    eval_paths = [str(args.data / f) for f in EVAL_SETS.values()]
    base_cfg = dict(data=[str(args.data / f) for f in TRAIN_FILES], exclude=eval_paths, backbone=args.backbone,
                    progress=False)
    if args.epochs is not None:
        base_cfg["epochs"] = args.epochs

    # gold graphs of the evaluation sets, and the training graphs the baselines count over
    selection = select_graphs(ParserConfig(output_dir=str(args.output_dir), **base_cfg))
    vocab = AMRVocab.build(selection.train)
    train_graphs, _ = gold_word_graphs(selection.train, vocab)
    gold = {}
    for name, path in EVAL_SETS.items():
        amrs = list(read_amr(args.data / path, progress=False))
        eval_vocab = AMRVocab.build(amrs)
        graphs, sources = gold_word_graphs(amrs, eval_vocab)
        gold[name] = [(g, named_triples(g, eval_vocab.relations)) for g in graphs]
        print(f"{name}: {len(graphs)} sentences, {sum(len(t) for _, t in gold[name])} gold edges (alignments: {sources})")

    rows = []
    for name, model in (("adjacent words", AdjacentWordsBaseline()), ("pair memory", PairMemoryBaseline())):
        model.fit(train_graphs, vocab.relations)
        rows.append({"system": name, "train_graphs": len(train_graphs), "scores": evaluate(baseline_fn(model), gold)})
    for size in sorted(args.sizes):
        cfg = ParserConfig(output_dir=str(args.output_dir / f"train-{pct(size)}"), train_fraction=size, **base_cfg)
        info = train(cfg)
        n = json.loads((Path(cfg.output_dir) / "data_summary.json").read_text())["graphs"]["train"]
        rows.append({"system": f"predictor {pct(size)}", "train_graphs": n, "train_seconds": info["train_seconds"],
                     "dev": {k: v for k, v in info.items() if k.endswith("_f1") or k == "threshold"},
                     "scores": evaluate(predictor_fn(Path(cfg.output_dir)), gold)})
        print(f"trained {rows[-1]['system']}: {n} graphs in {info['train_seconds'] / 60:.1f} min"
              f"{' (read back)' if info['reused'] else ''}")

    print(f"\n{'system':16} {'graphs':>6}  " + "  ".join(f"{s + ' L/U F1':>20}" for s in EVAL_SETS))
    for row in rows:
        cells = "  ".join(f"{row['scores'][s]['labelled']['f1']:9.1f} /{row['scores'][s]['unlabelled']['f1']:9.1f}"
                          for s in EVAL_SETS)
        print(f"{row['system']:16} {row['train_graphs']:6d}  {cells}")
    payload = {"data": str(args.data), "train_files": list(TRAIN_FILES), "eval_sets": EVAL_SETS,
               "machine": {"cpu_threads": torch.get_num_threads(), "platform": platform.platform()}, "rows": rows}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2))
        print(f"wrote {args.json}")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown(payload))
        print(f"wrote {args.markdown}")
    if args.plot:
        plot(payload, args.plot)
        print(f"wrote {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
