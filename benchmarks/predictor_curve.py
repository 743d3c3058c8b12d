#!/usr/bin/env python
"""Does a better graph predictor give a larger downstream gain? The study's paired difference of one
condition against ``text`` (``benchmarks/study.py``), one study JSON per predictor, against the
predictor's own dev F1 (recorded by the study in ``prerequisites.predictor``).

Each JSON comes from the same study recipe with another ``--predictor`` (e.g. the 25%, 50% and 100%
predictors of ``benchmarks/graph_quality.py``), so only the graphs differ between them:

    python benchmarks/study.py --predictor out/graph-quality/train-25% --sizes 10% \\
        --conditions text,graph-arg --output-dir out/study-p25 --json benchmarks/results/study-predictor-25.json
    python benchmarks/predictor_curve.py benchmarks/results/study-predictor-25.json \\
        benchmarks/results/study-predictor-50.json benchmarks/results/study.json \\
        --condition graph-arg --size 10% --json out/predictor-curve.json --plot out/predictor-curve.png

Prints a markdown table (mean ± 95% interval over seeds, Δ paired by seed); ``--json`` writes the
rows, ``--plot`` the gain against the predictor's labelled F1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
for path in (HERE.parent, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from _study_report import METRICS, _paired  # noqa: E402

from amrgnn.stats import mean_ci  # noqa: E402

SPLITS = ("dev", "test")


def curve_row(study: dict[str, Any], source: str, condition: str, size: str) -> dict[str, Any]:
    """One predictor's point: its dev F1 and the paired Δ (condition - text) per split and metric."""
    predictor = (study.get("prerequisites") or {}).get("predictor")
    if not predictor:
        raise SystemExit(f"{source}: no prerequisites.predictor (made without predicted graphs?)")
    runs = [r for r in study["runs"] if r["setting"] == "lowres" and r["size"] == size]
    text = [r for r in runs if r["condition"] == "text"]
    cell = [r for r in runs if r["condition"] == condition and r["seed"] in {t["seed"] for t in text}]
    seeds = sorted(r["seed"] for r in cell)
    if not seeds:
        raise SystemExit(f"{source}: no seed with both {condition!r} and 'text' at {size}")
    row: dict[str, Any] = {"source": source, "predictor": predictor["path"], "seeds": seeds,
                           "dev_labelled_f1": predictor.get("dev_labelled_f1"),
                           "dev_unlabelled_f1": predictor.get("dev_unlabelled_f1")}
    for split in SPLITS:
        for metric, _ in METRICS:
            deltas = _paired(cell, text, split, metric)
            if len(deltas) != len(seeds):  # a split some run was not scored on
                continue
            mean, half = mean_ci(deltas)
            row[f"{split}_delta_{metric}"] = {"mean": mean, "ci95": None if math.isnan(half) else half, "per_seed": deltas}
    return row


def _fmt(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return "–"
    return f"{cell['mean']:+.1f}" + ("" if cell["ci95"] is None else f" ± {cell['ci95']:.1f}")


def table(rows: list[dict[str, Any]]) -> str:
    head = " | ".join(f"{split} Δ {name}" for split in SPLITS for _, name in METRICS)
    lines = [f"| predictor | dev L-F1 | dev U-F1 | seeds | {head} |", "|---|---:|---:|---:|" + "---:|" * 4]
    for r in rows:
        deltas = " | ".join(_fmt(r.get(f"{split}_delta_{m}")) for split in SPLITS for m, _ in METRICS)
        lines.append(f"| {r['predictor']} | {r['dev_labelled_f1']:.1f} | {r['dev_unlabelled_f1']:.1f} | {len(r['seeds'])} | {deltas} |")
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], condition: str, size: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4))
    xs = [r["dev_labelled_f1"] for r in rows]
    for split, marker in (("test", "o"), ("dev", "s")):
        for metric, name in METRICS:
            cells = [r.get(f"{split}_delta_{metric}") for r in rows]
            if any(c is None for c in cells):
                continue
            ax.errorbar(xs, [c["mean"] for c in cells], yerr=[c["ci95"] or 0.0 for c in cells], marker=marker,
                        capsize=3, linestyle="-" if split == "test" else ":", label=f"{name} ({split})")
    ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.set_xlabel("graph predictor: dev labelled F1")
    ax.set_ylabel(f"Δ F1, {condition} − text")
    ax.set_title(f"Better graphs, larger gain? ({size} of the documents)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("studies", nargs="+", type=Path, help="study JSONs, one per predictor")
    p.add_argument("--condition", default="graph-arg", help="the condition compared with text (default: graph-arg)")
    p.add_argument("--size", default="10%", help="the training size (default: 10%%)")
    p.add_argument("--json", type=Path, help="write the rows here")
    p.add_argument("--plot", type=Path, help="write the gain against the predictor's F1 here (PNG)")
    args = p.parse_args(argv)
    rows = []
    for path in args.studies:
        try:
            study = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise SystemExit(f"{path}: {err}") from err
        rows.append(curve_row(study, str(path), args.condition, args.size))
    rows.sort(key=lambda r: r["dev_labelled_f1"])
    print(table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"condition": args.condition, "size": args.size, "rows": rows}, indent=1) + "\n",
                             encoding="utf-8")
    if args.plot:
        plot(rows, args.condition, args.size, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
