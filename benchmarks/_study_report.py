"""report.md and study.png of ``benchmarks/study.py``, from its JSON alone (so anyone can redraw them)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from amrgnn.stats import group_by, mean_ci

METRICS = (("trigger_cls", "Trig-C"), ("arg_cls", "Arg-C"))
ORDER = ("text", "mlgm", "graph", "amr", "scaffold")


def _pct(size: str) -> float:
    return float(size.rstrip("%")) if size.endswith("%") else math.nan


def _fmt(values: list[float]) -> str:
    mean, half = mean_ci(values)
    if math.isnan(mean):
        return "–"
    return f"{mean:.1f}" if math.isnan(half) else f"{mean:.1f} ± {half:.1f}"


def _paired(rows: list[dict], base: list[dict], split: str, metric: str) -> list[float]:
    by_seed = {r["seed"]: r[split][metric]["f1"] for r in base if split in r}
    return [r[split][metric]["f1"] - by_seed[r["seed"]] for r in rows if split in r and r["seed"] in by_seed]


def _conditions(rows: list[dict]) -> list[str]:
    seen = list(dict.fromkeys(r["condition"] for r in rows))
    return [c for c in ORDER if c in seen] + [c for c in seen if c not in ORDER]


def lowres_table(rows: list[dict], split: str) -> list[str]:
    """Mean ± 95% interval (Student t over seeds) per cell and the paired difference against text."""
    lines = ["| size | condition | seeds | Trig-C | Arg-C | Δ Trig-C vs text | Δ Arg-C vs text |",
             "|---|---|---:|---:|---:|---:|---:|"]
    sizes = sorted({r["size"] for r in rows}, key=_pct)
    for size in sizes:
        at = [r for r in rows if r["size"] == size and split in r]
        text = [r for r in at if r["condition"] == "text"]
        for cond in _conditions(at):
            cell = [r for r in at if r["condition"] == cond]
            vals = [_fmt([r[split][m]["f1"] for r in cell]) for m, _ in METRICS]
            deltas = ["–" if cond == "text" or not text else _fmt(_paired(cell, text, split, m)) for m, _ in METRICS]
            lines.append(f"| {size} | {cond} | {len(cell)} | {' | '.join(vals)} | {' | '.join(deltas)} |")
    return lines


def goal_lines(rows: list[dict], split: str) -> list[str]:
    """The issue's goal for ``amr`` (and every other condition) against ``text``, cell by cell."""
    out = []
    for cond in [c for c in _conditions(rows) if c != "text"]:
        parts = []
        for size in sorted({r["size"] for r in rows}, key=_pct):
            cell = [r for r in rows if r["condition"] == cond and r["size"] == size and split in r]
            text = [r for r in rows if r["condition"] == "text" and r["size"] == size and split in r]
            if not cell or not text:
                continue
            da = mean_ci(_paired(cell, text, split, "arg_cls"))[0]
            dt = mean_ci(_paired(cell, text, split, "trigger_cls"))[0]
            need = 2.0 if size in ("10%", "25%") else -0.5
            ok = da >= need and dt >= -0.5
            parts.append(f"{size}: Δ Arg-C {da:+.1f}, Δ Trig-C {dt:+.1f} {'✓' if ok else '✗'}")
        if parts:
            out.append(f"- **{cond}**: " + "; ".join(parts))
    return out


def draw(rows: list[dict], split: str, path: Path) -> None:
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg"):
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, (metric, name) in zip(axes, METRICS, strict=True):
        for cond in _conditions(rows):
            groups = group_by([r for r in rows if r["condition"] == cond and split in r], "size")
            pts = sorted(((_pct(s), [r[split][metric]["f1"] for r in g]) for (s,), g in groups.items()), key=lambda t: t[0])
            xs = [x for x, _ in pts]
            stats = [mean_ci(v) for _, v in pts]
            means = [m for m, _ in stats]
            half = [0.0 if math.isnan(h) else h for _, h in stats]
            line, = ax.plot(xs, means, marker="o", label=cond)
            ax.fill_between(xs, [m - h for m, h in zip(means, half, strict=True)],
                            [m + h for m, h in zip(means, half, strict=True)], color=line.get_color(), alpha=0.15)
        ax.set_xscale("log")
        ax.set_xticks([10, 25, 50, 100], ["10%", "25%", "50%", "100%"])
        ax.set_xlabel("training documents")
        ax.set_ylabel(f"{name} F1 ({split})")
        ax.grid(alpha=0.3)
    axes[0].legend()
    fig.suptitle("Low-resource GENEVA: mean over seeds, 95% interval shaded")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_study_report(data: dict[str, Any], out: Path) -> str:
    """Write ``out/report.md`` and ``out/study.png``; returns the markdown."""
    rows = [r for r in data["runs"] if r["setting"] == "lowres"]
    split = "test" if any("test" in r for r in rows) else "dev"
    rec = data.get("recipe", {})
    md = ["# Does AMR help? (benchmarks/study.py)", ""]
    md += [f"Recipe: {rec.get('epochs')} epochs (at least {rec.get('min_steps')} steps), {rec.get('evaluations')} dev "
           f"evaluations per run, selection by dev {rec.get('select_metric')}, batch {rec.get('batch_size')}, encoder lr "
           f"{rec.get('learning_rate')}, heads lr {rec.get('head_learning_rate')}, scaffold weight {rec.get('scaffold_weight')}.",
           f"Prerequisites: {data.get('prerequisites', {})}.", ""]
    if rows:
        md += [f"## Low-resource ({split}; mean ± 95% interval over seeds; Δ paired by seed)", ""]
        md += lowres_table(rows, split) + [""]
        md += ["Goal (amr: ≥ +2.0 Arg-C at 10% and 25%, Trig-C ≥ -0.5; elsewhere both ≥ -0.5):", ""]
        md += goal_lines(rows, split) + [""]
        if split == "test":
            md += ["### The same runs on dev (model selection)", ""] + lowres_table(rows, "dev") + [""]
        md += [f"Runs: {len(rows)}, {sum(r.get('minutes') or 0 for r in rows):.0f} minutes in all.", ""]
        draw(rows, split, out / "study.png")
        md += ["![learning curves](study.png)", ""]
    text = "\n".join(md)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(text, encoding="utf-8")
    return text
