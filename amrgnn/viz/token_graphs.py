"""Drawing a sentence's word-level token graph: gold arcs above the words, predicted ones below,
each predicted arc coloured by whether gold has it (PNG or SVG)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from matplotlib.figure import Figure

__all__ = ["ARC_COLOURS", "draw_token_graphs"]

#: kind of arc -> colour: gold, and predicted arcs that are right, right but mislabelled, or not in gold
ARC_COLOURS = {"gold": "#2b6cb0", "correct": "#2f855a", "relabel": "#d69e2e", "spurious": "#c53030"}

Triple = tuple[int, int, str]


def _kinds(pred: Iterable[Triple], gold: set[Triple]) -> list[tuple[Triple, str]]:
    pairs = {(i, j) for i, j, _ in gold}
    out = []
    for t in pred:
        kind = "correct" if t in gold else "relabel" if (t[0], t[1]) in pairs else "spurious"
        out.append((t, kind))
    return out


def _arcs(ax, arcs: Sequence[tuple[Triple, str]], xs: list[float], up: bool) -> None:
    """One arrow per arc, its height growing with the distance it spans, its relation at the top."""
    sign = 1 if up else -1
    for (i, j, rel), kind in arcs:
        colour = ARC_COLOURS[kind]
        rad = (-0.5 if xs[j] > xs[i] else 0.5) * sign
        ax.annotate("", xy=(xs[j], sign * 0.12), xytext=(xs[i], sign * 0.12),
                    arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.0, "connectionstyle": f"arc3,rad={rad}",
                                "linestyle": "--" if kind == "spurious" else "-"})
        height = sign * (0.18 + 0.25 * abs(xs[j] - xs[i]))
        ax.text((xs[i] + xs[j]) / 2, height, rel, ha="center", va="center", fontsize=6.5, color=colour,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})


def draw_token_graphs(
    tokens: Sequence[str],
    gold: Iterable[Triple],
    predicted: Iterable[Triple] | None,
    path: str | os.PathLike,
    *,
    title: str | None = None,
) -> Figure:
    """Draw ``tokens`` with the ``gold`` arcs ``(i, j, relation)`` above and the ``predicted`` ones
    below (green: in gold; amber: the pair is in gold with another relation; red, dashed: not in
    gold) into ``path``; returns the figure (one annotation per arc, one text per relation)."""
    gold = sorted(set(gold))
    xs, x = [], 0.0
    for w in tokens:
        width = 0.12 * max(len(w), 2) + 0.3
        xs.append(x + width / 2)
        x += width
    span = max((abs(xs[j] - xs[i]) for i, j, _ in gold), default=1.0)
    pred = _kinds(sorted(set(predicted)), set(gold)) if predicted is not None else []
    span = max([span, *(abs(xs[j] - xs[i]) for (i, j, _), _ in pred)])
    lim = 0.5 + 0.27 * span
    fig = Figure(figsize=(max(6.0, x * 0.9), 1.5 + 1.1 * lim))
    ax = fig.add_subplot()
    for w, cx in zip(tokens, xs, strict=True):
        ax.text(cx, 0, w, ha="center", va="center", fontsize=9)
    _arcs(ax, [(t, "gold") for t in gold], xs, True)
    _arcs(ax, pred, xs, False)
    ax.text(-0.2, lim * 0.9, f"gold ({len(gold)})", color=ARC_COLOURS["gold"], fontsize=9, ha="left")
    if predicted is not None:
        counts = {k: sum(1 for _, kind in pred if kind == k) for k in ("correct", "relabel", "spurious")}
        ax.text(-0.2, -lim * 0.9, "predicted: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
                color="#444444", fontsize=9, ha="left")
    ax.set_xlim(-0.3, x + 0.1)
    ax.set_ylim(-lim, lim)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    return fig
