"""Command-line start-up time: ``amrgnn --help`` and each command's ``--help`` against
``python -c "import torch"`` on the same machine, in the same run (round-robin, medians).

    .venv/bin/python benchmarks/startup.py [--repeat 7] [--json out/bench/startup.json]

The goal (issue 12): every ``--help`` in well under half the time of importing torch, because no
command imports torch, transformers or PyG before it runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = [[], ["prepare", "amr"], ["pretrain"], ["train-ee"], ["predict-ee"], ["evaluate"], ["continual"],
            ["low-resource"], ["cross-domain"], ["ablate-gnn"]]


def _time(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="rounds (default: 7)")
    ap.add_argument("--json", type=Path, help="write the rows as JSON")
    args = ap.parse_args(argv)
    contenders = {"import torch (baseline)": [sys.executable, "-c", "import torch"]}
    for cmd in COMMANDS:
        contenders[" ".join(["amrgnn", *cmd, "--help"])] = [sys.executable, "-m", "amrgnn", *cmd, "--help"]
    times: dict[str, list[float]] = {k: [] for k in contenders}
    for argv_ in contenders.values():  # warm the file cache
        _time(argv_)
    for _ in range(args.repeat):
        for name, argv_ in contenders.items():
            times[name].append(_time(argv_))
    base = statistics.median(times["import torch (baseline)"])
    rows = [{"command": k, "median_s": statistics.median(v), "min_s": min(v), "ratio_to_import_torch": statistics.median(v) / base}
            for k, v in times.items()]
    width = max(len(r["command"]) for r in rows)
    print(f"{'command':<{width}}  {'median s':>8}  {'min s':>6}  {'x import torch':>14}")
    for r in rows:
        print(f"{r['command']:<{width}}  {r['median_s']:8.3f}  {r['min_s']:6.3f}  {r['ratio_to_import_torch']:14.2f}")
    worst = max(r["ratio_to_import_torch"] for r in rows[1:])
    print(f"slowest --help: {worst:.2f}x import torch (goal: well under 0.5x)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"repeat": args.repeat, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
