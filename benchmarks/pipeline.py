#!/usr/bin/env python
"""Raw-text event extraction speed: ``EventExtractionPipeline`` on raw text (sentence splitting,
tokenisation, graphs when the model reads them, encoding, decoding, character offsets) against
``predict-ee``'s path on the same sentences already tokenised (read, graphs, encode,
``predict_sentences``), with and without predicted token graphs, in one run (round-robin rounds).

The models are loaded once, before timing, for both contenders. Predicted graphs are never read
from the cache (each round gets an empty ``$AMRGNN_CACHE``), so both graph contenders pay for
prediction. Without ``--model`` / ``--graph-model`` the two models are made by ``train-ee`` with a
few steps on GENEVA: their heads are barely trained, which is fine for speed, not for quality.

    python benchmarks/pipeline.py [--model DIR] [--graph-model DIR] [--predictor DIR]
        [--sentences 200] [--batch-size 32] [--repeat 3] [--device cpu] [--json PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

import torch

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from amrgnn.data.ee import EECollator, EEDataset, encode_sentences  # noqa: E402
from amrgnn.data.events import read_events  # noqa: E402
from amrgnn.data.graphs import attach_graphs, parse_graph_source  # noqa: E402
from amrgnn.tasks.ee.pipeline import EventExtractionPipeline  # noqa: E402
from amrgnn.tasks.ee.predict import predict_sentences  # noqa: E402

_spec = importlib.util.spec_from_file_location("_timing", BENCH / "_timing.py")
_timing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_timing)

GENEVA = ROOT.parent / "shared" / "data" / "geneva"


def make_model(out: Path, graphs: str, backbone: str, steps: int) -> Path:
    """A ``train-ee`` model of a few steps on GENEVA (``out``; reused when there)."""
    if (out / "model.safetensors").is_file():
        return out
    from amrgnn.tasks.ee.config import EEConfig
    from amrgnn.tasks.ee.train import fit_event_model, read_split

    cfg = EEConfig(train=str(GENEVA / "train-lr1200-s160.json"), dev=str(GENEVA / "val.json"), output_dir=str(out), graphs=graphs,
                   backbone=backbone, max_steps=steps, progress=False, report_to=[])
    train = read_split(cfg.train, cfg, "train")[0][:400]
    dev = read_split(cfg.dev, cfg, "dev")[0][:32]
    fit_event_model(cfg, train, dev)
    return out


class _PredictEE:
    """``predict-ee``'s path with a loaded model: read the file, attach graphs, encode, decode."""

    def __init__(self, model_dir: Path, input_path: Path, batch_size: int, device: torch.device) -> None:
        pipe = EventExtractionPipeline.from_pretrained(model_dir, device=device)  # the same loaded model and tokenizer
        self.model, self.tokenizer, self.spec = pipe.model, pipe.tokenizer, pipe.graph_spec
        self.labels, self.input, self.batch_size, self.device = pipe.labels, input_path, batch_size, device
        self.model_dir = model_dir

    def __call__(self) -> int:
        sents = read_events(self.input)
        source = parse_graph_source(self.spec)
        graphs, _, _ = attach_graphs(source, sents, self.tokenizer, backbone=self.model_dir)
        examples, _ = encode_sentences(sents, self.tokenizer, self.labels, graphs=graphs)
        config = self.model.config
        collator = EECollator(self.tokenizer.pad_token_id, config.graph_num_scales, config.graph_undirected,
                              use_graph=source.uses_graphs, with_entities=config.ee_entity_labels is not None)
        preds = predict_sentences(self.model, sents, EEDataset(examples), collator, batch_size=self.batch_size,
                                  candidates="predicted" if config.ee_entity_labels is not None else "given", device=self.device)
        return sum(len(s.events) for s in preds)


def _fresh_cache(fn):
    """``fn`` with an empty graph cache for each call (no contender reads another's predictions)."""
    def call():
        with tempfile.TemporaryDirectory() as d:
            old = os.environ.get("AMRGNN_CACHE")
            os.environ["AMRGNN_CACHE"] = d
            try:
                return fn()
            finally:
                os.environ.pop("AMRGNN_CACHE") if old is None else os.environ.__setitem__("AMRGNN_CACHE", old)
    return call


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, help="a train-ee model without graphs (default: made in --work)")
    ap.add_argument("--graph-model", type=Path, help="a train-ee model with predicted graphs (default: made in --work)")
    ap.add_argument("--predictor", type=Path, default=ROOT / "out" / "graph-quality" / "train-100%",
                    help="the train-parser model of the default graph model (default: the graph-quality benchmark's)")
    ap.add_argument("--backbone", default="offline", help="backbone of the default models")
    ap.add_argument("--steps", type=int, default=100, help="training steps of the default models (on 400 GENEVA sentences)")
    ap.add_argument("--input", type=Path, default=GENEVA / "val.json", help="OneIE sentences (default: GENEVA val)")
    ap.add_argument("--sentences", type=int, default=200, help="first N sentences (default: 200)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds, after one warm-up (default: 3)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--work", type=Path, default=ROOT / "out" / "bench" / "pipeline", help="default models and the input subset")
    ap.add_argument("--json", type=Path, help="write the results as JSON here")
    args = ap.parse_args(argv)
    if not args.input.is_file():
        print(f"error: {args.input} not found (--input)", file=sys.stderr)
        return 2
    device = torch.device(args.device)
    args.work.mkdir(parents=True, exist_ok=True)
    lines = args.input.read_text(encoding="utf-8").splitlines()[: args.sentences]
    subset = args.work / "input.jsonl"
    subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sents = read_events(subset)
    texts = [" ".join(s.tokens) for s in sents]
    words = sum(len(s.tokens) for s in sents)
    models = {"text": args.model or make_model(args.work / "model-text", "none", args.backbone, args.steps)}
    if args.graph_model or (args.predictor / "config.json").is_file():
        models["graphs"] = args.graph_model or make_model(args.work / "model-graphs", f"predicted:{args.predictor}", args.backbone, args.steps)
    else:
        print(f"note: {args.predictor} holds no predictor: the rows with graphs are skipped (--predictor or --graph-model)")
    contenders = {}
    for kind, model_dir in models.items():
        pipe = EventExtractionPipeline.from_pretrained(model_dir, device=device)
        contenders[f"predict-ee, tokenised ({kind})"] = _fresh_cache(_PredictEE(model_dir, subset, args.batch_size, device))
        contenders[f"pipeline, raw text ({kind})"] = _fresh_cache(lambda pipe=pipe: pipe(texts, batch_size=args.batch_size))
    times = _timing.race(contenders, args.repeat, device)
    print(f"{len(sents)} sentences, {words} words from {args.input}; batch {args.batch_size}; {device}; {torch.get_num_threads()} threads")
    print(f"{'contender':34} {'sentences/s':>12} {'words/s':>9} {'vs predict-ee':>14}")
    rows = []
    for name, ts in times.items():
        kind = name[name.index("(") + 1 : -1]
        base = statistics.median(times[f"predict-ee, tokenised ({kind})"])
        t = statistics.median(ts)
        rows.append({"contender": name, "graphs": kind == "graphs", "seconds": t, "sentences_per_second": len(sents) / t,
                     "words_per_second": words / t, "ratio_to_predict_ee": t / base})
        print(f"{name:34} {len(sents) / t:12.1f} {words / t:9.0f} {t / base:13.2f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "input": str(args.input), "sentences": len(sents), "words": words, "batch_size": args.batch_size, "device": str(device),
            "threads": torch.get_num_threads(), "platform": platform.platform(), "models": {k: str(v) for k, v in models.items()},
            "steps": None if args.model else args.steps,
            "rows": rows,
        }, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
