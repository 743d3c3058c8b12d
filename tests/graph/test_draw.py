"""draw_amr: PNG and SVG output of one small aligned AMR, and the suffix check; what the figure
draws (read back from its artists): one labelled box per concept and constant, one arrow per
relation in its surface direction with its role, reentrancies dashed, the tokens in order with
their indices, one line per alignment to the right token."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import BoxStyle, Ellipse, FancyArrowPatch, FancyBboxPatch

import amrgnn.viz.amr as viz_amr
from amrgnn.graph.io import parse_amr
from amrgnn.viz.amr import draw_amr

# A reentrancy (b is the ARG0 of both w and g), an inverted role, two constants, an unaligned token.
ALIGNED = """\
# ::id draw.1
# ::tok The boy wants to go to New York & not stay .
(w / want-01~e.2
   :ARG0 (b / boy~e.1)
   :ARG1 (g / go-02~e.4
      :ARG0 b
      :ARG4 (c / city :name (n / name :op1 "New"~e.6 :op2 "York"~e.7)))
   :ARG1-of (s / stay-01~e.10 :polarity -~e.9))
"""


@pytest.fixture
def amr():
    return parse_amr(ALIGNED)


def _svg_text(path) -> str:
    root = ET.parse(path).getroot()  # raises on malformed XML
    assert root.tag.endswith("svg")
    return " ".join(t for el in root.iter() for t in (el.text, el.tail) if t)


def test_png(tmp_path, amr):
    out = tmp_path / "graph.png"
    draw_amr(amr, out)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 1000


def test_svg_has_every_label(tmp_path, amr):
    out = tmp_path / "graph.svg"
    draw_amr(amr, str(out), title="my title")
    text = _svg_text(out)
    for var, _, concept in amr.graph.instances():
        assert f"{var} / {concept}" in text
    for _, _, const in amr.graph.attributes():
        assert const in text
    for tok in amr.tokens:
        assert tok in text
    for role in (":ARG0", ":ARG1-of", ":op2", ":polarity"):
        assert role in text
    assert "my title" in text


@pytest.mark.parametrize(
    "text",
    [
        "(a / alone)",  # single node, no tokens, no alignments
        "# ::snt It is what it is .\n(a / alone :ARG0 a)",  # self-loop, unaligned tokens
    ],
)
def test_degenerate_graphs(tmp_path, text):
    out = tmp_path / "g.SVG"  # suffix is case-insensitive
    draw_amr(parse_amr(text), out)
    assert "a / alone" in _svg_text(out)


@pytest.mark.parametrize("name", ["graph.pdf", "graph.jpg", "graph"])
def test_unsupported_suffix(tmp_path, amr, name):
    with pytest.raises(ValueError, match=r"unsupported file suffix.*\.png.*\.svg"):
        draw_amr(amr, tmp_path / name)
    assert not (tmp_path / name).exists()


# ------------------------------------------------------------------------------------------------
# the figure's artists

#: ALIGNED's relations in their surface direction (:ARG1-of as written), labels as drawn
SURFACE = Counter([
    ("w / want-01", ":ARG0", "b / boy"), ("w / want-01", ":ARG1", "g / go-02"), ("g / go-02", ":ARG0", "b / boy"),
    ("g / go-02", ":ARG4", "c / city"), ("c / city", ":name", "n / name"), ("n / name", ":op1", '"New"'),
    ("n / name", ":op2", '"York"'), ("w / want-01", ":ARG1-of", "s / stay-01"), ("s / stay-01", ":polarity", "-"),
])
REENTRANT = {("g / go-02", ":ARG0", "b / boy")}  # b is reached first from w


@pytest.fixture
def draw(monkeypatch):
    """draw_amr, returning the axes it drew on. draw_amr returns None: the figure is caught as it
    is made (once draw_amr returns its Figure, the return value is used)."""
    made: list[Figure] = []

    class Recording(Figure):
        def __init__(self, *a, **k) -> None:
            super().__init__(*a, **k)
            made.append(self)

    monkeypatch.setattr(viz_amr, "Figure", Recording)

    def run(amr, path, **kw):
        fig = draw_amr(amr, path, **kw)
        fig = fig if fig is not None else made[-1]
        (ax,) = fig.axes
        return ax

    return run


def _centre(p) -> tuple[float, float]:
    if isinstance(p, Ellipse):
        return tuple(p.center)
    return p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2


def _artists(ax):
    """(concept boxes, constant ellipses, token boxes, arrows, plain texts, boxed role texts)."""
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    concepts = [p for p in boxes if isinstance(p.get_boxstyle(), BoxStyle.Round)]
    tokens = sorted((p for p in boxes if isinstance(p.get_boxstyle(), BoxStyle.Square)), key=lambda p: _centre(p)[0])
    assert len(concepts) + len(tokens) == len(boxes)
    consts = [p for p in ax.patches if isinstance(p, Ellipse)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(concepts) + len(tokens) + len(consts) + len(arrows) == len(ax.patches)  # nothing else drawn
    plain = [t for t in ax.texts if t.get_bbox_patch() is None]
    roles = [t for t in ax.texts if t.get_bbox_patch() is not None]
    return concepts, consts, tokens, arrows, plain, roles


def _label_at(texts, point) -> str:
    """The one text drawn exactly at ``point``."""
    hits = [t.get_text() for t in texts if math.dist(t.get_position(), point) < 1e-6]
    assert len(hits) == 1, (point, hits)
    return hits[0]


def _nearest(labels: dict[str, tuple[float, float]], point, within: float) -> str:
    name = min(labels, key=lambda k: math.dist(labels[k], point))
    assert math.dist(labels[name], point) <= within, (point, name, labels[name])
    return name


def _on_segment(p, a, b) -> float:
    (px, py), (ax_, ay), (bx, by) = p, a, b
    t = max(0.0, min(1.0, ((px - ax_) * (bx - ax_) + (py - ay) * (by - ay)) / ((bx - ax_) ** 2 + (by - ay) ** 2)))
    return math.dist(p, (ax_ + t * (bx - ax_), ay + t * (by - ay)))


def test_figure_draws_every_concept_relation_token_and_alignment(tmp_path, amr, draw):
    ax = draw(amr, tmp_path / "graph.png")
    concepts, consts, tokens, arrows, plain, roles = _artists(ax)
    g = amr.graph
    # one box per concept, one ellipse per constant, each with its label at its centre
    nodes = {_label_at(plain, _centre(p)): _centre(p) for p in concepts + consts}
    assert sorted(_label_at(plain, _centre(p)) for p in concepts) == sorted(f"{v} / {c}" for v, _, c in g.instances())
    assert sorted(_label_at(plain, _centre(p)) for p in consts) == sorted(c for _, _, c in g.attributes())
    assert len(nodes) == len(g.instances()) + len(g.attributes())
    # the tokens left to right, each with its index under its box
    assert [_label_at(plain, _centre(p)) for p in tokens] == amr.tokens
    for i, p in enumerate(tokens):
        assert _label_at(plain, (_centre(p)[0], p.get_y() - 2)) == str(i)
    # one arrow per relation and attribute, from the surface parent to the child; a tree edge carries
    # its role on it, the reentrancy is dashed and carries the remaining role
    assert len(arrows) == len(g.edges()) + len(g.attributes()) == sum(SURFACE.values())
    role_pos = [(t.get_text(), t.get_position()) for t in roles]
    drawn, dashed, used = Counter(), set(), set()
    for a in arrows:
        start, end = a._posA_posB
        src, tgt = _nearest(nodes, start, 12), _nearest(nodes, end, 12)
        if a.get_linestyle() in ("--", "dashed"):
            dashed.add((src, tgt))
            continue
        k = min(range(len(role_pos)), key=lambda j: _on_segment(role_pos[j][1], start, end))
        assert _on_segment(role_pos[k][1], start, end) < 1.0 and k not in used
        used.add(k)
        drawn[(src, role_pos[k][0], tgt)] += 1
    assert dashed == {(s, t) for s, _, t in REENTRANT}
    left = Counter(role_pos[j][0] for j in range(len(role_pos)) if j not in used)
    assert drawn == SURFACE - Counter(REENTRANT) and left == Counter(r for _, r, _ in REENTRANT)
    # one dotted line per alignment, from the node down to its token
    tok_at = {str(i): _centre(p) for i, p in enumerate(tokens)}
    lines = Counter((_nearest(nodes, ln.get_xydata()[0], 12), int(_nearest(tok_at, ln.get_xydata()[1], 11))) for ln in ax.lines)
    label = {v: f"{v} / {c}" for v, _, c in g.instances()}
    expected = Counter({(label[v], i): 1 for v, idx in amr.alignments.items() for i in idx})
    expected.update((c, i) for (_, _, c), idx in amr.constant_alignments.items() for i in idx)
    assert lines == expected and sum(expected.values()) == 7
    # heading: the id, and the sentence
    assert amr.id in {t.get_text() for t in plain} and " ".join(amr.tokens) in {t.get_text() for t in plain}


@pytest.mark.parametrize(
    ("text", "n_tokens", "n_arrows"),
    [("(a / alone)", 0, 0), ("# ::snt It is what it is .\n(a / alone :ARG0 a)", 6, 1)],
)
def test_degenerate_figures(tmp_path, draw, text, n_tokens, n_arrows):
    amr = parse_amr(text)
    ax = draw(amr, tmp_path / "g.png", title="t")
    concepts, consts, tokens, arrows, plain, roles = _artists(ax)
    assert [_label_at(plain, _centre(p)) for p in concepts] == ["a / alone"] and not consts
    assert len(tokens) == n_tokens == len(amr.tokens) and len(arrows) == n_arrows and not ax.lines
    assert len(roles) == n_arrows


def test_self_loop_keeps_its_written_role(tmp_path, draw):
    ax = draw(parse_amr("(a / alone :ARG0 a)"), tmp_path / "g.png")
    assert [t.get_text() for t in _artists(ax)[5]] == [":ARG0"]
