"""Which offset convention a document's annotation uses, decided by the annotation itself, and
the verification of every span against it.

Each ``<charseq>`` carries its own text, so a convention is a hypothesis that can be checked: for
each candidate (:data:`~.source.CONVENTIONS`), count the spans whose text at the computed offsets
equals the text the annotation wrote. The convention with the most exact matches wins (ties go to
the first candidate: a document with no entity reference before its last mention cannot tell
``tags-removed`` from ``tags-removed-unescaped``, and both give the same spans there). Under the
winner, every span is then verified; nothing is moved to where its text happens to be:

- ``exact``: the text matches;
- ``whitespace-differs`` (kept, counted): equal once runs of whitespace are collapsed (a line
  break written as a space);
- ``out-of-range`` and ``text-differs`` (dropped, counted).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import CharSpan
from .source import SourceText

__all__ = ["OffsetCheck", "choose_convention", "verify_span"]

_WS = re.compile(r"\s+")


def verify_span(source: SourceText, convention: str, span: CharSpan) -> str:
    """``exact``, ``whitespace-differs``, ``out-of-range`` or ``text-differs``."""
    seen = source.view_text(convention, span.start, span.end)
    if seen is None:
        return "out-of-range"
    if seen == span.text:
        return "exact"
    if _WS.sub(" ", seen).strip() == _WS.sub(" ", span.text).strip():
        return "whitespace-differs"
    return "text-differs"


@dataclass
class OffsetCheck:
    """The decision for one document: ``convention``, the exact matches of every candidate, and
    whether the candidates could be told apart."""

    convention: str
    matches: dict[str, int]
    spans: int
    distinguishable: bool
    results: Counter = field(default_factory=Counter)


def choose_convention(source: SourceText, spans: Iterable[CharSpan], candidates: Sequence[str]) -> OffsetCheck:
    """The candidate convention under which most ``spans`` read back their own text."""
    spans = list(spans)
    matches = {c: sum(verify_span(source, c, s) == "exact" for s in spans) for c in candidates}
    best = max(candidates, key=lambda c: (matches[c], -candidates.index(c)))
    distinguishable = len(set(matches.values())) > 1
    return OffsetCheck(best, matches, len(spans), distinguishable)
