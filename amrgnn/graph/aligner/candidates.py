"""Candidate token spans for one concept, string, number or attribute constant, rule by rule."""

from __future__ import annotations

from typing import NamedTuple

from .items import Span
from .lemmas import lemmas
from .sentence import _Sentence
from .tokens import _remember
from .words import (
    _CONCEPT_WORDS,
    _EXACT_ONLY,
    _MONTHS,
    _NUMBER_RE,
    _SEP_RE,
    _STRING_WORDS,
    _base,
    _norm,
    _number_words,
    _prefix_len,
    _prefix_ok,
)


class _Concept(NamedTuple):
    """What the candidate rules need to know about a concept, computed once per process."""

    exact: str | None  # the base, except for person (also people, persons)
    base: str  # sense stripped, lower-cased
    exact_only: bool
    parts: tuple[str, ...]  # the pieces of a multi-word concept (wild-type), else ()
    joined: str  # the pieces glued together (wildtype)
    words: tuple[str, ...]  # special words (_CONCEPT_WORDS)
    phrases: tuple[tuple[str, ...], ...]  # special multi-word phrases (in addition)
    keys: tuple[str, ...]  # the base and its lemma candidates
    others: tuple[str, ...]  # the lemma candidates of the base alone


_CONCEPTS: dict[str, _Concept] = {}


def _concept(concept: str) -> _Concept:
    base = _base(concept)
    parts = tuple(p for p in base.split("-") if p)
    special = _CONCEPT_WORDS.get(concept) or _CONCEPT_WORDS.get(base) or ()
    info = _Concept(
        exact=base if base != "person" else None,
        base=base,
        exact_only=base in _EXACT_ONLY or concept in _EXACT_ONLY,
        parts=parts if len(parts) > 1 else (),
        joined="".join(parts),
        words=tuple(w for w in special if " " not in w),
        phrases=tuple(tuple(w.split()) for w in special if " " in w),
        keys=lemmas(base),
        others=lemmas(base)[1:],
    )
    return _remember(_CONCEPTS, concept, info)


def _concept_candidates(c: _Concept, s: _Sentence) -> list[Span]:
    """Candidate token spans for a concept, from the best matching rule only, once the exact
    match (``s.form.get(c.exact)``, tried first by the caller) has failed."""
    _, base, exact_only, parts, joined, words, phrases, keys, others = c
    form, lemma = s.form, s.lemma
    if exact_only:
        if base == "person":
            return sorted(form.get("person", []) + form.get("people", []) + form.get("persons", []))
        return []
    # multi-word concepts written with hyphens: wild-type, in-vitro, cell-line, knock-down
    if parts:
        spans = s.find_sequence(parts) if parts[0] in form or parts[0] in lemma else []
        if spans:
            return spans
        if joined in form or joined in lemma:
            return sorted(set(form.get(joined, ())).union(lemma.get(joined, ())))
    # special words and phrases ("in addition", "due to")
    if words or phrases:
        special = set()
        for w in form.keys() & words:
            special.update(form[w])
        for phrase in phrases:
            if phrase[0] in form:
                special.update(s.find_sequence(phrase, lemma=False))
        if special:
            return sorted(special)
    # lemma: a lemma candidate of a token is the concept or one of its lemma candidates
    found: list[Span] = []
    lists = 0
    for k in keys:
        if k in lemma:
            found += lemma[k]
            lists += 1
    for k in others:
        if k in form:
            found += form[k]
            lists += 1
    if found:
        return found if lists == 1 else sorted(set(found))
    if "-" in base or len(base) < 4:
        return []
    # prefix: the longest shared prefix, of four letters at least
    best = 0
    out: list[Span] = []
    head = base[:4]
    for i in s.starting_with(base[0]):
        w = s.low[i]
        if not w.startswith(head) or not _prefix_ok(base, w):
            continue
        k = _prefix_len(base, w)
        if k > best:
            best, out = k, [(i,)]
        elif k == best:
            out.append((i,))
    return out


class _String(NamedTuple):
    """What the candidate rules need to know about a quoted string constant."""

    text: str  # lower-cased
    target: str  # separators dropped
    parts: tuple[str, ...]  # pieces between separators
    words: tuple[str, ...]  # other spellings (_STRING_WORDS)


def _string(value: str) -> _String:
    text = value.lower()
    parts = tuple(p for p in _SEP_RE.split(text) if p)
    return _String(text, _norm(text), parts, _STRING_WORDS.get(text, ()))


def _string_candidates(c: _String, s: _Sentence) -> list[Span]:
    """Candidate spans for a quoted string constant (a name part): exact, pieces, lemma."""
    text, target, parts, words = c
    form = s.form
    hits = form.get(text)
    if hits:
        return hits
    if target != text:  # B-Raf ~ B @-@ Raf, ERK1/2 ~ ERK1 @/@ 2
        spans = s.find_concat(target)
        if spans:
            return spans
        spans = s.find_sequence(parts, lemma=True, prefix=True) if len(parts) > 1 else []
        if spans:  # N-terminus ~ N @-@ terminal
            return spans
    if words:
        found = {span for w in words for span in form.get(w, ())}
        if found:
            return sorted(found)
    if text.islower() and len(text) > 3:
        hits = s.lemma.get(text)
        if hits:
            return hits
    if len(parts) > 1 and len(parts[0]) >= 3:  # GSK-3beta -> GSK
        hits = form.get(parts[0])
        if hits:
            return hits
    return []


def _number_candidates(value: str, role: str, s: _Sentence) -> list[Span]:
    """Candidate spans for a number: digits, number words, ordinals, month names."""
    text = value.strip('"')
    hits = list(s.form.get(text.lower(), ()))
    if not hits and text.startswith("-"):
        hits = list(s.form.get(text[1:], ()))
    if not hits:
        words = _number_words(text)
        if role == ":month":
            try:
                words = words + (_MONTHS[int(text) - 1],)
            except (ValueError, IndexError):
                pass
        hits = sorted({span for w in words for span in s.form.get(w, ())})
    if not hits and _NUMBER_RE.match(text):
        # numbers glued to letters: 32P
        n = len(text)
        for i in s.words:
            w = s.low[i]
            if len(w) > n and w.startswith(text) and w[n].isalpha():
                hits.append((i,))
    return hits


_STRING, _NUMBER, _SYMBOL = range(3)  # kinds of constants

#: constant -> (kind, what): a string (_String), a number without quotes, a lower-cased symbol
_CONSTANTS: dict[str, tuple[int, _String | str]] = {}


def _constant(value: str) -> tuple[int, _String | str]:
    if value.startswith('"'):
        inner = value[1:-1]
        kind = (_NUMBER, inner) if _NUMBER_RE.match(inner) else (_STRING, _string(inner))
    else:
        kind = (_NUMBER, value) if _NUMBER_RE.match(value) else (_SYMBOL, value.lower())
    return _remember(_CONSTANTS, value, kind)


def _constant_candidates(role: str, value: str, s: _Sentence) -> list[Span]:
    """Candidate spans for the constant of an attribute: a string, a number or a symbol."""
    kind, what = _CONSTANTS.get(value) or _constant(value)
    if kind == _STRING:
        return _string_candidates(what, s)
    if kind == _NUMBER:
        return _number_candidates(what, role, s)
    return sorted({span for w in _CONCEPT_WORDS.get(what, (what,)) for span in s.form.get(w, ())})
