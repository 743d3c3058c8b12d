#!/usr/bin/env python
"""The continual (class-incremental) protocol on GENEVA: every method against the fine-tuning
lower bound and the joint upper bound, in one run.

Runs ``amrgnn continual`` (5 tasks of 22-23 GENEVA types, one order, the offline backbone) once per
method into one output directory (finished runs are read back, so a rerun only reports), and prints
per method: wall time, average and final Trig-C / Arg-C F1 on the seen types, forgetting, and two
ratios: wall time against ``finetune`` and the share of the finetune-to-joint gap in average
Trig-C that the method closes.

    python benchmarks/continual.py [--methods finetune,replay,replay-kd,joint] [--epochs 30] [--stopping dev|epochs] [--out DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from amrgnn.tasks.ee import EEConfig  # noqa: E402
from amrgnn.tasks.protocols.continual import ContinualConfig, run_continual  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "geneva"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default=str(SHARED / "train-lr1200-s160.json"))
    ap.add_argument("--dev", default=str(SHARED / "val.json"))
    ap.add_argument("--methods", default="finetune,replay,replay-kd,joint")
    ap.add_argument("--epochs", type=float, default=30.0, help="per task, at most (default: 30, the CLI default)")
    ap.add_argument("--stopping", default="dev", choices=("dev", "epochs"),
                    help="dev: each task until its dev score stops improving (the CLI default); epochs: exactly --epochs")
    ap.add_argument("--graphs", default="none")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "continual")
    ap.add_argument("--json", type=Path, help="write the rows as JSON")
    args = ap.parse_args(argv)
    rows = []
    for method in args.methods.split(","):
        recipe = EEConfig(train=args.train, dev=args.dev, output_dir=str(args.out), epochs=args.epochs, progress=False)
        cfg = ContinualConfig(base=recipe, output_dir=str(args.out), methods=[method], graphs=[args.graphs],
                              stopping=args.stopping)
        t0 = time.perf_counter()
        (result,) = run_continual(cfg)
        wall = time.perf_counter() - t0
        trained = sum(s["seconds"] for s in result["steps"])
        s = result["summary"]["dev"]
        rows.append({"method": method, "wall_s": wall, "task_seconds": trained,
                     "avg_trigger_cls": s["trigger_cls"]["average"], "final_trigger_cls": s["trigger_cls"]["final"],
                     "forgetting_trigger_cls": s["trigger_cls"]["forgetting"], "avg_arg_cls": s["arg_cls"]["average"],
                     "final_arg_cls": s["arg_cls"]["final"], "curve_trigger_cls": s["trigger_cls"]["curve"]})
    by = {r["method"]: r for r in rows}
    lo, hi = by.get("finetune"), by.get("joint")
    for r in rows:
        # task_seconds: the time the run spent on its tasks (also right when it was read back)
        r["time_vs_finetune"] = r["task_seconds"] / lo["task_seconds"] if lo else None
        gap = (hi["avg_trigger_cls"] - lo["avg_trigger_cls"]) if lo and hi else None
        r["gap_closed"] = (r["avg_trigger_cls"] - lo["avg_trigger_cls"]) / gap if gap else None
    head = f"{'method':<10} {'task min':>8} {'x finetune':>10} {'avg TrigC':>9} {'final TrigC':>11} {'forget':>7} {'avg ArgC':>8} {'final ArgC':>10} {'gap closed':>10}"
    print(head)
    print("-" * len(head))
    for r in rows:
        ratio = f"{r['time_vs_finetune']:.2f}" if r["time_vs_finetune"] is not None else "-"
        closed = f"{r['gap_closed']:.2f}" if r["gap_closed"] is not None else "-"
        print(f"{r['method']:<10} {r['task_seconds'] / 60:>8.1f} {ratio:>10} {r['avg_trigger_cls']:>9.1f} {r['final_trigger_cls']:>11.1f} "
              f"{r['forgetting_trigger_cls']:>7.1f} {r['avg_arg_cls']:>8.1f} {r['final_arg_cls']:>10.1f} {closed:>10}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": platform.platform(), "epochs": args.epochs, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
