"""Sentences of a source text with exact token offsets, by the raw-text pipeline's splitter
(:func:`amrgnn.data.text.split_sentences`, spaCy's rule-based tokenizer and sentencizer).

Each text region (between two tags) is split on its own, so a sentence never spans a ``<TURN>``
or ``<POST>`` boundary and no markup leaks into it. Two corrections keep annotations on token
boundaries exactly, and both are counted:

- a token that an annotated span starts or ends inside is split there (``tokens-split``), e.g. a
  mention "U.S." of the token "U.S.-based";
- two sentences that an annotated span (a mention or a trigger) crosses are merged
  (``sentences-merged``), so the span stays one span.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..text import split_sentences
from .source import SourceText

__all__ = ["DocSentence", "sentences_of"]


@dataclass
class DocSentence:
    """A sentence: ``text[start:end]``, its words and each word's ``(start, end)`` in the text."""

    start: int
    end: int
    words: list[str]
    offsets: list[tuple[int, int]]

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The tokens ``[i, j)`` covering exactly ``[start, end)`` in characters, else ``None``."""
        starts = [s for s, _ in self.offsets]
        ends = [e for _, e in self.offsets]
        i = bisect.bisect_left(starts, start)
        j = bisect.bisect_left(ends, end)
        if i < len(starts) and j < len(ends) and starts[i] == start and ends[j] == end and i <= j:
            return i, j + 1
        return None


def _split_tokens(sent: DocSentence, cuts: list[int], text: str, counts: Counter) -> DocSentence:
    words, offsets = [], []
    for (s, e) in sent.offsets:
        lo, hi = bisect.bisect_right(cuts, s), bisect.bisect_left(cuts, e)
        points = [s, *cuts[lo:hi], e]
        if len(points) > 2:
            counts["tokens-split"] += 1
        for a, b in zip(points, points[1:], strict=False):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            if trail > lead:
                words.append(piece[lead:trail])
                offsets.append((a + lead, a + trail))
    return DocSentence(sent.start, sent.end, words, offsets)


def sentences_of(source: SourceText, spans: Iterable[tuple[int, int]], counts: Counter) -> list[DocSentence]:
    """The sentences of ``source``'s text regions; ``spans`` (``[start, end)`` in the text) are
    the annotated spans that must fall on token boundaries inside one sentence."""
    spans = sorted(set(spans))
    cuts = sorted({p for s, e in spans for p in (s, e)})
    out: list[DocSentence] = []
    for region in source.regions:
        if region.label != "text":
            continue
        chunk = source.text[region.start:region.end]
        sents = []
        for ts in split_sentences(chunk):
            offs = [(a + region.start, b + region.start) for a, b in ts.offsets]
            sent = DocSentence(ts.start + region.start, ts.end + region.start, list(ts.words), offs)
            sents.append(_split_tokens(sent, cuts, source.text, counts))
        out.extend(_merge(sents, spans, counts))
    return out


def _merge(sents: list[DocSentence], spans: list[tuple[int, int]], counts: Counter) -> list[DocSentence]:
    if len(sents) < 2:
        return sents
    starts = [s.start for s in sents]
    glue = [False] * len(sents)  # glue[k]: sentence k continues sentence k - 1
    for s, e in spans:
        i = bisect.bisect_right(starts, s) - 1
        j = bisect.bisect_right(starts, e - 1) - 1
        if i < 0 or j <= i or s >= sents[-1].end:
            continue
        if e <= sents[i].end:
            continue
        for k in range(i + 1, j + 1):
            glue[k] = True
    merged: list[DocSentence] = []
    for k, sent in enumerate(sents):
        if glue[k] and merged:
            prev = merged[-1]
            merged[-1] = DocSentence(prev.start, sent.end, prev.words + sent.words, prev.offsets + sent.offsets)
            counts["sentences-merged"] += 1
        else:
            merged.append(sent)
    return merged
