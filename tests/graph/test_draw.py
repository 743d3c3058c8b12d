"""draw_amr: PNG and SVG output of one small aligned AMR, and the suffix check."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

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
