"""Drawing a sentence's events: gold above the words, predictions below (PNG or SVG)."""

from __future__ import annotations

import os

from matplotlib.figure import Figure

from ..data.events import Sentence

__all__ = ["draw_events"]


def _arcs(ax, sentence: Sentence, xs: list[float], y: float, up: bool, color: str) -> None:
    """Trigger labels beside the words, and one curved arrow per (trigger, argument) with its role."""
    sign = 1 if up else -1
    for ev in sentence.events:
        tx = (xs[ev.start] + xs[ev.end - 1]) / 2
        ax.text(tx, y + sign * 0.3, ev.type, ha="center", va="center", fontsize=8, color="white",
                bbox={"boxstyle": "round,pad=0.25", "fc": color, "ec": color})
        seen = set()
        for a in ev.arguments:
            if (a.start, a.end, a.role) in seen:
                continue
            seen.add((a.start, a.end, a.role))
            axx = (xs[a.start] + xs[a.end - 1]) / 2
            rad = -0.45 * sign if axx > tx else 0.45 * sign
            ax.annotate("", xy=(axx, y + sign * 0.12), xytext=(tx, y + sign * 0.45),
                        arrowprops={"arrowstyle": "->", "color": color, "lw": 1.0, "connectionstyle": f"arc3,rad={rad}"})
            ax.text((tx + axx) / 2, y + sign * (0.55 + 0.12 * abs(axx - tx)), a.role, ha="center", va="center",
                    fontsize=7, color=color, bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})


def draw_events(
    sentence: Sentence, path: str | os.PathLike, predicted: Sentence | None = None, title: str | None = None
) -> Figure:
    """Draw ``sentence``'s events (gold, above) and ``predicted``'s (below) over its words into
    ``path``; returns the figure (its texts and arrows are the drawn labels and arguments)."""
    words = sentence.tokens
    xs, x = [], 0.0
    for w in words:
        width = 0.12 * max(len(w), 2) + 0.25
        xs.append(x + width / 2)
        x += width
    fig = Figure(figsize=(max(6.0, x * 0.9), 4.2))
    ax = fig.add_subplot()
    for w, cx in zip(words, xs, strict=True):
        ax.text(cx, 0, w, ha="center", va="center", fontsize=9)
    _arcs(ax, sentence, xs, 0.0, True, "#2b6cb0")
    if predicted is not None:
        _arcs(ax, predicted, xs, 0.0, False, "#c05621")
    ax.text(-0.2, 1.6, "gold", color="#2b6cb0", fontsize=9, ha="left")
    if predicted is not None:
        ax.text(-0.2, -1.6, "predicted", color="#c05621", fontsize=9, ha="left")
    ax.set_xlim(-0.3, x + 0.1)
    ax.set_ylim(-2.2, 2.2)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    return fig
