"""A sentence drawn as inline SVG: its words on a row, a box per trigger (in its type's colour,
the type and score below) and per argument span, an arc from each trigger to each of its arguments
labelled with the role (stacked so that an arc is above every arc it spans), and the token graph's
arcs under the words. Words are set in a monospace font so that their widths are known here; the
styles (``st-*`` status classes, ``tg`` for the token graph) are the page's CSS."""

from __future__ import annotations

import html
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .model import Arg, Trig, View

__all__ = ["PALETTE", "label_widths", "sentence_svg", "word_slots"]

#: Trigger box colours, one per event type in the page's order (cycled).
PALETTE = ("#bee3f8", "#fed7aa", "#c6f6d5", "#e9d8fd", "#fefcbf", "#fed7e2", "#b2f5ea", "#feebc8",
           "#c3dafe", "#e2e8f0", "#f0fff4", "#faf089")
CW, SCW, TCW = 8.4, 6.6, 6.0  # cell widths (px) of the words (14px), labels (11px), graph labels (10px)
GAP, PAD, LEVEL, TG_LEVEL, BOX_H, ROW_H = 12.0, 8.0, 18.0, 15.0, 22.0, 15.0
_RANK = {"missed": 0, "spurious": 0, "wrong-role": 1, "wrong-type": 1, "correct": 2, "pred": 3}

Slots = Sequence[tuple[float, float]]


def label_widths(views: Iterable[View | None]) -> dict[tuple[int, int], int]:
    """The widest trigger label of each span, over the given views (in cells)."""
    out: dict[tuple[int, int], int] = {}
    for v in views:
        for t in v.triggers if v else ():
            out[t.start, t.end] = max(out.get((t.start, t.end), 0), _cells(_trig_label(t)))
    return out


def word_slots(tokens: Sequence[str], labels: dict[tuple[int, int], int]) -> list[tuple[float, float]]:
    """``(left, width)`` of each word: its text, widened where a trigger label is wider than its span."""
    widths = [max(_cells(w), 1) * CW + 6 for w in tokens]
    for (s, e), cells in sorted(labels.items()):
        need = cells * SCW + 8
        have = sum(widths[s:e]) + GAP * (e - s - 1)
        if need > have:
            widths[e - 1] += need - have
    out, x = [], PAD
    for w in widths:
        out.append((x, w))
        x += w + GAP
    return out


def sentence_svg(view: View, slots: Slots, colours: dict[str, str], label: str) -> str:
    """One view of a sentence on ``slots`` (:func:`word_slots`): arcs over the words, boxes, trigger
    labels, the token graph below; ``colours``: event type -> fill; ``label``: its ``aria-label``."""
    arcs = _event_arcs(view, slots)
    levels = _levels([_interval(x1, x2, lw) for _, _, x1, x2, lw in arcs])
    yb = PAD + 6 + LEVEL * max(levels, default=0)
    stacks: dict[tuple[int, int], list[Trig]] = defaultdict(list)
    for t in view.triggers:
        stacks[t.start, t.end].append(t)
    yl = yb + BOX_H + 4
    yg = yl + ROW_H * max(map(len, stacks.values()), default=0) + 4
    tg_arcs = [_graph_arc(slots, i, j, rel) for i, j, rel in view.graph]
    tg_levels = _levels([_interval(x1, x2, _cells(rel) * TCW + 6) for rel, x1, x2 in tg_arcs])
    height = yg + (TG_LEVEL * max(tg_levels) + 10 if tg_levels else 0) + PAD
    width = (slots[-1][0] + slots[-1][1] + PAD) if slots else 2 * PAD
    out = [f'<svg class="ee" width="{_f(width)}" height="{_f(height)}" viewBox="0 0 {_f(width)} {_f(height)}" '
           f'role="img" aria-label="{_esc(label)}">']
    out += _arg_boxes(view, slots, yb)
    for t in view.triggers:
        left, right = _span_x(slots, t.start, t.end)
        out.append(f'<rect class="trig st-{t.status}" x="{_f(left)}" y="{_f(yb + 1)}" width="{_f(right - left)}" '
                   f'height="{_f(BOX_H - 2)}" rx="3" fill="{colours.get(t.type, PALETTE[0])}"/>')
    for w, (x, wd) in zip(view.tokens, slots, strict=True):
        out.append(f'<text class="w" x="{_f(x + wd / 2)}" y="{_f(yb + 16)}">{_esc(w)}</text>')
    for (s, e), ts in stacks.items():
        left, right = _span_x(slots, s, e)
        for r, t in enumerate(ts):
            tip = f"{t.type} [{s}:{e}]: {_tip(t.status, t.other, 'type')}"
            out.append(f'<g class="tlab st-{t.status}"><title>{_esc(tip)}</title>'
                       + _label_svg(_trig_label(t), (left + right) / 2, yl + ROW_H * r + 7, "lab") + "</g>")
    for (t, a, x1, x2, _), lev in zip(arcs, levels, strict=True):
        tip = f"{a.role} of {t.type} [{a.start}:{a.end}]: {_tip(a.status, a.other, 'role')}"
        out.append(f'<g class="arc st-{a.status}" data-role="{_esc(a.role)}"><title>{_esc(tip)}</title>'
                   + _arc_path(x1, x2, yb - 3, LEVEL * lev, True)
                   + _label_svg(_arg_label(a), (x1 + x2) / 2, yb - 3 - LEVEL * lev, "lab") + "</g>")
    if tg_arcs:
        out.append('<g class="tg">')
        for (rel, x1, x2), lev in zip(tg_arcs, tg_levels, strict=True):
            out.append(f'<g class="tg-arc" data-rel="{_esc(rel)}">' + _arc_path(x1, x2, yg, TG_LEVEL * lev, False)
                       + _label_svg(rel, (x1 + x2) / 2, yg + TG_LEVEL * lev, "tg-lab") + "</g>")
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _f(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _trig_label(t: Trig) -> str:
    return t.type if t.score is None else f"{t.type} {t.score:.2f}"


def _arg_label(a: Arg) -> str:
    return a.role if a.score is None else f"{a.role} {a.score:.2f}"


def _levels(intervals: Sequence[tuple[float, float]]) -> list[int]:
    """The height (1, 2, ...) of each arc: the lowest free of every arc it overlaps, short arcs first
    (so an arc is above every arc it spans)."""
    taken: list[list[tuple[float, float]]] = []
    level = [0] * len(intervals)
    for k in sorted(range(len(intervals)), key=lambda k: intervals[k][1] - intervals[k][0]):
        lo, hi = intervals[k]
        for lev, spans in enumerate(taken):
            if all(hi <= a or lo >= b for a, b in spans):
                spans.append((lo, hi))
                level[k] = lev + 1
                break
        else:
            taken.append([(lo, hi)])
            level[k] = len(taken)
    return level


def _arc_path(x1: float, x2: float, y0: float, h: float, up: bool) -> str:
    """A squared arc with rounded corners from ``x1`` to ``x2`` and its arrowhead at ``x2``."""
    d = -1 if up else 1
    yend, r = y0 + d * h, min(5.0, abs(x2 - x1) / 2)
    sx = 1 if x2 >= x1 else -1
    line = (f"M{_f(x1)},{_f(y0)} V{_f(yend - d * r)} Q{_f(x1)},{_f(yend)} {_f(x1 + sx * r)},{_f(yend)} "
            f"H{_f(x2 - sx * r)} Q{_f(x2)},{_f(yend)} {_f(x2)},{_f(yend - d * r)} V{_f(y0)}")
    head = f"M{_f(x2 - 3.5)},{_f(y0 + d * 6)} L{_f(x2 + 3.5)},{_f(y0 + d * 6)} L{_f(x2)},{_f(y0)} Z"
    return f'<path class="line" d="{line}"/><path class="head" d="{head}"/>'


def _label_svg(text: str, cx: float, y: float, cls: str) -> str:
    """A label centred at ``(cx, y)`` (a white halo, not a box, keeps it readable over lines)."""
    return f'<text class="{cls}" x="{_f(cx)}" y="{_f(y + 4)}">{_esc(text)}</text>'


def _span_x(slots: Slots, s: int, e: int) -> tuple[float, float]:
    return slots[s][0], slots[e - 1][0] + slots[e - 1][1]


def _event_arcs(view: View, slots: Slots) -> list[tuple[Trig, Arg, float, float, float]]:
    """``(trigger, argument, x1, x2, label width)`` of every trigger-argument arc."""
    out = []
    for t in view.triggers:
        tl, tr = _span_x(slots, t.start, t.end)
        cx, off = (tl + tr) / 2, min(6.0, (tr - tl) / 4)
        for a in t.args:
            al, ar = _span_x(slots, a.start, a.end)
            x2 = (al + ar) / 2
            x1 = cx + off if x2 > cx else cx - off
            if abs(x2 - x1) < 8:
                x2 = x1 + 8
            out.append((t, a, x1, x2, _cells(_arg_label(a)) * SCW + 8))
    return out


def _interval(x1: float, x2: float, label: float) -> tuple[float, float]:
    mid = (x1 + x2) / 2
    return min(x1, x2, mid - label / 2) - 2, max(x1, x2, mid + label / 2) + 2


def _graph_arc(slots: Slots, i: int, j: int, rel: str) -> tuple[str, float, float]:
    """``(relation, x1, x2)`` of a token-graph arc ``i -> j`` (a self-loop is a small hook)."""
    x1, x2 = slots[i][0] + slots[i][1] / 2, slots[j][0] + slots[j][1] / 2
    return rel, x1, x2 if abs(x2 - x1) >= 8 else x1 + 8


def _tip(status: str, other: str | None, what: str) -> str:
    return {"correct": "correct", "missed": "missed", "spurious": "spurious", "pred": "predicted",
            f"wrong-{what}": f"wrong {what} (other side: {other})"}.get(status, status)


def _arg_boxes(view: View, slots: Slots, yb: float) -> list[str]:
    """One box per argument span, in the colour of its worst argument."""
    spans: dict[tuple[int, int], str] = {}
    for t in view.triggers:
        for a in t.args:
            old = spans.get((a.start, a.end))
            if old is None or _RANK[a.status] < _RANK[old]:
                spans[a.start, a.end] = a.status
    out = []
    for (s, e), status in sorted(spans.items()):
        left, right = _span_x(slots, s, e)
        out.append(f'<rect class="argbox st-{status}" x="{_f(left - 2)}" y="{_f(yb - 2)}" width="{_f(right - left + 4)}" '
                   f'height="{_f(BOX_H + 4)}" rx="4"/>')
    return out
