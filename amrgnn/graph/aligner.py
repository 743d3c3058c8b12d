"""A fast rule-based aligner for AMR graphs that come without token alignments.

(Over the project's ~400-line limit: lemmatiser, word tables, caches, candidate rules, layout and
roles still share this module; issue 13 splits it by stage and replaces the inflection rules with
lemminflect.)

:func:`align` links the concepts, constants and some roles of an :class:`~amrgnn.graph.io.AMR` to
its tokens, following the conventions of the ISI automatic alignments (``~e.N``):

* concepts: exact match, multi-word concepts (``wild-type`` ~ ``wild @-@ type``), special words
  (pronouns, ``possible-01`` ~ *can*, ``amr-unknown`` ~ *what*, ...), lemma match with a small
  English lemmatiser of our own (:func:`lemmas`), then a shared-prefix match (``govern`` ~
  ``government``); generic heads share the token of their ``:ARGn-of`` predicate (``inhibitor``);
* constants: name strings (``"B-Raf"`` ~ ``B @-@ Raf``), numbers (digits, words, ordinals),
  ``:polarity -`` (*not*, *no*, ``un-``/``in-`` words);
* roles: the token shared by both ends, or a role word (preposition) next to the target.

Repeated words go to an unused token first, then to the one nearest to the tokens of aligned graph
neighbours. XML markup tokens (``<i>``) are never aligned. ``benchmarks/align.py`` scores the rules
against the ISI alignments of the Bio AMR dev set.

Speed matters (the aligner runs on every graph the pipeline prepares): what depends only on a token,
a concept, a constant or a role is computed once per process and cached (bounded caches); per
sentence, one pass over the tokens builds the position indexes; per graph, one pass over the
triples reads the PENMAN layout, and the rarer work (graph neighbourhoods, subtrees) is done on
demand.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import NamedTuple

import penman
from penman.layout import Pop, Push

from .io import AMR

__all__ = ["align", "lemmas", "lemmatize", "is_markup"]

Triple = tuple[str, str, str]
Span = tuple[int, ...]  # token positions
Item = str | Triple  # what gets aligned: a variable (its concept) or an attribute (its constant)

# --------------------------------------------------------------------------------------------------
# lemmatiser

_IRREGULAR = {
    # be / have / do
    "am": "be", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be",
    "'s": "be", "'re": "be", "'m": "be",
    "has": "have", "had": "have", "having": "have", "'ve": "have",
    "does": "do", "did": "do", "done": "do", "doing": "do",
    # irregular verbs
    "arose": "arise", "arisen": "arise", "ate": "eat", "eaten": "eat", "became": "become",
    "began": "begin", "begun": "begin", "bound": "bind", "broke": "break", "broken": "break",
    "brought": "bring", "built": "build", "bought": "buy", "came": "come", "caught": "catch",
    "chose": "choose", "chosen": "choose", "dealt": "deal", "drew": "draw", "drawn": "draw",
    "drove": "drive", "driven": "drive", "fed": "feed", "fell": "fall", "fallen": "fall",
    "felt": "feel", "fought": "fight", "found": "find", "forgot": "forget", "forgotten": "forget",
    "gave": "give", "given": "give", "went": "go", "gone": "go", "got": "get", "gotten": "get",
    "grew": "grow", "grown": "grow", "held": "hold", "hid": "hide", "hidden": "hide",
    "kept": "keep", "knew": "know", "known": "know", "laid": "lay", "lain": "lie", "led": "lead",
    "left": "leave", "lost": "lose", "made": "make", "meant": "mean", "met": "meet",
    "overcame": "overcome", "paid": "pay", "ran": "run", "rose": "rise", "risen": "rise",
    "said": "say", "saw": "see", "seen": "see", "sought": "seek", "sold": "sell", "sent": "send",
    "shown": "show", "shook": "shake", "spoke": "speak", "spoken": "speak", "spent": "spend",
    "stood": "stand", "struck": "strike", "took": "take", "taken": "take", "taught": "teach",
    "thought": "think", "threw": "throw", "thrown": "throw", "told": "tell",
    "underwent": "undergo", "undergone": "undergo", "understood": "understand", "won": "win",
    "wore": "wear", "worn": "wear", "wrote": "write", "written": "write", "withdrew": "withdraw",
    # irregular nouns
    "men": "man", "women": "woman", "children": "child", "people": "person", "mice": "mouse",
    "feet": "foot", "teeth": "tooth", "data": "datum", "criteria": "criterion",
    "phenomena": "phenomenon", "nuclei": "nucleus", "stimuli": "stimulus", "loci": "locus",
    "foci": "focus", "media": "medium", "indices": "index", "matrices": "matrix",
    "analyses": "analysis", "hypotheses": "hypothesis", "syntheses": "synthesis",
    # adjectives and derived nouns
    "better": "good", "best": "good", "worse": "bad", "worst": "bad", "less": "little",
    "least": "little", "further": "far", "farther": "far", "ability": "able", "death": "die",
    "dead": "die", "growth": "grow", "loss": "lose", "knowledge": "know", "failure": "fail",
    "effect": "affect", "effects": "affect", "similar": "resemble", "similarly": "resemble",
    "unable": "able", "inability": "able", "strength": "strong", "length": "long",
    "width": "wide", "height": "high", "depth": "deep", "proof": "prove", "choice": "choose",
    "belief": "believe", "response": "respond", "responses": "respond", "entry": "enter",
}

_VOWELS = frozenset("aeiou")


def _stem_variants(stem: str) -> list[str]:
    """The stem, its ``e``-restored form and, after a doubled consonant, the undoubled one."""
    out = [stem, stem + "e"]
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS and stem[-1] not in "ls":
        out.insert(0, stem[:-1])
    return out


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
    ("or", ("", "e")),
    ("ant", ("ate", "")),
    ("ent", ("",)),
    ("ive", ("e", "")),
    ("ous", ("",)),
)


def _one_step(w: str) -> list[str]:
    out: list[str] = []
    if w in _IRREGULAR:
        out.append(_IRREGULAR[w])
    n = len(w)
    # inflections
    if n > 4 and w.endswith("ies"):
        out.append(w[:-3] + "y")
    elif n > 4 and w.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        out.append(w[:-2])
    elif n > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")):
        out.append(w[:-1])
    if n > 4 and w.endswith("ied"):
        out.append(w[:-3] + "y")
    elif n >= 4 and w.endswith("ed"):
        out.extend(_stem_variants(w[:-2]))
    if n >= 5 and w.endswith("ing"):
        out.extend(_stem_variants(w[:-3]))
    if n > 4 and w.endswith("est"):
        out.extend(_stem_variants(w[:-3]))
        if w.endswith("iest"):
            out.append(w[:-4] + "y")
    elif n > 4 and w.endswith("er"):
        out.extend(_stem_variants(w[:-2]))
        out.append(w[:-1])  # promoter -> promote
        if w.endswith("ier"):
            out.append(w[:-3] + "y")
    # derivations: the first suffix of _DERIVATIONS that leaves a stem of three letters
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


#: suffix -> (its rank in _DERIVATIONS, replacements); the lengths of the suffixes
_DERIVATION_OF = {suffix: (rank, repl) for rank, (suffix, repl) in enumerate(_DERIVATIONS)}
_DERIVATION_LENGTHS = sorted({len(suffix) for suffix in _DERIVATION_OF}, reverse=True)
#: none is the beginning of another, so a word starts with one of them at most
_STRIP_PREFIXES = frozenset({"non", "un", "in", "im", "mono", "poly", "auto", "hyper", "hypo", "multi"})
_PREFIX_LENGTHS = sorted({len(prefix) for prefix in _STRIP_PREFIXES})


@lru_cache(maxsize=65536)
def lemmas(word: str) -> tuple[str, ...]:
    """Candidate lemmas of ``word`` (lower-cased), the word itself first.

    Two rounds of rules: inflections (``-s``, ``-es``, ``-ies``, ``-ed``, ``-ing``, ``-er``,
    ``-est``, doubled consonants), derivations (``-ly``, ``-ation``, ``-ment``, ``-ity``, ``-al``,
    ``-or``, ...) and a small table of irregular forms. Over-generation is harmless: a candidate
    only matters if some concept equals it.
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


def _restore_e(stem: str) -> str:
    """Best guess at the verb behind an ``-ed``/``-ing`` stem: undouble, or add back an ``e``."""
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS and stem[-2:] not in ("ss", "ll"):
        return stem[:-1]  # stopped -> stop, controlled -> control
    if len(stem) > 4 and stem[-2:] == "ll":
        return stem[:-1]
    if stem.endswith(("iz", "yz", "ys", "bl", "c", "g", "s", "v", "u")) and stem[-2:] not in ("ss", "ng"):
        return stem + "e"  # induced -> induce, used -> use, involved -> involve
    if stem.endswith(("at", "ar", "ur", "ir", "id", "ak", "ik", "ok")) and stem[-3:-1] not in (
        "ea", "oa", "ai", "oi", "ee", "oo", "ou"
    ):
        return stem + "e"  # activated -> activate, compared -> compare, making -> make
    if stem.endswith("in") and len(stem) > 4 and stem[-3] not in _VOWELS:
        return stem + "e"  # determined -> determine (but obtained -> obtain)
    return stem


def lemmatize(word: str) -> str:
    """One best-guess lemma of ``word`` (lower-cased): irregular forms, plurals, ``-ed``, ``-ing``.

    Derivations are left alone (``activation`` stays); :func:`lemmas` lists those candidates.
    """
    w = word.lower()
    n = len(w)
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if n > 4 and w.endswith(("ies", "ied")):
        return w[:-3] + "y"
    if n > 4 and w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if n > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")):
        return w[:-1]
    if n >= 4 and w.endswith("ed") and w[-3] not in "e":
        return _restore_e(w[:-2])
    if n >= 4 and w.endswith("eed"):
        return w[:-1] if w not in ("need", "seed", "feed", "speed", "breed", "bleed", "proceed", "succeed", "exceed") else w
    if n >= 5 and w.endswith("ing"):
        return _restore_e(w[:-3])
    return w


# --------------------------------------------------------------------------------------------------
# tables

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

#: concept (sense stripped) -> words it may align to, besides exact and lemma matches.
_CONCEPT_WORDS: dict[str, tuple[str, ...]] = {
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
              "causes", "reason", "consequently", "result", "oncogenic", "oncogene", "oncogenes",
              "oncogenically", "tumorigenic"),
    "this": ("this", "these"),
    "that": ("that", "those"),
    "figure": ("fig", "fig.", "figs", "figs.", "figure", "figures"),
    "table": ("table", "tab", "tab.", "tables"),
    "percentage-entity": ("%", "percent"),
    "other": ("other", "others", "al.", "al"),
    "resemble": ("similar", "similarly", "like", "resembles", "resemble", "resembling", "same"),
    "capable": ("able", "ability", "abilities", "capable", "capacity", "capability", "unable"),
    "include": ("include", "includes", "including", "included", "among"),
    "include-91": ("include", "includes", "including", "included", "among"),
    "more": ("more",),
    "most": ("most",),
    "have-03": ("have", "has", "had", "having"),
    "cell-line": ("cells", "cell"),
    "protein-segment": ("site", "sites"),
    "macro-molecular-complex": ("complex", "complexes"),
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
    "wild-type": ("wt", "wild-type", "wildtype"),
    "counter": ("anti", "against"),
    "oppose": ("against", "anti"),
    "approximately": ("~", "approximately", "about", "around", "roughly", "nearly"),
    "exemplify": ("example", "e.g.", "instance", "such"),
    "likely": ("likely", "probably", "unlikely"),
    "need": ("need", "needs", "necessary", "required", "requires"),
    "think": ("think", "thought", "putative", "putatively", "believe"),
    "phosphorus": ("32p",),
    "before": ("before", "prior", "previously", "earlier"),
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


_AMINO_ACIDS = {
    "alanine": "ala", "arginine": "arg", "asparagine": "asn", "aspartate": "asp",
    "aspartic": "asp", "cysteine": "cys", "glutamate": "glu", "glutamine": "gln", "glycine": "gly",
    "isoleucine": "ile", "leucine": "leu", "lysine": "lys",
    "methionine": "met", "phenylalanine": "phe", "proline": "pro", "serine": "ser",
    "threonine": "thr", "tryptophan": "trp", "tyrosine": "tyr", "valine": "val",
}

#: quoted constants -> tokens they may align to, besides their own spelling.
_STRING_WORDS: dict[str, tuple[str, ...]] = {
    "cancer": ("oncogenic", "oncogene", "oncogenes", "tumorigenic", "oncogenicity"),
    "mammalia": ("mammalian", "mammals", "mammal"),
    **{k: (v,) for k, v in _AMINO_ACIDS.items()},
}

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


# --------------------------------------------------------------------------------------------------
# per-process caches: what depends only on a token, a concept, a constant or a role

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


# --------------------------------------------------------------------------------------------------
# one sentence


class _Sentence:
    """Token forms, lemmas and their position indexes, built once per sentence.

    The indexes hold one-token spans ``(i,)``, ready to be candidates: never change their lists.
    """

    __slots__ = ("low", "markup", "form", "lemma", "words", "role_words", "_initials")

    def __init__(self, tokens: list[str]) -> None:
        self.low: list[str]  # lower-cased tokens
        self.markup: set[int] = set()  # positions of XML markup tokens, never aligned
        self.form: dict[str, list[Span]] = {}  # lower-cased form -> spans (markup left out)
        self.lemma: dict[str, list[Span]] = {}  # lemma candidate (not the form itself) -> spans
        self.words: list[int] = []  # positions of alphanumeric tokens (prefix fallback)
        self.role_words: list[int] = []  # positions of the words in _ROLE_VOCAB
        self._initials: dict[str, list[int]] | None = None
        infos = list(map(_TOKENS.get, tokens))
        if None in infos:
            infos = [info or _token(token) for info, token in zip(infos, tokens, strict=True)]
        self.low = list(map(_FORM, infos))
        form, lemma, words = self.form, self.lemma, self.words
        markup, word, role_word = _MARKUP, _WORD, _ROLE_WORD
        for i, (w, kind, lems) in enumerate(infos):
            if kind == markup:
                self.markup.add(i)
                continue
            span = (i,)
            hits = form.get(w)
            if hits is None:
                form[w] = [span]
            else:
                hits.append(span)
            if kind < word:
                continue
            words.append(i)
            if kind == role_word:
                self.role_words.append(i)
            if lems:
                for lem in lems:  # distinct candidates: no position twice
                    hits = lemma.get(lem)
                    if hits is None:
                        lemma[lem] = [span]
                    else:
                        hits.append(span)

    def starting_with(self, letter: str) -> list[int]:
        """Positions of the alphanumeric tokens that start with ``letter``; ``""``: with a symbol."""
        if self._initials is None:
            self._initials = {}
            for i in self.words:
                c = self.low[i][0]
                self._initials.setdefault(c if c.isalnum() else "", []).append(i)
        return self._initials.get(letter, [])

    def next_word(self, i: int) -> int | None:
        """The next token position after ``i`` that is not a hyphen/slash joiner."""
        low = self.low
        j = i + 1
        while j < len(low) and low[j] in _JOINERS:
            j += 1
        return j if j < len(low) else None

    def find_concat(self, target: str) -> list[Span]:
        """Runs of tokens whose concatenation (separators dropped) is ``target``: B @-@ Raf."""
        out = []
        low = self.low
        # the run starts with target[0], or with a separator dropped (then not with a letter)
        starts = self.starting_with("")
        if target[:1].isalnum() and self.starting_with(target[0]):
            starts = sorted(self.starting_with(target[0]) + starts)
        for i in starts:
            acc = _norm(low[i])
            if not acc or not target.startswith(acc):
                continue
            span = [i]
            j: int | None = i
            while len(acc) < len(target):
                j = self.next_word(j)
                if j is None or j in self.markup:
                    break
                w = _norm(low[j])
                if not w or not target.startswith(w, len(acc)):
                    break
                acc += w
                span.append(j)
            if acc == target and len(span) > 1:
                out.append(tuple(span))
        return out

    def find_sequence(
        self, parts: tuple[str, ...], *, lemma: bool = True, prefix: bool = False
    ) -> list[Span]:
        """Runs of tokens matching ``parts`` (two or more) in order, joiners like ``@-@`` skipped.

        With ``lemma`` the last part may match a lemma, with ``prefix`` a shared prefix.
        """
        out: list[Span] = []
        last = len(parts) - 1
        for (start,) in self.form.get(parts[0], ()):
            span = [start]
            j: int | None = start
            for k in range(1, last + 1):
                j = self.next_word(j)
                if j is None or j in self.markup:
                    break
                w, part = self.low[j], parts[k]
                if w == part or (
                    k == last and ((lemma and part in lemmas(w)) or (prefix and _prefix_ok(part, w)))
                ):
                    span.append(j)
                else:
                    break
            if len(span) == len(parts):
                out.append(tuple(span))
        return out


# --------------------------------------------------------------------------------------------------
# candidates


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
        spans = s.find_sequence(parts) if parts[0] in form else []
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


# --------------------------------------------------------------------------------------------------
# one graph


class _Layout:
    """A graph's instances, attributes and edges, and on demand its PENMAN tree and neighbours."""

    __slots__ = ("graph", "instances", "attributes", "edges", "names", "_tree", "_neighbours")

    def __init__(self, g: penman.Graph) -> None:
        triples = g.triples
        self.graph = g
        self.instances: dict[str, str | None] = {t[0]: t[2] for t in triples if t[1] == ":instance"}
        self.attributes: list[Triple] = []
        self.edges: list[Triple] = []
        self.names: list[Triple] = []  # :name edges
        self._tree: tuple[set[Triple], dict[str, list[str]]] | None = None
        self._neighbours: dict[Item, list[Item]] | None = None
        instances = self.instances
        for t in triples:
            role = t[1]
            if role == ":instance":
                continue
            if t[2] in instances:
                self.edges.append(t)
                if role == ":name":
                    self.names.append(t)
            else:
                self.attributes.append(t)

    def tree(self) -> tuple[set[Triple], dict[str, list[str]]]:
        """The edges written inverted (``:ARG0-of``) and the children of the nodes in the PENMAN
        tree (in the written orientation), from the layout markers: one pass, on first use."""
        if self._tree is None:
            g, instances = self.graph, self.instances
            epidata = g.epidata
            inverted: set[Triple] = set()
            children: dict[str, list[str]] = {}
            stack = [g.top]  # the node being written
            for t in g.triples:
                pushed, pops = None, 0
                epis = epidata.get(t)
                if not epis:
                    pass
                elif len(epis) == 1:  # the common case: one Push or one Pop
                    kind = epis[0].__class__
                    if kind is Push:
                        pushed = epis[0].variable
                    elif kind is Pop:
                        pops = 1
                else:  # several markers, alignments among them
                    kinds = list(map(type, epis))
                    pops = kinds.count(Pop)
                    if Push in kinds:  # the last one
                        pushed = epis[len(kinds) - 1 - kinds[::-1].index(Push)].variable
                src, role, tgt = t
                if role != ":instance" and tgt in instances:
                    if pushed is not None:
                        if pushed == src:
                            inverted.add(t)
                            children.setdefault(tgt, []).append(src)
                        else:
                            children.setdefault(src, []).append(tgt)
                    elif stack and stack[-1] == tgt and tgt != src:
                        inverted.add(t)
                if pushed is not None:
                    stack.append(pushed)
                if pops:
                    del stack[-pops:]
            self._tree = inverted, children
        return self._tree

    def adjacent(self, item: Item) -> list[Item]:
        """The graph neighbours of ``item``: from :meth:`neighbours` once built, else by a scan."""
        if self._neighbours is not None:
            return self._neighbours.get(item, [])
        if not isinstance(item, str):
            return [item[0]]
        out: list[Item] = []
        if item in self.instances:
            for src, _, tgt in self.edges:
                if src == item:
                    out.append(tgt)
                elif tgt == item and src in self.instances:
                    out.append(src)
            for t in self.attributes:
                if t[0] == item:
                    out.append(t)
        return out

    def neighbours(self) -> dict[Item, list[Item]]:
        """The graph neighbours of every item (variables and attribute triples), built once."""
        if self._neighbours is None:
            nbrs: dict[Item, list[Item]] = {}
            instances = self.instances
            for src, _, tgt in self.edges:
                if src in instances:
                    nbrs.setdefault(src, []).append(tgt)
                    nbrs.setdefault(tgt, []).append(src)
            for t in self.attributes:
                nbrs[t] = [t[0]]
                if t[0] in instances:
                    nbrs.setdefault(t[0], []).append(t)
            self._neighbours = nbrs
        return self._neighbours


def _rings(lay: _Layout, item: Item, spans: dict[Item, Span]) -> tuple[list[list[Item]], list[int]]:
    """The rings of items one, two, three steps away from ``item``, out to the first ring with
    aligned items, and the tokens of those (the anchors of ``item``)."""
    seen = {item}
    frontier = [item]
    rings = []
    for depth in range(3):
        if depth == 1:
            lay.neighbours()  # all the adjacency lists, for the wider rings
        ring: list[Item] = []
        found: list[int] = []
        for x in frontier:
            for y in lay.adjacent(x):
                if y not in seen:
                    seen.add(y)
                    ring.append(y)
                    if y in spans:
                        found += spans[y]
        if not ring:
            break
        rings.append(ring)
        if found:
            return rings, found
        frontier = ring
    return rings, []


def _anchors(rings: list[list[Item]], spans: dict[Item, Span]) -> list[int]:
    """The tokens of the aligned items of the first ring that has some."""
    for ring in rings:
        found: list[int] = []
        for y in ring:
            if y in spans:
                found += spans[y]
        if found:
            return found
    return []


def _distance(cands: list[Span], anchors: list[int]) -> int:
    """The distance from the candidate token closest to an anchor token to that anchor."""
    best = -1
    for span in cands:
        for i in span:
            for a in anchors:
                d = i - a if i > a else a - i
                if d < best or best < 0:
                    best = d
    return best


def _nearest(cands: list[Span], anchors: list[int]) -> Span:
    """The candidate closest to an anchor token (the leftmost one on ties), else the first one."""
    if not anchors or len(cands) == 1:
        return cands[0]
    best, best_key = cands[0], (-1, 0)
    for span in cands:
        key = (_distance((span,), anchors), span[0])
        if key < best_key or best_key[0] < 0:
            best, best_key = span, key
    return best


# --------------------------------------------------------------------------------------------------
# the aligner

#: generic heads that share the token of their ``:ARGn-of`` predicate (inhibitor, mutant, results).
_AGENT_HEADS = frozenset({"thing", "molecular-physical-entity", "small-molecule", "enzyme", "gene",
                          "protein", "person", "organism", "macro-molecular-complex"})
_AGENT_SUFFIXES = ("or", "ors", "er", "ers", "ant", "ants", "ion", "ions")
_NOT_NOUN_SUFFIXES = ("ed", "ing", "al", "ly", "ar", "ic", "ive", "ous", "ble")
_COMPARATIVES = {"more": ("er",), "most": ("est",), "less": ("er",), "least": ("est",)}
_SKIP_BEFORE = frozenset({"the", "a", "an", "this", "these", "those", "its", "their", "his", "her",
                          "our", "@-@", "@/@", "both", "all", "each", "such"})

#: labels never aligned twice to one token (one "and" in the text, two in the graph).
_NO_SHARE = frozenset({"and", "or", "protein", "cell-line"})


def align(amr: AMR, *, overwrite: bool = False) -> AMR:
    """Return a copy of ``amr`` with rule-based token alignments filled in.

    Concepts, constants and roles that already have alignments keep them (and guide the
    disambiguation of the others) unless ``overwrite=True``, which discards all of them first.
    Tokens that are XML markup (``<i>``, ``</xref>@``) are never aligned.
    """
    s = _Sentence(amr.tokens)
    lay = _Layout(amr.graph)
    alignments: dict[str, Span] = {} if overwrite else dict(amr.alignments)
    const_al: dict[Triple, Span] = {} if overwrite else dict(amr.constant_alignments)
    role_al: dict[Triple, Span] = {} if overwrite else dict(amr.role_alignments)
    _align_items(lay, s, alignments, const_al)
    _shared_tokens(lay, s, alignments)
    if lay.attributes:
        _constants(lay, s, alignments, const_al)
    _align_roles(lay, s, alignments, const_al, role_al)
    return _replace(amr, alignments=alignments, constant_alignments=const_al, role_alignments=role_al)


def _align_items(
    lay: _Layout, s: _Sentence, alignments: dict[str, Span], const_al: dict[Triple, Span]
) -> None:
    """Align the concepts and constants that have candidates and no alignment yet.

    Unambiguous items first, then the ambiguous ones (:func:`_resolve`). Items labelled like
    ``and`` (_NO_SHARE) never share a span with another one of the same label.
    """
    instances, form, concepts = lay.instances, s.form, _CONCEPTS
    no_share: dict[Span, set[str]] = {}  # span -> the _NO_SHARE labels on it
    for v, span in alignments.items():
        if instances.get(v) in _NO_SHARE:
            no_share.setdefault(span, set()).add(instances[v])
    for t, span in const_al.items():
        if t[2] in _NO_SHARE:
            no_share.setdefault(span, set()).add(t[2])
    ambiguous: dict[Item, list[Span]] = {}  # item -> its candidates, more than one
    labels: dict[Item, str] = {}  # ambiguous item -> its _NO_SHARE label

    def add(item: Item, found: list[Span], label: str, spans: dict) -> None:
        """An ambiguous item for later, else its only candidate (unless one of its label has it)."""
        if len(found) > 1:
            ambiguous[item] = found
            if label in _NO_SHARE:
                labels[item] = label
        elif label not in _NO_SHARE:
            spans[item] = found[0]
        elif label not in no_share.get(found[0], ()):
            no_share.setdefault(found[0], set()).add(label)
            spans[item] = found[0]

    et_al = _et_al(lay, s, alignments) if "et" in form else {}
    for v, c in instances.items():
        if c is None or v in alignments:
            continue
        info = concepts.get(c) or _concept(c)
        found = form.get(info.exact) or _concept_candidates(info, s)
        if not found:
            continue
        if len(found) == 1 and c not in _NO_SHARE and v not in et_al:
            alignments[v] = found[0]  # the common case
        else:
            add(v, et_al.pop(v, found), c, alignments)
    for t in lay.attributes:
        if t[1] != ":polarity" and t[1] != ":wiki" and t not in const_al:
            found = _constant_candidates(t[1], t[2], s)
            if found:
                add(t, found, t[2], const_al)
    for v, found in et_al.items():  # "et al." candidates of concepts without candidates of their own
        add(v, found, instances[v], alignments)
    if ambiguous:
        _resolve(lay, ambiguous, labels, no_share, alignments, const_al)


def _et_al(lay: _Layout, s: _Sentence, alignments: dict[str, Span]) -> dict[str, list[Span]]:
    """Candidates for "X et al.": (a / and :op1 (p / person ...) :op2 (p2 / person :mod (o / other)))."""
    low, instances, edges = s.low, lay.instances, lay.edges
    et_al = [(i,) for (i,) in s.form["et"] if i + 1 < len(low) and low[i + 1] in ("al.", "al")]
    out: dict[str, list[Span]] = {}
    if et_al:
        for src, role, tgt in edges:
            if role == ":mod" and instances.get(tgt) == "other" and instances.get(src) == "person":
                if tgt not in alignments:
                    out[tgt] = [(span[0] + 1,) for span in et_al]
                for a, r, b in edges:
                    if b == src and r.startswith(":op") and instances.get(a) == "and":
                        if a not in alignments:
                            out[a] = et_al
    return out


def _resolve(
    lay: _Layout,
    ambiguous: dict[Item, list[Span]],
    labels: dict[Item, str],
    no_share: dict[Span, set[str]],
    alignments: dict[str, Span],
    const_al: dict[Triple, Span],
) -> None:
    """Give each ambiguous item an unused candidate nearest to the tokens of its aligned graph
    neighbours, the item closest to its neighbours first."""
    spans: dict[Item, Span] = {**alignments, **const_al}
    used = set().union(*spans.values())
    pending = list(ambiguous)
    if len(pending) > 1:
        lay.neighbours()  # else the first ring of the only item is found by a scan
    rings: dict[Item, list[list[Item]]] = {}
    scores: dict[Item, tuple[list[int], int]] = {}  # item -> (anchor tokens, distance to them)
    for item in pending:
        rings[item], anchors = _rings(lay, item, spans)
        scores[item] = (anchors, _distance(ambiguous[item], anchors) if anchors else -1)
    while pending:
        pick, anchors, best = pending[0], [], -1
        for item in pending:
            a, d = scores[item]
            if a and (d < best or best < 0):
                pick, anchors, best = item, a, d
        pending.remove(pick)
        found = ambiguous[pick]
        label = labels.get(pick)
        if label:
            found = [span for span in found if label not in no_share.get(span, ())]
            if not found:
                continue
        fresh = [span for span in found if used.isdisjoint(span)]
        span = _nearest(fresh or found, anchors)
        spans[pick] = span
        if isinstance(pick, str):
            alignments[pick] = span
        else:
            const_al[pick] = span
        used.update(span)
        if label:
            no_share.setdefault(span, set()).add(label)
        # new anchors for the items with the new one in their rings (never further than before)
        for item in pending:
            for ring in rings[item]:
                if pick in ring:
                    anchors = _anchors(rings[item], spans)
                    scores[item] = (anchors, _distance(ambiguous[item], anchors))
                    break


def _shared_tokens(lay: _Layout, s: _Sentence, alignments: dict[str, Span]) -> None:
    """Heads of agent nouns (inhibitor), comparatives (higher): the token of a neighbour."""
    low, instances = s.low, lay.instances
    for t in lay.edges:
        src, role, tgt = t
        if tgt in alignments or src not in alignments:
            continue
        if role != ":degree" and not (role.startswith(":ARG") and t in lay.tree()[0]):
            continue  # neither a comparative nor an :ARGn-of
        span = alignments[src]
        if len(span) != 1:
            continue
        w = low[span[0]]
        head = _base(instances.get(tgt) or "")
        if role == ":degree":  # higher ~ (h / high-02 :degree (m / more))
            suffixes = _COMPARATIVES.get(head)
            if suffixes and w.endswith(suffixes):
                alignments[tgt] = span
        elif head in _AGENT_HEADS and (  # inhibitor ~ (t / thing :ARG0-of (i / inhibit-01))
            w.endswith(_AGENT_SUFFIXES)
            or w.startswith("onco")
            or (head in ("thing", "molecular-physical-entity") and not w.endswith(_NOT_NOUN_SUFFIXES))
        ):
            alignments[tgt] = span


def _constants(
    lay: _Layout, s: _Sentence, alignments: dict[str, Span], const_al: dict[Triple, Span]
) -> None:
    """Ordinals (second), counting prefixes (monoubiquitination) and ``:polarity -``."""
    low, instances, attributes = s.low, lay.instances, lay.attributes
    # ordinal-entity shares the token of its value
    for t in attributes:
        var = t[0]
        if t[1] == ":value" and var not in alignments and t in const_al:
            if instances.get(var) == "ordinal-entity":
                alignments[var] = const_al[t]
    # counting prefixes: (u / ubiquitinate-01 :quant 1) ~ monoubiquitination
    for t in attributes:
        var, role, value = t
        if t in const_al or var not in alignments or not _NUMBER_RE.match(value):
            continue
        words = _MULTIPLIERS.get(int(float(value)), ()) if float(value).is_integer() else ()
        for i in alignments[var]:
            if any(low[i].startswith(w) and len(low[i]) > len(w) + 3 for w in words if len(w) <= 4):
                const_al[t] = (i,)
                break
    # polarity: the concept's own negated token (unclear), else a negation word near it
    form = s.form
    for t in attributes:
        var, role, value = t
        if role != ":polarity" or value != "-" or t in const_al:
            continue
        own = alignments.get(var, ())
        found = []
        for i in own:
            w = low[i]
            if w.startswith(_NEG_PREFIXES) and not _base(instances.get(var) or "").startswith(w[:2]):
                found.append((i,))
        if not found:
            for w in form.keys() & _NEGATIONS:
                found += form[w]
            found.sort()
        if len(found) > 1:
            anchors = list(own) or _rings(lay, t, {**alignments, **const_al})[1]
            const_al[t] = _nearest(found, anchors)
        elif found:
            const_al[t] = found[0]


def _plain_dataclass(cls: type) -> bool:
    """Whether :func:`dataclasses.replace` on a ``cls`` instance amounts to copying its
    ``__dict__``: no ``__post_init__``, no ``__slots__``, no field left out of ``__init__``."""
    return (
        dataclasses.is_dataclass(cls)
        and not hasattr(cls, "__post_init__")
        and not hasattr(cls, "__slots__")
        and all(f.init for f in dataclasses.fields(cls))
        and not any(isinstance(v, cached_property) for v in vars(cls).values())
    )


_PLAIN_AMR = _plain_dataclass(AMR)


def _replace(amr: AMR, **changes: object) -> AMR:
    """``dataclasses.replace(amr, **changes)``, without calling ``__init__`` again when that
    amounts to a copy of ``__dict__`` (a few microseconds per graph)."""
    if not _PLAIN_AMR or type(amr) is not AMR:
        return dataclasses.replace(amr, **changes)
    new = object.__new__(AMR)
    new.__dict__ = {**amr.__dict__, **changes}
    return new


# --------------------------------------------------------------------------------------------------
# roles


class _Role(NamedTuple):
    """The role words of a role (see _ROLE_WORDS, _CORE_ROLE_WORDS and _CORE_AFTER)."""

    words: frozenset[str]  # right before the target
    core: frozenset[str]  # right before the target, just after the head
    after: frozenset[str]  # just after the head, the target further on
    common: bool  # all in _ROLE_VOCAB


_ROLES: dict[str, _Role | tuple[()]] = {}


def _role(role: str) -> _Role | tuple[()]:
    """The role words of ``role``, or ``()`` if it has none."""
    words = _ROLE_WORDS.get(role, ())
    if role.startswith(":prep-"):
        words = (role[6:].replace("-", " "),)
    core = _CORE_ROLE_WORDS.get(role, ())
    after = _CORE_AFTER.get(role, ())
    common = _ROLE_VOCAB.issuperset((*words, *core, *after))
    info = _Role(frozenset(words), frozenset(core), frozenset(after), common)
    return _remember(_ROLES, role, info if words or core else ())


def _align_roles(
    lay: _Layout,
    s: _Sentence,
    alignments: dict[str, Span],
    const_al: dict[Triple, Span],
    role_al: dict[Triple, Span],
) -> None:
    """Fill ``role_al`` in place: shared tokens and role words (prepositions) near a target."""
    consts: dict[str, list[int]] = {}  # variable -> tokens of its constants (and its name's)
    if const_al:
        # attributes: :polarity and :mode share their constant's token
        for t in lay.attributes:
            if t in const_al and t not in role_al and (
                t[1] in (":polarity", ":mode") or const_al[t] == alignments.get(t[0])
            ):
                role_al[t] = const_al[t]
        for (var, _, _), span in const_al.items():
            consts.setdefault(var, []).extend(span)
        for src, _, tgt in lay.names:
            if tgt in consts:
                consts.setdefault(src, []).extend(consts[tgt])
    memo: dict[str, set[int]] = {}

    def subtree(v: str) -> set[int]:
        """Tokens of ``v`` and of everything below it in the PENMAN tree."""
        if v in memo:
            return memo[v]
        children = lay.tree()[1]
        out, stack, seen = set(alignments.get(v) or consts.get(v) or ()), [v], {v}
        while stack:
            x = stack.pop()
            out.update(consts.get(x, ()))
            for c in children.get(x, ()):
                if c not in seen:
                    seen.add(c)
                    out.update(alignments.get(c, ()))
                    stack.append(c)
        memo[v] = out
        return out

    low = s.low
    taken = set().union(*alignments.values(), *const_al.values())
    # where a free role word (not aligned to a concept or constant) may serve: the target 9 tokens
    # after it at most (the walk left takes 8 steps), or the head 1 or 2 tokens before it
    tgt_near: set[int] = set()
    src_near: set[int] = set()
    for j in s.role_words:
        if j not in taken:
            tgt_near.update(range(j + 1, j + 10))
            src_near.update((j - 1, j - 2))
    for t in lay.edges:
        src, role, tgt = t
        al_src, al_tgt = alignments.get(src), alignments.get(tgt)
        if al_src and al_tgt and (
            al_src[0] in al_tgt if len(al_src) == 1 else not set(al_src).isdisjoint(al_tgt)
        ):
            # a shared token: inhibitor ~ (m / molecular-physical-entity :ARG0-of (i / inhibit-01))
            if t not in role_al:
                role_al[t] = tuple(sorted(set(al_src).intersection(al_tgt)))
            continue
        r = _ROLES.get(role)
        if r is None:
            r = _role(role)
        if not r:
            continue
        words, core, after, common = r
        if common and not tgt_near:
            continue
        a_src = al_src or consts.get(src)
        a_tgt = al_tgt or consts.get(tgt)
        if not a_src or not a_tgt:
            continue
        hi_src, lo_tgt = max(a_src), min(a_tgt)
        if common and lo_tgt not in tgt_near and hi_src not in src_near:
            continue
        # walk left from the target over determiners and its subtree's tokens, 8 steps at most
        sub = None
        j, stop = lo_tgt - 1, max(lo_tgt - 9, -1)
        while j > stop:
            if low[j] not in _SKIP_BEFORE:
                if j not in taken:  # the subtree's tokens are all taken
                    break
                if sub is None:
                    sub = set(a_tgt) if t in lay.tree()[0] else subtree(tgt)
                if j not in sub:
                    break
            j -= 1
        if j >= 0 and j not in taken and not min(a_src) <= j <= hi_src:
            w = low[j]
            if w in words or (w in core and hi_src < j <= hi_src + 2):
                if t not in role_al:
                    role_al[t] = (j,)
                continue
        # a role word right after the head, the target a few words further on ("show that ...")
        if after and hi_src + 1 < lo_tgt <= hi_src + 10:
            for j in (hi_src + 1, hi_src + 2):
                if j < lo_tgt <= j + 8 and low[j] in after and j not in taken:
                    if t not in role_al:
                        role_al[t] = (j,)
                    break
