"""``make demo``: the whole pipeline on the public data, each stage timed.

1. prepare an AMR corpus (PyG graphs, k-hop structure) and draw one graph;
2. convert the offline backbone (all-MiniLM-L6-v2) to a DeBERTa-v2 checkpoint;
3. MLGM pre-training on the public AMR corpora (a few minutes);
4. a small token-graph predictor (``train-parser``, one epoch; reused when ``out/parser`` holds a
   finished one) scored on Little Prince v1.6 test, which it does not train on, and one sentence's
   predicted token graph drawn under its gold one;
5. event extraction on GENEVA from the MLGM checkpoint: train on the training subset, predict and
   score GENEVA val, draw one example with its gold and predicted events;
6. the prediction report (``amrgnn view``: ``out/ee-geneva/report.html``, rendered to PNG by headless
   Chromium when it is installed) and the trained model on three raw sentences of its own
   (:class:`~amrgnn.EventExtractionPipeline`: text in, events out with character offsets).

GENEVA has no AMR graphs, so stage 5 runs the text path (``--graphs none``) by default; pass
``--ee-graphs predicted:out/parser`` to give it the stage-4 predictor's graphs (or
``penman:PATH`` with a parser's output).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from .cli import main as cli

__all__ = ["main"]


def _stage(name: str, times: list[tuple[str, float]], argv: list[str]) -> None:
    print(f"\n== {name}: amrgnn {' '.join(argv)}", flush=True)
    t0 = time.perf_counter()
    rc = cli(argv)
    times.append((name, time.perf_counter() - t0))
    if rc != 0:
        raise SystemExit(f"demo stage {name!r} failed with exit status {rc}")


def _token_graph_stage(times: list[tuple[str, float]], corpora: list[str], shared: Path, out: Path, epochs: float) -> None:
    """Train (or reuse) a small predictor, score it on unseen gold AMRs, draw one sentence."""
    test = shared / "little-prince-amr" / "amr-bank-struct-v1.6-test.txt"
    if not test.is_file():
        print("\n(no Little Prince v1.6 test in ../shared/data: the token-graph stage is skipped)")
        return
    parser = out / "parser"
    if (parser / "scores.dev.json").is_file():
        print(f"\n== token-graph predictor: reusing {parser} (delete it to train again)")
    else:
        if parser.exists():
            import shutil

            shutil.rmtree(parser)
        _stage("token-graph predictor", times, [
            "train-parser", "--data", *corpora, "--exclude", str(test), "--output-dir", str(parser),
            "--backbone", str(out / "backbone"), "--epochs", str(epochs), "--no-progress",
        ])
    parses = parser / "parse.lpp-test.jsonl"
    _stage("parse Little Prince test", times, ["parse", "--model", str(parser), "--input", str(test), "--format", "amr",
                                               "--output", str(parses), "--no-progress"])
    _stage("score the parses", times, ["evaluate-graphs", "--gold", str(test), "--pred", str(parses), "--top", "5"])
    t0 = time.perf_counter()
    from .data.token_graphs import gold_word_graphs, named_triples, read_token_graphs
    from .graph.io import read_amr
    from .graph.vocab import AMRVocab
    from .viz.token_graphs import draw_token_graphs

    amrs = list(read_amr(test, progress=False))
    vocab = AMRVocab.build(amrs)
    gold = {g.id: (g.tokens, set(named_triples(g, vocab.relations))) for g in gold_word_graphs(amrs, vocab)[0]}
    pred = read_token_graphs(parses)

    def interest(sid: str) -> tuple:  # a short sentence with many right arcs and few wrong ones
        tokens, triples = gold[sid]
        found = set(map(tuple, pred.get(sid, ([], []))[1]))
        return (8 <= len(tokens) <= 14, len(found & triples) - len(found - triples), -len(tokens))

    best = max(gold, key=interest)
    picture = parser / "example.png"
    draw_token_graphs(gold[best][0], gold[best][1], pred[best][1], picture, title=f"Little Prince test {best}: gold above, predicted below")
    times.append(("draw a token graph", time.perf_counter() - t0))
    print(f"token graphs: {parses}, example: {picture}")


#: the raw text of the last stage (written for the demo)
RAW_TEXT = [
    "Rebels attacked an army convoy near the border on Monday, and two soldiers were killed.",
    "The company said it would acquire the startup for $2 billion after regulators approved the deal.",
    "Police arrested the suspect in Chicago, and he was charged with fraud the next day.",
]


def _view_stage(times: list[tuple[str, float]], ee: Path, gold: Path) -> None:
    """The prediction report (``amrgnn view``), rendered to PNG by headless Chromium when installed."""
    import shutil
    import subprocess

    html = ee / "report.html"
    _stage("prediction report (amrgnn view)", times, ["view", str(ee / "predictions.dev.jsonl"), "--gold", str(gold), "--html", str(html)])
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("(no chromium on this machine: the report is not rendered to PNG; apt-get install chromium to get it)")
        return
    t0 = time.perf_counter()
    png = ee / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               "--hide-scrollbars", "--window-size=1280,1600", f"--screenshot={png.resolve()}", html.resolve().as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode or not png.is_file():
        print(f"(chromium could not render the report: exit {done.returncode}; {done.stderr.strip()[-300:]})")
        return
    times.append(("render the report (chromium)", time.perf_counter() - t0))
    print(f"report: {html} (rendered: {png})")


def _pipeline_stage(times: list[tuple[str, float]], ee: Path) -> None:
    """Text in, events out: the trained model on three raw sentences of the demo's own."""
    t0 = time.perf_counter()
    from .tasks.ee.pipeline import EventExtractionPipeline

    pipe = EventExtractionPipeline.from_pretrained(ee)
    record = pipe(" ".join(RAW_TEXT))
    times.append(("pipeline on raw text", time.perf_counter() - t0))
    print("\n== EventExtractionPipeline on raw text")
    text = record["text"]
    for k, sent in enumerate(record["sentences"]):
        print(f"[{k}] {text[sent['start']:sent['end']]}")
        for ev in (e for e in record["events"] if e["sentence"] == k):
            t = ev["trigger"]
            args = ", ".join(f"{a['role']}={a['text']!r}" for a in ev["arguments"]) or "no arguments"
            print(f"    {ev['type']} ({ev['score']:.2f}): {t['text']!r} at {t['start']}-{t['end']}; {args}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m amrgnn.demo", description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", type=Path, default=Path("../shared/data"))
    p.add_argument("--out", type=Path, default=Path("out"))
    p.add_argument("--mlgm-steps", type=int, default=180)
    p.add_argument("--ee-epochs", type=float, default=11)
    p.add_argument("--parser-epochs", type=float, default=1.0)
    p.add_argument("--ee-graphs", default="none")
    args = p.parse_args(argv)
    shared, out = args.shared, args.out
    times: list[tuple[str, float]] = []
    lpp = shared / "little-prince-amr" / "amr-bank-struct-v3.0.txt"
    sample = Path("data/samples/sample.amr.txt")
    amr, amr_id = (lpp, "lpp_1943.2") if lpp.is_file() else (sample, "sample.2")

    _stage("prepare AMR graphs", times, ["prepare", "amr", str(amr), "--out", str(out / "demo"), "--align", "--max-k", "4"])
    _stage("draw one AMR", times, ["show", str(amr), "--id", amr_id, "--align", "-o", str(out / "demo" / f"{amr_id}.png")])
    _stage("convert the offline backbone", times, ["convert-backbone", "offline", str(out / "backbone"), "--check"])

    corpora = [lpp, shared / "bio-amr" / "alignment-release-dev-bio.txt",
               shared / "qald9-amr" / "qald-9-amr-train.txt", shared / "qald9-amr" / "qald-9-amr-test.txt"]
    corpora = [str(c) for c in corpora if c.is_file()] or [str(sample)]
    mlgm = out / "mlgm"
    if mlgm.exists():
        import shutil

        shutil.rmtree(mlgm)
    _stage("MLGM pre-training", times, [
        "pretrain", "--data", *corpora, "--output-dir", str(mlgm), "--backbone", str(out / "backbone"),
        "--max-steps", str(args.mlgm_steps), "--batch-size", "16", "--learning-rate", "2e-4", "--warmup-steps", "18",
        "--max-seq-len", "96", "--eval-steps", "60", "--save-steps", "90", "--logging-steps", "20", "--no-progress",
    ])
    print(f"curves: {mlgm / 'curves.png'}")

    _token_graph_stage(times, corpora, shared, out, args.parser_epochs)

    train = shared / "geneva" / "train-lr1200-s160.json"
    val = shared / "geneva" / "val.json"
    if not (train.is_file() and val.is_file()):
        print("\n(no GENEVA in ../shared/data: the event-extraction stage is skipped)")
    else:
        ee = out / "ee-geneva"
        if ee.exists():
            import shutil

            shutil.rmtree(ee)
        _stage("event extraction on GENEVA", times, [
            "train-ee", "--train", str(train), "--dev", str(val), "--graphs", args.ee_graphs, "--backbone", str(mlgm),
            "--output-dir", str(ee), "--epochs", str(args.ee_epochs), "--no-progress",
        ])
        t0 = time.perf_counter()
        from .data.events import read_events
        from .viz.events import draw_events

        gold = {s.id: s for s in read_events(val)}
        pred = read_events(ee / "predictions.dev.jsonl")
        def interest(s):  # a mid-length sentence whose predicted arguments are right, apart from the trigger
            g = gold[s.id]
            gold_args = {(e.start, e.end, a.start, a.end, a.role) for e in g.events for a in e.arguments}
            pred_args = {(e.start, e.end, a.start, a.end, a.role) for e in s.events for a in e.arguments if (a.start, a.end) != (e.start, e.end)}
            return (8 <= len(s.tokens) <= 22, len(pred_args & gold_args), len(pred_args), -len(s.tokens))

        best = max(pred, key=interest)
        draw_events(gold[best.id], ee / "example.png", best, title=f"GENEVA val {best.id}")
        times.append(("draw an example", time.perf_counter() - t0))
        print(f"scores: {ee / 'scores.dev.json'}, per type: {ee / 'scores.dev.per_type.csv'}, example: {ee / 'example.png'}")
        print(json.dumps({k: round(v["f1"], 2) for k, v in json.loads((ee / "scores.dev.json").read_text()).items() if isinstance(v, dict)}))
        _view_stage(times, ee, val)
        _pipeline_stage(times, ee)

    print("\n== stage times")
    for name, t in times:
        print(f"{name:<32} {t:7.1f} s")
    print(f"{'total':<32} {sum(t for _, t in times):7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
