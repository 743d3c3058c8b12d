"""Learning curves of a training run (``metrics.jsonl``), drawn on a :class:`~matplotlib.figure.Figure`
(no pyplot, no backend switch)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

__all__ = ["CurveScale", "curves_figure", "plot_curves", "read_metrics"]


@dataclass(frozen=True)
class CurveScale:
    """How a task's metrics are shown: axis label and limits (``None``: fitted to the data)."""

    label: str
    limits: tuple[float, float] | None = None


ACCURACY = CurveScale("accuracy", (0.0, 1.0))


def read_metrics(path: str | os.PathLike) -> list[dict[str, Any]]:
    """The records of a ``metrics.jsonl``."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def curves_figure(records: Sequence[dict[str, Any]], names: Sequence[str], scale: CurveScale = ACCURACY) -> Figure:
    """The named metrics against steps (with their ``*_majority`` baselines where recorded,
    dashed), on ``scale``'s axis."""
    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.add_subplot()
    for name in names:
        pts = [(r["step"], r[name]) for r in records if name in r]
        if not pts:
            continue
        line = ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=name)[0]
        base = [(r["step"], r[f"{name}_majority"]) for r in records if f"{name}_majority" in r]
        if base:
            ax.plot([p[0] for p in base], [p[1] for p in base], ls="--", color=line.get_color(), label=f"{name} (majority class)")
    ax.set_xlabel("step")
    ax.set_ylabel(scale.label)
    if scale.limits is not None:
        ax.set_ylim(*scale.limits)
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    return fig


def plot_curves(metrics: str | os.PathLike, out: str | os.PathLike, names: Sequence[str], scale: CurveScale = ACCURACY) -> None:
    """Draw the named metrics of a ``metrics.jsonl`` file into ``out`` (PNG or SVG)."""
    curves_figure(read_metrics(metrics), names, scale).savefig(out, dpi=120)
