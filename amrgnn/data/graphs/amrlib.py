"""``--graphs amrlib``: parse on the fly with amrlib (an optional extra, with a parse model installed)."""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import InputError
from ...graph.io import AMR, parse_amr
from ..events import Sentence
from .base import GraphSource

__all__ = ["AmrlibGraphs", "MissingParserError"]


class MissingParserError(InputError):
    """amrlib, or its parse model, is not installed."""


class AmrlibGraphs(GraphSource):
    """Graphs parsed by amrlib's sentence-to-graph model."""

    kind = "amrlib"

    def amrs(self, sentences: Sequence[Sentence]) -> list[AMR | None]:
        try:
            import amrlib
        except ImportError as exc:
            raise MissingParserError(
                "--graphs amrlib needs amrlib and a parse model: pip install amrlib (or amrgnn[parse]), then a model "
                "from https://github.com/bjascob/amrlib-models (or pass --graphs penman:PATH with any parser's output)"
            ) from exc
        try:
            stog = amrlib.load_stog_model()
        except Exception as exc:  # amrlib raises plain exceptions when no model is installed
            raise MissingParserError(
                f"amrlib is installed but has no parse model ({exc}); see https://github.com/bjascob/amrlib-models"
            ) from exc
        texts = [" ".join(s.tokens) for s in sentences]
        out: list[AMR | None] = []
        for s, pen in zip(sentences, stog.parse_sents(texts, add_metadata=False), strict=True):
            out.append(None if pen is None else parse_amr(pen, default_id=s.id))
        return out
