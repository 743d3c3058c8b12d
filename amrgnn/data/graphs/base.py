"""The graph-source interface and its registry.

A graph source turns event-extraction sentences into AMR graphs (one per sentence, or ``None``).
``--graphs KIND[:ARG]`` picks one from :data:`GRAPH_SOURCES`: a new source is one module with a
:class:`GraphSource` subclass plus one registration line in ``amrgnn/data/graphs/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from ...errors import UsageError
from ...registry import Registry

if TYPE_CHECKING:
    from ...graph.io import AMR
    from ..events import Sentence

__all__ = ["GRAPH_SOURCES", "GraphSource", "NoGraphs", "graph_label", "parse_graph_source"]


class GraphSource:
    """Where sentence graphs come from.

    Class attributes:
        kind: the registry name (``--graphs KIND[:ARG]``).
        arg_name: what ``ARG`` is (``"PATH"``), or ``None`` when the source takes none.
    """

    kind: ClassVar[str] = ""
    arg_name: ClassVar[str | None] = None

    def __init__(self, arg: str | None = None) -> None:
        if self.arg_name and not arg:
            raise UsageError(f"--graphs {self.kind}: give {self.kind}:{self.arg_name}")
        if not self.arg_name and arg:
            raise UsageError(f"--graphs {self.kind} takes no argument (got {arg!r})")
        self.arg = arg

    @property
    def uses_graphs(self) -> bool:
        """``False`` for the text-only baseline (the encoder's graph terms are turned off)."""
        return True

    @property
    def spec(self) -> str:
        return self.kind if self.arg is None else f"{self.kind}:{self.arg}"

    #: what the source gives: ``"amr"`` (:meth:`amrs`: graphs aligned to the words later) or
    #: ``"words"`` (:meth:`word_graphs`: word-level token graphs, relation names)
    produces: ClassVar[str] = "amr"

    def amrs(self, sentences: Sequence[Sentence]) -> list[AMR | None]:
        """One AMR per sentence (``None`` where the source has none)."""
        raise NotImplementedError

    def word_graphs(self, sentences: Sequence[Sentence]) -> list[list[tuple[int, int, str]] | None]:
        """One word-level token graph per sentence, ``(i, j, relation name)`` (``None``: no graph)."""
        raise NotImplementedError

    def relation_names(self) -> list[str] | None:
        """The relation vocabulary the source's word graphs use (``None``: unknown)."""
        return None

    def describe(self) -> dict[str, str]:
        """What identifies the graphs beyond the spec (e.g. a model's hash), recorded with a run."""
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec!r})"


class NoGraphs(GraphSource):
    """``--graphs none``: the text-only baseline."""

    kind = "none"

    @property
    def uses_graphs(self) -> bool:
        return False

    def amrs(self, sentences: Sequence[Sentence]) -> list[AMR | None]:
        return [None] * len(sentences)


#: Graph sources by kind (``--graphs KIND[:ARG]``).
GRAPH_SOURCES: Registry[type[GraphSource]] = Registry("graph source")


def parse_graph_source(spec: str) -> GraphSource:
    """The source named by ``KIND`` or ``KIND:ARG`` (e.g. ``none``, ``penman:parses.txt``)."""
    kind, colon, arg = spec.partition(":")
    if kind not in GRAPH_SOURCES:
        usage = ", ".join(k + (f":{a}" if (a := _arg_name(k)) else "") for k in GRAPH_SOURCES)
        raise UsageError(f"--graphs {spec!r}: unknown graph source; use {usage}")
    return GRAPH_SOURCES.get(kind)(arg if colon else None)


def _arg_name(kind: str) -> str | None:
    return GRAPH_SOURCES.get(kind).arg_name


def graph_label(spec: str, specs: Sequence[str]) -> str:
    """``text`` for no graphs, ``amr`` for the one graph source (``amr1``, ``amr2``... for several)."""
    if not parse_graph_source(spec).uses_graphs:
        return "text"
    amr = [s for s in specs if parse_graph_source(s).uses_graphs]
    return "amr" if len(amr) == 1 else f"amr{amr.index(spec) + 1}"
