"""Raw text -> sentences of words with character offsets, by spaCy's rule-based English tokenizer and
sentencizer (no model download; ``token.idx`` keeps every offset exact).

Why spaCy: a maintained tokenizer whose exceptions keep "Mr.", "U.S." and "don't" the way
PTB-style event corpora tokenise them, with offsets into the original string; its ``sentencizer``
splits after sentence-final punctuation but not inside such tokens. No statistical model is needed
(none can be downloaded here), and the same splitter serves the raw-text pipeline and corpus
preparation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["TextSentence", "split_sentences", "tokenize"]


@dataclass(frozen=True)
class TextSentence:
    """A sentence of a text: ``text[start:end]``, its words and each word's ``(start, end)`` in ``text``."""

    start: int
    end: int
    words: tuple[str, ...]
    offsets: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1)
def _nlp():
    try:
        import spacy
    except ImportError as e:  # pragma: no cover - spaCy is a dependency
        raise ImportError("raw-text input needs spaCy (pip install 'spacy>=3.7')") from e
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _sentence(tokens) -> TextSentence | None:
    words = [t for t in tokens if not t.is_space]
    if not words:
        return None
    offsets = tuple((t.idx, t.idx + len(t.text)) for t in words)
    return TextSentence(offsets[0][0], offsets[-1][1], tuple(t.text for t in words), offsets)


def split_sentences(text: str, *, split: bool = True) -> list[TextSentence]:
    """The sentences of ``text`` (``split=False``: the whole text as one sentence); whitespace is
    never a word, and ``text[s.offsets[i][0]:s.offsets[i][1]] == s.words[i]``."""
    doc = _nlp()(text)
    groups = doc.sents if split else [doc]
    return [s for s in (_sentence(g) for g in groups) if s is not None]


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` with their character offsets (no sentence split)."""
    return [(t.text, t.idx, t.idx + len(t.text)) for t in _nlp().tokenizer(text) if not t.is_space]
