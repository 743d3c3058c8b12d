"""Per-process caches: what depends only on a token (its form, kind and lemma candidates) is
computed once; the other stages keep their own bounded caches with :func:`_remember`."""

from __future__ import annotations

from operator import itemgetter

from .lemmas import lemmas
from .words import _JOINERS, _PUNCT, _ROLE_VOCAB, is_markup

_CACHE_SIZE = 1 << 16


def _remember(cache: dict, key: object, value: object) -> object:
    """Store ``value`` under ``key`` in one of the caches below, emptied when it grows too big."""
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


_MARKUP, _OTHER, _WORD, _ROLE_WORD = range(4)  # kinds of tokens: a role word is a word

#: token -> (lower-cased form, kind, lemma candidates besides the form)
_TOKENS: dict[str, tuple[str, int, tuple[str, ...]]] = {}
_FORM = itemgetter(0)


def _token(token: str) -> tuple[str, int, tuple[str, ...]]:
    low = token.lower()
    if is_markup(token):
        kind = _MARKUP
    elif low in _JOINERS or low in _PUNCT or not (low.isalnum() or any(c.isalnum() for c in low)):
        kind = _OTHER
    else:
        kind = _ROLE_WORD if low in _ROLE_VOCAB else _WORD
    return _remember(_TOKENS, token, (low, kind, lemmas(low)[1:] if kind >= _WORD else ()))
