"""``--graphs penman:PATH``: any parser's PENMAN output (amrlib, SPRING, IBM's transition parser),
matched by sentence id (``# ::id``)."""

from __future__ import annotations

from collections.abc import Sequence

from ...graph.io import AMR, read_amr
from ..events import Sentence
from .base import GraphSource

__all__ = ["PenmanGraphs"]


class PenmanGraphs(GraphSource):
    """Graphs read from a PENMAN file (or glob / AMR 3.0 directory), matched by sentence id."""

    kind = "penman"
    arg_name = "PATH"

    def amrs(self, sentences: Sequence[Sentence]) -> list[AMR | None]:
        by_id = {a.id: a for a in read_amr(self.arg, progress=False)}
        return [by_id.get(s.id) for s in sentences]
