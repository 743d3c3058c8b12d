"""Lemma candidates for matching words to AMR concepts.

Inflection (``fled`` -> *flee*, ``sang`` -> *sing*, ``lying`` -> *lie*, ``cells`` -> *cell*) comes
from lemminflect's dictionary, with its suffix rules for words it does not know
(``phosphorylated`` -> *phosphorylate*). What no inflection library does is kept here: the
derivations AMR undoes (``phosphorylation`` -> *phosphorylate*, ``treatment`` -> *treat*,
``independent`` -> *depend*) and a few derived words with irregular stems (``death`` -> *die*).
"""

from __future__ import annotations

from functools import lru_cache

import lemminflect

__all__ = ["lemmas", "lemmatize"]

#: plurals lemminflect keeps as their own lemma
_PLURALS = {"people": "person"}
#: derived words whose stem no suffix rule recovers
_IRREGULAR = {
    **_PLURALS, "death": "die", "dead": "die", "growth": "grow", "loss": "lose",
    "knowledge": "know", "failure": "fail", "effect": "affect", "effects": "affect",
    "similar": "resemble", "similarly": "resemble", "ability": "able", "unable": "able",
    "inability": "able", "strength": "strong", "length": "long", "width": "wide", "height": "high",
    "depth": "deep", "proof": "prove", "choice": "choose", "belief": "believe", "response": "respond",
    "responses": "respond", "entry": "enter",
}

#: parts of speech whose lemmas are tried, in this order (AMR predicates are mostly verbs)
_UPOS = ("VERB", "NOUN", "ADJ", "ADV", "AUX")

# (suffix, replacements): nominalisations and derivations, longest suffix first.
_DERIVATIONS = (
    ("ication", ("y",)),
    ("ization", ("ize",)),
    ("isation", ("ise", "ize")),
    ("iption", ("ibe",)),
    ("uction", ("uce",)),
    ("ution", ("ute", "ve")),
    ("ition", ("", "e", "ite")),
    ("ation", ("ate", "e", "")),
    ("ssion", ("ss",)),
    ("sion", ("de", "se", "d")),
    ("ction", ("ct",)),
    ("tion", ("te", "t")),
    ("ment", ("",)),
    ("ivity", ("ive",)),
    ("ility", ("le", "il")),
    ("ity", ("", "e")),
    ("ysis", ("yze", "yse")),
    ("ance", ("ant", "", "e")),
    ("ence", ("ent", "", "e")),
    ("ancy", ("ant",)),
    ("ency", ("ent",)),
    ("ness", ("",)),
    ("ally", ("al", "")),
    ("ily", ("y",)),
    ("ly", ("",)),
    ("ional", ("ion",)),
    ("ial", ("",)),
    ("al", ("", "e")),
    ("ator", ("ate",)),
    ("er", ("e", "")),  # promoter -> promote, binder -> bind (agent nouns; comparatives are inflections)
    ("or", ("", "e")),
    ("ant", ("ate", "")),
    ("ent", ("",)),
    ("ive", ("e", "")),
    ("ous", ("",)),
)
#: suffix -> (its rank in _DERIVATIONS, replacements); the lengths of the suffixes
_DERIVATION_OF = {suffix: (rank, repl) for rank, (suffix, repl) in enumerate(_DERIVATIONS)}
_DERIVATION_LENGTHS = sorted({len(suffix) for suffix in _DERIVATION_OF}, reverse=True)
#: none is the beginning of another, so a word starts with one of them at most
_STRIP_PREFIXES = frozenset({"non", "un", "in", "im", "mono", "poly", "auto", "hyper", "hypo", "multi"})
_PREFIX_LENGTHS = sorted({len(prefix) for prefix in _STRIP_PREFIXES})


@lru_cache(maxsize=65536)
def _inflections(w: str) -> tuple[str, ...]:
    """lemminflect's lemmas of ``w`` over :data:`_UPOS` (dictionary first, its rules for unknown words)."""
    found = lemminflect.getAllLemmas(w)
    if not found:
        found = {**lemminflect.getAllLemmasOOV(w, "VERB"), **lemminflect.getAllLemmasOOV(w, "NOUN")}
    out: list[str] = []
    for upos in _UPOS:
        for lemma in found.get(upos, ()):
            lemma = lemma.lower()
            if lemma not in out:
                out.append(lemma)
    return tuple(out)


def _one_step(w: str) -> list[str]:
    out: list[str] = []
    if w in _IRREGULAR:
        out.append(_IRREGULAR[w])
    out.extend(x for x in _inflections(w) if x != w)
    # derivations: the first suffix of _DERIVATIONS that leaves a stem of three letters
    n = len(w)
    best, cut = None, 0
    for k in _DERIVATION_LENGTHS:
        if n - k >= 3:
            found = _DERIVATION_OF.get(w[-k:])
            if found is not None and (best is None or found[0] < best[0]):
                best, cut = found, k
    if best is not None:
        stem = w[:-cut]
        out.extend(stem + r for r in best[1])
    # prefixes: negation (independent -> dependent) and counting (monoubiquitination)
    for k in _PREFIX_LENGTHS:
        if n - k >= 5 and w[:k] in _STRIP_PREFIXES:
            out.append(w[k:])
            break
    return [x for x in out if len(x) >= 2]


@lru_cache(maxsize=65536)
def lemmas(word: str) -> tuple[str, ...]:
    """Candidate lemmas of ``word`` (lower-cased), the word itself first.

    Two rounds: inflections (lemminflect), derivations (``-ly``, ``-ation``, ``-ment``, ``-ity``,
    ``-al``, ``-or``, ...), negation and counting prefixes, and :data:`_IRREGULAR`. Over-generation
    is harmless: a candidate only matters if some concept equals it.
    """
    w = word.lower()
    out = [w]
    seen = {w}
    frontier = [w]
    for _ in range(2):
        nxt = []
        for x in frontier:
            for y in _one_step(x):
                if y not in seen:
                    seen.add(y)
                    out.append(y)
                    nxt.append(y)
        frontier = nxt
    return tuple(out)


def lemmatize(word: str) -> str:
    """One best-guess lemma of ``word`` (lower-cased): the first lemminflect lemma that differs from
    the word (verbs first, then nouns, adjectives, adverbs), else the word.

    Derivations are left alone (``activation`` stays); :func:`lemmas` lists those candidates.
    """
    w = word.lower()
    if w in _PLURALS:
        return _PLURALS[w]
    return next((x for x in _inflections(w) if x != w), w)
