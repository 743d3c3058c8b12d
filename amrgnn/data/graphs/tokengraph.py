"""``--graphs tokengraph:PATH``: word-level token graphs from an ``amrgnn parse`` output, matched by
sentence id (the words must be the sentence's)."""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import InputError
from ..events import Sentence
from ..token_graphs import read_token_graphs
from .base import GraphSource

__all__ = ["TokenGraphFile"]


class TokenGraphFile(GraphSource):
    """Token graphs read from a ``parse`` output (JSON lines), matched by sentence id."""

    kind = "tokengraph"
    arg_name = "PATH"
    produces = "words"

    def word_graphs(self, sentences: Sequence[Sentence]) -> list[list[tuple[int, int, str]] | None]:
        parses = read_token_graphs(self.arg)
        out: list[list[tuple[int, int, str]] | None] = []
        for s in sentences:
            if s.id not in parses:
                out.append(None)
                continue
            tokens, edges = parses[s.id]
            if tokens != s.tokens:
                raise InputError(f"{self.arg}: sentence {s.id!r}: its tokens differ from {s.path}:{s.line} "
                                 f"({len(tokens)} vs {len(s.tokens)} words); parse the same file")
            out.append(edges)
        return out
