"""The aligner's word tables: special words of concepts and roles, negations, number words,
markup, and the string helpers they are matched with. Bio-only entries live in :mod:`.bio`."""

from __future__ import annotations

import re
from functools import lru_cache

from .bio import BIO_CONCEPT_WORDS, BIO_STRING_WORDS

_SENSE_RE = re.compile(r"-\d+$")
_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")
_JOINERS = frozenset({"@-@", "@/@", "@–@", "@:@", "@-", "-@", "@.@", "@,@"})
_PUNCT = frozenset(",.;:!?()[]{}\"'`-–—/")

_PRONOUNS = {
    "i": ("i", "me", "my", "mine", "myself"),
    "we": ("we", "us", "our", "ours", "ourselves"),
    "you": ("you", "your", "yours", "yourself", "yourselves"),
    "he": ("he", "him", "his", "himself"),
    "she": ("she", "her", "hers", "herself"),
    "they": ("they", "them", "their", "theirs", "themselves"),
    "it": ("it", "its", "itself"),
}

#: concept (sense stripped) -> words it may align to, besides exact and lemma matches
#: (general English; :data:`.bio.BIO_CONCEPT_WORDS` adds the biomedical ones below).
_GENERAL_CONCEPT_WORDS: dict[str, tuple[str, ...]] = {
    **_PRONOUNS,
    "amr-unknown": ("what", "who", "whom", "whose", "which", "how", "where", "when", "why", "whether"),
    "and": ("and", "et", "moreover", "furthermore", "additionally", "plus", "&", "in addition",
            "as well as"),
    "or": ("or", "either", "nor", "whether"),
    "possible": ("can", "could", "may", "might", "able", "possible", "possibly", "potentially",
                 "cannot", "ca", "unable", "possibility", "potential"),
    "obligate": ("must", "should", "have", "has", "had", "need", "needs", "required", "ought"),
    "contrast": ("but", "however", "whereas", "while", "contrast", "unlike", "although"),
    "have-concession": ("however", "although", "though", "despite", "yet", "nevertheless",
                        "nonetheless", "still", "even"),
    "cause": ("because", "due to", "since", "thus", "therefore", "hence", "so", "cause", "caused",
              "causes", "reason", "consequently", "result"),
    "this": ("this", "these"),
    "that": ("that", "those"),
    "percentage-entity": ("%", "percent"),
    "other": ("other", "others", "al.", "al"),
    "resemble": ("similar", "similarly", "like", "resembles", "resemble", "resembling", "same"),
    "capable": ("able", "ability", "abilities", "capable", "capacity", "capability", "unable"),
    "include": ("include", "includes", "including", "included", "among"),
    "include-91": ("include", "includes", "including", "included", "among"),
    "more": ("more",),
    "most": ("most",),
    "have-03": ("have", "has", "had", "having"),
    "slash": ("@/@", "/"),
    "instead-of-91": ("instead", "rather"),
    "mean": ("i.e.", "namely", "meaning", "means", "mean"),
    "multiple": ("multiple", "several", "many", "various"),
    "many": ("many", "numerous"),
    "interrogative": ("whether", "?"),
    "after": ("after", "following", "subsequently", "then", "later"),
    "hour": ("h", "hr", "hrs", "hours", "hour"),
    "minute": ("min", "mins", "minutes", "minute"),
    "second": ("s", "sec", "seconds"),
    "counter": ("anti", "against"),
    "oppose": ("against", "anti"),
    "approximately": ("~", "approximately", "about", "around", "roughly", "nearly"),
    "exemplify": ("example", "e.g.", "instance", "such"),
    "likely": ("likely", "probably", "unlikely"),
    "need": ("need", "needs", "necessary", "required", "requires"),
    "think": ("think", "thought", "putative", "putatively", "believe"),
    "before": ("before", "prior", "previously", "earlier"),
}
_CONCEPT_WORDS: dict[str, tuple[str, ...]] = {
    c: _GENERAL_CONCEPT_WORDS.get(c, ()) + BIO_CONCEPT_WORDS.get(c, ())
    for c in {**_GENERAL_CONCEPT_WORDS, **BIO_CONCEPT_WORDS}
}

#: concepts aligned only through an exact match of their own name.
_EXACT_ONLY = frozenset({"person", "thing", "name", "have-org-role-91", "have-rel-role-91",
                         "date-entity", "multi-sentence", "publication-91", "rate-entity-91"})

#: role -> words it may align to: the role word right before its target (or the target's modifiers).
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    ":location": ("in", "at", "on", "near", "within", "inside", "where"),
    ":time": ("when", "while", "before", "after", "during", "upon", "until", "once"),
    ":poss": ("'s", "of", "his", "her", "its", "their", "our", "my", "your"),
    ":purpose": ("for",),
    ":manner": ("by", "with", "in"),
    ":beneficiary": ("for",),
    ":instrument": ("with", "using"),
    ":topic": ("about", "for", "on", "regarding", "concerning"),
    ":condition": ("if", "unless", "provided"),
    ":source": ("from",),
    ":destination": ("to", "into"),
    ":compared-to": ("than", "compared"),
    ":concession": ("although", "though", "despite", "even"),
    ":example": ("such", "like", "including", "e.g."),
    ":consist-of": ("of",),
    ":accompanier": ("with",),
    ":duration": ("for", "during"),
    ":direction": ("to", "toward", "towards", "into"),
    ":path": ("through", "via", "along"),
    ":ARG0": ("by",),
    ":ARG2": ("with", "by"),
}
#: core roles -> words they align to only right after their head's token ("inhibition of X").
_CORE_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    ":ARG0": ("of", "by", "in"),
    ":ARG1": ("of", "that", "in", "with", "on", "for"),
    ":ARG2": ("to", "with", "of", "in", "from", "for", "by"),
    ":ARG3": ("in", "with", "to", "for", "by"),
    ":ARG4": ("to", "into"),
}
#: core roles -> words they align to right after their head, with the target further on.
_CORE_AFTER: dict[str, tuple[str, ...]] = {
    ":ARG0": ("by",),
    ":ARG1": ("of", "that", "on"),
    ":ARG2": ("of", "to", "from", "with", "for"),
}
#: the words of all the roles but :prep-X
_ROLE_VOCAB = frozenset(
    w for table in (_ROLE_WORDS, _CORE_ROLE_WORDS, _CORE_AFTER) for ws in table.values() for w in ws
)

_NEGATIONS = frozenset({"not", "n't", "no", "never", "without", "non", "nor", "neither", "none",
                        "cannot", "nothing", "nobody", "lack", "lacks", "lacking", "absence", "fail",
                        "failed"})
_NEG_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis")

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MULTIPLIERS = {1: ("single", "once", "mono"), 2: ("double", "twice", "both", "pair", "di", "bi"),
                3: ("triple", "thrice", "tri"), 4: ("quadruple", "tetra"), 12: ("dozen",),
                100: ("hundred",), 1000: ("thousand",), 10**6: ("million",), 10**9: ("billion",)}


def _number_words(value: str) -> tuple[str, ...]:
    """Word forms of a numeric constant: ``6`` -> six, 6th, sixth; ``60`` -> sixty."""
    try:
        f = float(value)
    except ValueError:
        return ()
    if f != int(f) or f < 0:
        return ()
    n = int(f)
    words: list[str] = []
    if n < 20:
        words.append(_UNITS[n])
    elif n < 100 and n % 10 == 0:
        words.append(_TENS[n // 10])
    if n < len(_ORDINALS):
        words.append(_ORDINALS[n])
    if n > 0:
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        words.append(f"{n}{suffix}")
    words.extend(_MULTIPLIERS.get(n, ()))
    return tuple(words)


def is_markup(token: str) -> bool:
    """True for XML tag pieces (``<i>``, ``</xref>@``, ``rid="F1">``): never aligned."""
    if len(token) < 2 or token in _JOINERS:
        return False
    if token[0] == "<" or token[:2] == "@<":
        return len(token) > 1 and (token.lstrip("@<")[:1].isalpha() or token.lstrip("@<")[:1] == "/")
    if token.endswith((">", ">@")):
        return "=" in token or "<" in token or token.startswith("/")
    return '="' in token



_SEP_RE = re.compile(r"[-/\s@]+")


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    """``text`` without separators (hyphens, slashes, spaces, ``@``)."""
    return _SEP_RE.sub("", text)


@lru_cache(maxsize=65536)
def _base(concept: str) -> str:
    """A concept without its sense number, lower-cased: ``Inhibit-01`` -> ``inhibit``."""
    return _SENSE_RE.sub("", concept).lower()


def _prefix_len(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _prefix_ok(a: str, b: str) -> bool:
    k = _prefix_len(a, b)
    return k >= 4 and k >= 0.6 * min(len(a), len(b)) and k >= 0.5 * max(len(a), len(b))

#: words skipped before a role word target (determiners, joiners)
_SKIP_BEFORE = frozenset({"the", "a", "an", "this", "these", "those", "its", "their", "his", "her",
                          "our", "@-@", "@/@", "both", "all", "each", "such"})

#: quoted constants -> tokens they may align to, besides their own spelling.
_STRING_WORDS: dict[str, tuple[str, ...]] = BIO_STRING_WORDS
