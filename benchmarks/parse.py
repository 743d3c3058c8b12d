#!/usr/bin/env python
"""Token-graph prediction speed: ``TokenGraphPredictor.predict`` (tokenise, encode, score every
word pair, label the likely arcs, decode) against a plain forward pass of the same backbone on the
same sentences (tokenise + encoder), in one run, with the same length-sorted batches.

Goal: the predictor costs at most 2x the plain forward pass. For scale, amrlib's maintainer reports
about 31 sentences/s for its ``parse_xfm_bart_base`` model batched on an RTX 3090, and users see
about 1 sentence/s calling it sentence by sentence (bjascob/amrlib issue 51); full AMR parsers
generate a linearised graph token by token, which the token-graph predictor does not need.

    python benchmarks/parse.py --model out/graph-quality/train-100% [--input F --format F]
        [--sentences N] [--batch-size 32] [--repeat 3] [--device cpu] [--json PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import sys
from pathlib import Path

import torch

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from amrgnn.data.token_graph_predictor import TokenGraphPredictor  # noqa: E402
from amrgnn.data.token_graphs import WordGraph, encode_word_graphs  # noqa: E402
from amrgnn.tasks.parser.parse import INPUT_FORMATS, read_sentences  # noqa: E402

_spec = importlib.util.spec_from_file_location("_timing", BENCH / "_timing.py")
_timing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_timing)

DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "geneva" / "val.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=ROOT / "out" / "graph-quality" / "train-100%",
                    help="a train-parser output (default: the graph-quality benchmark's 100%% model)")
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help=f"sentences (default: GENEVA val, {DEFAULT_INPUT})")
    ap.add_argument("--format", default="oneie", choices=INPUT_FORMATS, help="--input's format (default: oneie)")
    ap.add_argument("--sentences", type=int, default=500, help="first N sentences (default: 500)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds, after one warm-up (default: 3)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    ap.add_argument("--json", type=Path, help="write the results as JSON here")
    args = ap.parse_args(argv)
    if not (args.model / "config.json").is_file():
        print(f"error: {args.model} holds no trained predictor: run `amrgnn train-parser` or benchmarks/graph_quality.py",
              file=sys.stderr)
        return 2
    if not args.input.is_file():
        print(f"error: {args.input} not found (--input)", file=sys.stderr)
        return 2
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    sentences = read_sentences(args.input, args.format)[: args.sentences]
    predictor = TokenGraphPredictor(args.model, device=args.device)
    model, tokenizer = predictor.model, predictor.tokenizer
    words = sum(len(w) for _, w in sentences)

    def predict() -> None:
        predictor.predict(sentences, batch_size=args.batch_size)

    @torch.no_grad()
    def plain_forward() -> None:
        examples, _ = encode_word_graphs([WordGraph(sid, w) for sid, w in sentences], tokenizer,
                                         max_seq_len=predictor.max_seq_len)
        order = sorted(range(len(examples)), key=lambda k: examples[k].input_ids.numel())
        for k in range(0, len(order), args.batch_size):
            batch = predictor.collator([examples[i] for i in order[k : k + args.batch_size]])
            model.deberta(batch["input_ids"].to(device), attention_mask=batch["attention_mask"].to(device))

    times = _timing.race({"plain forward (tokenise + encoder)": plain_forward, "predictor (TokenGraphPredictor.predict)": predict},
                         args.repeat, device)
    base = statistics.median(times["plain forward (tokenise + encoder)"])
    rows = []
    print(f"{len(sentences)} sentences, {words} words from {args.input}; batch {args.batch_size}; {device};"
          f" {torch.get_num_threads()} threads")
    print(f"{'contender':42} {'sentences/s':>12} {'words/s':>9} {'vs plain':>9}")
    for name, ts in times.items():
        t = statistics.median(ts)
        rows.append({"contender": name, "seconds": t, "sentences_per_second": len(sentences) / t,
                     "words_per_second": words / t, "ratio_to_plain": t / base})
        print(f"{name:42} {len(sentences) / t:12.1f} {words / t:9.0f} {t / base:8.2f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "input": str(args.input), "sentences": len(sentences), "words": words, "batch_size": args.batch_size,
            "device": str(device), "threads": torch.get_num_threads(), "platform": platform.platform(),
            "model": str(args.model), "rows": rows,
        }, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
