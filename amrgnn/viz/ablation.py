"""The GNN ablation's bar plot (``amrgnn ablate-gnn``)."""

from __future__ import annotations

from matplotlib.figure import Figure

__all__ = ["ablation_figure"]


def ablation_figure(summary: list[dict]) -> Figure:
    """Mean ± std accuracy per layer (``summary`` rows with ``task``, ``layer``, ``label``, ``mean``,
    ``std``), one panel per task."""
    tasks = list(dict.fromkeys(s["task"] for s in summary))
    fig = Figure(figsize=(max(6, 0.7 * len(summary) / max(len(tasks), 1) + 3), 3.6 * len(tasks)))
    for row, task in enumerate(tasks, 1):
        ax = fig.add_subplot(len(tasks), 1, row)
        items = [s for s in summary if s["task"] == task]
        labels = [s["label"] for s in items]
        colors = ["#4c72b0" if s["layer"] == "multiscale" else "#dd8452" if s["layer"] == "powers" else "#8c8c8c" for s in items]
        ax.bar(range(len(items)), [100 * s["mean"] for s in items], yerr=[100 * s["std"] for s in items], color=colors, capsize=3)
        ax.set_xticks(range(len(items)), labels, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("accuracy (%)")
        lo = min(100 * (s["mean"] - s["std"]) for s in items)
        ax.set_ylim(max(0, lo - 5), min(100, max(100 * (s["mean"] + s["std"]) for s in items) + 3))
        ax.set_title(f"{task}: mean ± std over seeds (blue: exact k-hop, orange: adjacency powers)", fontsize=9)
    fig.tight_layout()
    return fig
