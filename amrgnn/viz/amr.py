"""Drawing one AMR with its aligned tokens to PNG or SVG (networkx + matplotlib, no screen needed).

The concept graph is laid out as a top-down layered tree from the top node: a node's depth is its
breadth-first distance from the top over the edges in their *surface* direction (``:ARG0-of`` edges
point the way they were written), each node hangs under the node that reached it first, and every
other edge (a reentrancy) is drawn dashed and curved. Concepts are rounded boxes labelled
``variable / concept``, constants are ellipses, edges carry their surface role. The sentence's tokens
form a row of boxes along the bottom, joined by dotted lines to the concepts and constants aligned
to them; unaligned tokens are greyed. When the graph has alignments, siblings are ordered by the
position of their aligned tokens and tokens are pulled under their concepts, so that most alignment
lines stay short and uncrossed.

Longer than the project's ~400-line modules on purpose: one layout algorithm (tree layout, token
placement, edge routing around labels) whose steps share private measuring state and read best top
to bottom.

Example::

    from amrgnn.graph.io import read_amr
    from amrgnn.graph.draw import draw_amr

    amr = next(read_amr("alignment-release-dev-bio.txt"))
    draw_amr(amr, "graph.png")
"""

from __future__ import annotations

import os
import textwrap
import warnings
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import penman.layout
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath
from penman.models import amr as amr_model

from amrgnn.graph.io import AMR

__all__ = ["SUPPORTED_SUFFIXES", "draw_amr"]

#: File suffixes :func:`draw_amr` can write (the format follows the suffix).
SUPPORTED_SUFFIXES = (".png", ".svg")

# All lengths are in points (1/72 inch): the axes span the whole figure, one data unit per point,
# so text measured in points fits the boxes drawn around it at any resolution.
_NODE_FONT = 10.0
_EDGE_FONT = 8.5
_TOKEN_FONT = 10.0
_INDEX_FONT = 7.0
_HEAD_FONT = 12.0
_SNT_FONT = 10.5
_NODE_H = 21.0
_CONST_H = 23.0
_TOKEN_H = 21.0
_PAD_X = 7.0  # text to box edge
_H_GAP = 14.0  # between neighbouring subtrees
_LAYER_GAP = 80.0  # between layer centres
_TOKEN_GAP = 95.0  # deepest layer centre to token row centre
_TOKEN_SEP = 6.0  # between token boxes
_MARGIN = 16.0
_MIN_WIDTH = 360.0
_DPI = 120.0
_MAX_PIXELS = 30000  # Agg refuses images over 2**16 pixels a side; stay well below

_CONCEPT_STYLE = {"fc": "#dbe9f6", "ec": "#2c5d8a"}
_CONST_STYLE = {"fc": "#fdebd0", "ec": "#b9770e"}
_TOKEN_ON = {"fc": "#fff8dc", "ec": "#8a6d0b"}
_TOKEN_OFF = {"fc": "#f2f2f2", "ec": "#c4c4c4"}
_EDGE_COLOR = "#4d4d4d"
_REENTRANT_COLOR = "#b03a2e"
_ALIGN_COLOR = "#2e86c1"


@dataclass
class _Node:
    key: object  # a variable, or ("const", n) for the n-th attribute
    label: str
    kind: str  # "concept" | "constant"
    tokens: tuple[int, ...]
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0
    y: float = 0.0
    depth: int = 0
    slot: float = 0.0  # horizontal room the node needs for itself and its incoming role
    span: float = 0.0  # horizontal room of its subtree
    children: list[object] = field(default_factory=list)
    role: str | None = None  # the surface role of the tree edge into it


class _Measure:
    """Text extents in points, from an off-screen Agg renderer at 72 dpi."""

    def __init__(self) -> None:
        self._r = RendererAgg(8, 8, 72)
        self._cache: dict[tuple[str, float, str], tuple[float, float]] = {}

    def __call__(self, s: str, size: float, weight: str = "normal") -> tuple[float, float]:
        key = (s, size, weight)
        if key not in self._cache:
            prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*[Gg]lyph.*missing")
                w, h, _ = self._r.get_text_width_height_descent(s or " ", prop, ismath=False)
            self._cache[key] = (max(w, size * 0.3), h)
        return self._cache[key]


def draw_amr(amr: AMR, path: str | os.PathLike, *, title: str | None = None) -> Figure:
    """Render ``amr`` with its aligned tokens to ``path``, a ``.png`` or ``.svg`` file; returns the
    figure (its patches, texts and lines are the drawn concepts, roles, tokens and alignments).

    Args:
        amr: the graph to draw (alignments and tokens are optional).
        path: the output file; its suffix (case-insensitive) picks the format.
        title: the heading line; the graph id by default. The sentence is always shown below it.

    Raises:
        ValueError: the suffix of ``path`` is not one of :data:`SUPPORTED_SUFFIXES`.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(
            f"cannot draw AMR to {str(out)!r}: unsupported file suffix {suffix or '(none)'!r}; "
            f"use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    measure = _Measure()
    nodes, surface, tree_edges = _build(amr)
    _layout_tree(
        nodes, surface, tree_edges, measure, ordered=bool(amr.alignments or amr.constant_alignments)
    )
    tokens = list(amr.tokens)
    tok_w = [measure(t, _TOKEN_FONT)[0] + 2 * 5.0 for t in tokens]
    tok_x = _place_tokens(nodes, tok_w)

    # horizontal extent, then shift everything so that it starts at the margin
    tok_spans = list(zip(tok_x, tok_w, strict=True))
    lefts = [n.x - n.slot / 2 for n in nodes.values()] + [x - w / 2 for x, w in tok_spans]
    rights = [n.x + n.slot / 2 for n in nodes.values()] + [x + w / 2 for x, w in tok_spans]
    lo, hi = min(lefts), max(rights)
    heading = title if title is not None else amr.id
    head_w = measure(heading, _HEAD_FONT, "bold")[0]
    content_w = max(hi - lo, _MIN_WIDTH, min(head_w, 900.0))
    shift = _MARGIN - lo + (content_w - (hi - lo)) / 2
    for n in nodes.values():
        n.x += shift
    tok_x = [x + shift for x in tok_x]
    width = content_w + 2 * _MARGIN

    # title block
    sentence = amr.metadata.get("snt") or " ".join(tokens)
    char_w = measure("abcdefghijklmnopqrstuvwxyz", _SNT_FONT)[0] / 26
    wrap_at = min(max(30, int(content_w / (char_w * 1.05))), 150)  # long lines read badly
    head_lines = textwrap.wrap(heading, max(20, int(content_w / (char_w * 1.25)))) or [""]
    snt_lines = textwrap.wrap(sentence, wrap_at) if sentence else []
    head_h = len(head_lines) * _HEAD_FONT * 1.3
    snt_h = len(snt_lines) * _SNT_FONT * 1.3
    y = -_MARGIN - head_h - (snt_h + 4 if snt_lines else 0) - 22

    # vertical positions: layers, then the token row
    depth = max(n.depth for n in nodes.values())
    top_y = y - _CONST_H / 2
    for n in nodes.values():
        n.y = top_y - n.depth * _LAYER_GAP
    bottom = top_y - depth * _LAYER_GAP - _CONST_H / 2
    has_lines = any(n.tokens for n in nodes.values())
    tok_y = top_y - depth * _LAYER_GAP - (_TOKEN_GAP if has_lines else _TOKEN_GAP * 0.6)
    if tokens:
        bottom = tok_y - _TOKEN_H / 2 - _INDEX_FONT * 1.8
    height = -bottom + _MARGIN

    dpi = min(_DPI, _MAX_PIXELS * 72.0 / max(width, height))
    fig = Figure(figsize=(width / 72.0, height / 72.0), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_axis_off()

    rc = {
        "svg.fonttype": "none",  # keep text as text in SVG (searchable, smaller)
        "svg.hashsalt": "amrgnn",  # deterministic ids
        "text.parse_math": False,  # "$" in tokens is a dollar sign
        "font.family": "DejaVu Sans",
    }
    with rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*[Gg]lyph.*missing")
        ax.text(
            _MARGIN,
            -_MARGIN,
            "\n".join(head_lines),
            fontsize=_HEAD_FONT,
            weight="bold",
            ha="left",
            va="top",
            linespacing=1.15,
        )
        if snt_lines:
            ax.text(
                _MARGIN,
                -_MARGIN - head_h - 4,
                "\n".join(snt_lines),
                fontsize=_SNT_FONT,
                ha="left",
                va="top",
                color="#333333",
                linespacing=1.15,
            )
        patches = _draw_nodes(ax, nodes, amr.graph.top)
        _draw_edges(ax, nodes, surface, tree_edges, patches, measure)
        if tokens:
            _draw_tokens(ax, nodes, tokens, tok_x, tok_w, tok_y)
        fig.savefig(out, format=suffix[1:], dpi=dpi, facecolor="white")
    return fig


# --------------------------------------------------------------------------------------------------
# graph -> layered tree


def _build(
    amr: AMR,
) -> tuple[dict[object, _Node], nx.MultiDiGraph, set[tuple[object, object, int]]]:
    """Nodes, the surface-direction multigraph and its breadth-first spanning edges.

    Edges of the multigraph carry ``role`` (surface form) and ``order`` (position in the triples).
    A spanning edge is ``(parent, child, key)``; every other edge is a reentrancy.
    """
    g = amr.graph
    model = amr_model.model
    concepts: dict[str, str | None] = {}
    for src, _, tgt in g.instances():
        concepts.setdefault(src, tgt)
    variables = g.variables()
    G = nx.MultiDiGraph()
    nodes: dict[object, _Node] = {}

    def add_var(v: str) -> None:
        if v not in nodes:
            concept = concepts.get(v)
            label = f"{v} / {concept}" if concept is not None else str(v)
            nodes[v] = _Node(v, label, "concept", _valid(amr.alignments.get(v, ()), amr))
            G.add_node(v)

    if g.top is not None:
        add_var(g.top)
    n_const = 0
    for order, triple in enumerate(g.triples):
        src, role, tgt = triple
        add_var(src)
        if role == ":instance":
            continue
        if tgt in variables:
            add_var(tgt)
            try:
                inverted = penman.layout.appears_inverted(g, triple)
            except KeyError:  # built in memory, no layout information
                inverted = False
            if inverted and src != tgt:  # penman calls every self-loop inverted
                src, role, tgt = tgt, model.invert_role(role), src
            G.add_edge(src, tgt, role=role, order=order)
        else:
            key = ("const", n_const)
            n_const += 1
            idx = amr.constant_alignments.get((src, role, tgt), ())
            nodes[key] = _Node(key, str(tgt), "constant", _valid(idx, amr))
            G.add_edge(src, key, role=role, order=order)

    # breadth-first over surface edges from the top; a node left unreached by that (only possible
    # for graphs built in memory) is reached backwards over an edge from a reached node, else it
    # starts a tree of its own
    tree: set[tuple[object, object, int]] = set()
    seen: set[object] = set()
    roots: list[object] = []
    todo = list(nodes)
    while len(seen) < len(nodes):
        start = next(k for k in todo if k not in seen)
        back = None
        for u, v, k in G.edges(keys=True):
            if u == start and v in seen and u != v:
                back = (u, v, k)
                break
        if back is not None:  # flip it to the surface direction reached -> start
            u, v, k = back
            data = G.edges[u, v, k]
            G.remove_edge(u, v, k)
            k2 = G.add_edge(v, u, role=model.invert_role(data["role"]), order=data["order"])
            tree.add((v, u, k2))
            nodes[v].children.append(u)
            nodes[u].depth = nodes[v].depth + 1
            nodes[u].role = G.edges[v, u, k2]["role"]
        else:
            roots.append(start)
        seen.add(start)
        queue = deque([start])
        while queue:
            u = queue.popleft()
            out = sorted(G.out_edges(u, keys=True, data="order"), key=lambda e: e[3])
            for _, v, k, _ in out:
                if v in seen:
                    continue
                seen.add(v)
                tree.add((u, v, k))
                nodes[u].children.append(v)
                nodes[v].depth = nodes[u].depth + 1
                nodes[v].role = G.edges[u, v, k]["role"]
                queue.append(v)
    G.graph["roots"] = roots
    return nodes, G, tree


def _valid(idx: tuple[int, ...], amr: AMR) -> tuple[int, ...]:
    return tuple(i for i in idx if 0 <= i < len(amr.tokens))


def _layout_tree(
    nodes: dict[object, _Node],
    G: nx.MultiDiGraph,
    tree: set[tuple[object, object, int]],
    measure: _Measure,
    *,
    ordered: bool,
) -> None:
    """Sizes and x positions: each subtree gets a band as wide as its widest layer needs."""
    for n in nodes.values():
        tw, _ = measure(n.label, _NODE_FONT)
        if n.kind == "concept":
            n.w, n.h = tw + 2 * _PAD_X, _NODE_H
        else:
            n.w, n.h = tw * 1.12 + 2 * _PAD_X + 4, _CONST_H
        role_w = measure(n.role, _EDGE_FONT)[0] + 8 if n.role else 0.0
        n.slot = max(n.w, role_w) + _H_GAP

    if ordered:  # siblings in sentence order of their subtrees' first aligned token
        first: dict[object, float] = {}

        def first_token(k: object) -> float:
            n = nodes[k]
            best = min(n.tokens, default=float("inf"))
            for c in n.children:
                best = min(best, first_token(c))
            first[k] = best
            return best

        for r in G.graph["roots"]:
            first_token(r)
        for n in nodes.values():
            keys, last = [], -1.0
            for c in n.children:
                last = first[c] if first[c] != float("inf") else last
                keys.append(last)
            order = sorted(range(len(n.children)), key=lambda i: keys[i])
            n.children = [n.children[i] for i in order]

    def span(k: object) -> float:
        n = nodes[k]
        n.span = max(n.slot, sum(span(c) for c in n.children))
        return n.span

    def place(k: object, left: float) -> None:
        n = nodes[k]
        kids = sum(nodes[c].span for c in n.children)
        x = left + (n.span - kids) / 2
        for c in n.children:
            place(c, x)
            x += nodes[c].span
        if n.children:
            n.x = (nodes[n.children[0]].x + nodes[n.children[-1]].x) / 2
            n.x = min(max(n.x, left + n.slot / 2), left + n.span - n.slot / 2)
        else:
            n.x = left + n.span / 2

    left = 0.0
    for r in G.graph["roots"]:
        span(r)
        place(r, left)
        left += nodes[r].span


def _place_tokens(nodes: dict[object, _Node], widths: list[float]) -> list[float]:
    """Token centres in sentence order, as close as order and spacing allow to their concepts.

    Minimises the squared distance of each token to the mean x of the nodes aligned to it (unaligned
    tokens interpolate between their neighbours and weigh little), subject to the boxes keeping
    their order and spacing: an isotonic regression (pool adjacent violators) on offset positions.
    """
    n = len(widths)
    if n == 0:
        return []
    offset = [0.0]
    for i in range(1, n):
        offset.append(offset[-1] + (widths[i - 1] + widths[i]) / 2 + _TOKEN_SEP)
    xs: dict[int, list[float]] = {}
    for node in nodes.values():
        for i in node.tokens:
            xs.setdefault(i, []).append(node.x)
    aligned = sorted(xs)
    if not aligned:  # centre the packed row under the graph
        mid = sum(nd.x for nd in nodes.values()) / len(nodes)
        return [o - offset[-1] / 2 + mid for o in offset]
    want = [0.0] * n
    weight = [0.05] * n
    for i in aligned:
        want[i] = sum(xs[i]) / len(xs[i])
        weight[i] = 1.0
    for i in range(n):
        if i in xs:
            continue
        prev = max((j for j in aligned if j < i), default=None)
        nxt = min((j for j in aligned if j > i), default=None)
        if prev is not None and nxt is not None:
            want[i] = want[prev] + (want[nxt] - want[prev]) * (i - prev) / (nxt - prev)
        elif prev is not None:
            want[i] = want[prev] + offset[i] - offset[prev]
        else:
            want[i] = want[nxt] - (offset[nxt] - offset[i])
    blocks: list[list[float]] = []  # [value, weight, count]
    for t, w in zip((w_ - o for w_, o in zip(want, offset, strict=True)), weight, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, c2 = blocks.pop()
            v1, w1, c1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    base = [v for v, _, c in blocks for _ in range(int(c))]
    return [b + o for b, o in zip(base, offset, strict=True)]


# --------------------------------------------------------------------------------------------------
# drawing


def _draw_nodes(ax, nodes: dict[object, _Node], top: str | None) -> dict[object, object]:
    patches = {}
    for k, n in nodes.items():
        if n.kind == "concept":
            p = FancyBboxPatch(
                (n.x - n.w / 2, n.y - n.h / 2),
                n.w,
                n.h,
                boxstyle="round,pad=0,rounding_size=5",
                lw=2.0 if k == top else 1.0,
                zorder=3,
                **_CONCEPT_STYLE,
            )
        else:
            p = Ellipse((n.x, n.y), n.w, n.h, lw=1.0, zorder=3, **_CONST_STYLE)
        ax.add_patch(p)
        patches[k] = p
        ax.text(
            n.x,
            n.y,
            n.label,
            fontsize=_NODE_FONT,
            ha="center",
            va="center_baseline",
            zorder=4,
            weight="bold" if k == top else "normal",
        )
    return patches


def _edge_label(ax, x: float, y: float, role: str, color: str) -> None:
    ax.text(
        x,
        y,
        role,
        fontsize=_EDGE_FONT,
        ha="center",
        va="center_baseline",
        color=color,
        zorder=5,
        bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85},
    )


def _draw_edges(ax, nodes, G: nx.MultiDiGraph, tree, patches, measure: _Measure) -> None:
    pair_count: dict[frozenset, int] = {}
    # what a reentrancy label should not cover: boxes, and the tree-edge labels above them
    taken = [(n.x - n.w / 2, n.y - n.h / 2, n.x + n.w / 2, n.y + n.h / 2) for n in nodes.values()]
    for n in nodes.values():
        if n.role:
            rw, rh = measure(n.role, _EDGE_FONT)
            ly = n.y + n.h / 2 + 13.0
            taken.append((n.x - rw / 2 - 8, ly - rh / 2 - 2, n.x + rw / 2 + 8, ly + rh / 2 + 2))
    for u, v, k, role in sorted(
        G.edges(keys=True, data="role"), key=lambda e: G.edges[e[:3]]["order"]
    ):
        a, b = nodes[u], nodes[v]
        if (u, v, k) in tree:
            x0, y0 = a.x, a.y - a.h / 2
            x1, y1 = b.x, b.y + b.h / 2
            ax.add_patch(
                FancyArrowPatch(
                    (x0, y0),
                    (x1, y1),
                    arrowstyle="-|>",
                    mutation_scale=9,
                    lw=0.9,
                    color=_EDGE_COLOR,
                    shrinkA=0,
                    shrinkB=0,
                    zorder=2,
                )
            )
            # label just above the child, where siblings are spread furthest apart
            ly = y1 + 13.0
            t = (y0 - ly) / (y0 - y1) if y0 != y1 else 0.5
            _edge_label(ax, x0 + (x1 - x0) * t, ly, role, "#222222")
            continue
        if u == v:  # self-loop: a small loop on the right side of the box
            x, y, r = a.x + a.w / 2, a.y, 34.0
            loop = MplPath(
                [(x, y + 5), (x + r, y + 24), (x + r, y - 24), (x, y - 5)],
                [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4],
            )
            ax.add_patch(
                FancyArrowPatch(
                    path=loop,
                    arrowstyle="-|>",
                    mutation_scale=9,
                    lw=1.0,
                    ls="--",
                    color=_REENTRANT_COLOR,
                    zorder=2.5,
                )
            )
            _edge_label(ax, x + r * 0.75 + 4, y, role, _REENTRANT_COLOR)
            continue
        pair = frozenset((u, v))
        n_seen = pair_count.get(pair, 0)
        pair_count[pair] = n_seen + 1
        dist = max(((b.x - a.x) ** 2 + (b.y - a.y) ** 2) ** 0.5, 1.0)
        # bulge of the arc: about 15% of its length, at most ~45 points, more for parallel arcs
        rad = min(0.3, 90.0 / dist) * (1 + 0.6 * (n_seen // 2)) * (1 if n_seen % 2 == 0 else -1)
        ax.add_patch(
            FancyArrowPatch(
                (a.x, a.y),
                (b.x, b.y),
                patchA=patches[u],
                patchB=patches[v],
                connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>",
                mutation_scale=9,
                lw=1.0,
                ls="--",
                color=_REENTRANT_COLOR,
                shrinkA=1,
                shrinkB=1,
                zorder=2.5,
            )
        )
        # arc3 draws a quadratic Bezier with this control point (data units are uniform points
        # here); the label goes at the first point along it, middle first, that hits nothing
        cx = (a.x + b.x) / 2 + rad * (b.y - a.y)
        cy = (a.y + b.y) / 2 - rad * (b.x - a.x)
        lw, lh = measure(role, _EDGE_FONT)
        lw, lh = lw + 4, lh + 4
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.5):
            mx = (1 - t) ** 2 * a.x + 2 * t * (1 - t) * cx + t**2 * b.x
            my = (1 - t) ** 2 * a.y + 2 * t * (1 - t) * cy + t**2 * b.y
            box = (mx - lw / 2, my - lh / 2, mx + lw / 2, my + lh / 2)
            if not any(_overlap(box, o) for o in taken):
                break
        taken.append(box)
        _edge_label(ax, mx, my, role, _REENTRANT_COLOR)


def _overlap(p: tuple[float, float, float, float], q: tuple[float, float, float, float]) -> bool:
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def _draw_tokens(ax, nodes, tokens: list[str], xs: list[float], ws: list[float], y: float) -> None:
    aligned: set[int] = set()
    for n in nodes.values():
        for i in n.tokens:
            aligned.add(i)
            ax.plot(
                [n.x, xs[i]],
                [n.y - n.h / 2, y + _TOKEN_H / 2],
                ls=(0, (1, 2)),
                lw=1.1,
                color=_ALIGN_COLOR,
                alpha=0.75,
                zorder=1,
                solid_capstyle="round",
            )
    for i, (tok, x, w) in enumerate(zip(tokens, xs, ws, strict=True)):
        on = i in aligned
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - _TOKEN_H / 2),
                w,
                _TOKEN_H,
                boxstyle="square,pad=0",
                lw=1.0,
                zorder=3,
                **(_TOKEN_ON if on else _TOKEN_OFF),
            )
        )
        ax.text(
            x,
            y,
            tok,
            fontsize=_TOKEN_FONT,
            ha="center",
            va="center_baseline",
            zorder=4,
            color="#111111" if on else "#9a9a9a",
        )
        ax.text(
            x,
            y - _TOKEN_H / 2 - 2,
            str(i),
            fontsize=_INDEX_FONT,
            ha="center",
            va="top",
            color="#8c8c8c" if on else "#b8b8b8",
            zorder=4,
        )
