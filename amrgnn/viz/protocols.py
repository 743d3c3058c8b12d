"""Plots of the evaluation protocols' results (``results.json`` records of ``amrgnn report``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure

from ..stats import group_by, mean_ci

__all__ = ["continual_figure", "low_resource_figure"]


def continual_figure(rows: Sequence[dict[str, Any]], split: str) -> Figure:
    """F1 on the seen types after each task, one line per (method, graphs), 95% band over runs."""
    metrics = [m for m in ("trigger_cls", "arg_cls") if any(r["summary"][split][m]["final"] for r in rows)] or ["trigger_cls"]
    fig = Figure(figsize=(5.2 * len(metrics), 3.8))
    axes = [[fig.add_subplot(1, len(metrics), i + 1) for i in range(len(metrics))]]
    for ax, m in zip(axes[0], metrics, strict=True):
        for (method, graphs), rs in group_by(rows, "method", "graphs").items():
            steps = min(len(r["steps"]) for r in rs)
            xs = list(range(1, steps + 1))
            stats = [mean_ci([r["summary"][split][m]["curve"][t] for r in rs]) for t in range(steps)]
            means = [s[0] for s in stats]
            line = ax.plot(xs, means, marker="o", label=f"{method} ({graphs})")[0]
            if len(rs) > 1:
                ax.fill_between(xs, [a - b for a, b in stats], [a + b for a, b in stats], color=line.get_color(), alpha=0.15)
        ax.set_xlabel("task")
        ax.set_ylabel(f"{m.replace('_', ' ')} F1 on seen types ({split})")
        ax.set_xticks(range(1, max(len(r["steps"]) for r in rows) + 1))
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def low_resource_figure(rows: Sequence[dict[str, Any]], split: str) -> Figure:
    """The learning curve: F1 against training size (log scale), one line per graph setting."""
    fig = Figure(figsize=(10.4, 3.8))
    axes = [fig.add_subplot(1, 2, i + 1) for i in range(2)]
    for ax, m in zip(axes, ("trigger_cls", "arg_cls"), strict=True):
        for g in sorted({r["graphs"] for r in rows}):
            by = group_by([r for r in rows if r["graphs"] == g], "size")
            sizes = sorted(k[0] for k in by)
            stats = [mean_ci([r["scores"][split][m]["f1"] for r in by[(s,)]]) for s in sizes]
            line = ax.plot(sizes, [s[0] for s in stats], marker="o", label=g)[0]
            lo = [a - (0 if math.isnan(b) else b) for a, b in stats]
            hi = [a + (0 if math.isnan(b) else b) for a, b in stats]
            ax.fill_between(sizes, lo, hi, color=line.get_color(), alpha=0.15)
        ax.set_xscale("log")
        ax.set_xlabel(f"training {rows[0]['unit']}")
        ax.set_ylabel(f"{m.replace('_', ' ')} F1 ({split})")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


