"""A fast rule-based aligner for AMR graphs that come without token alignments.

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
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import lru_cache

import penman
from penman.layout import Pop, Push

from .io import AMR

__all__ = ["align", "lemmas", "lemmatize", "is_markup"]

Triple = tuple[str, str, str]

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
    for suffix, repl in _DERIVATIONS:
        if w.endswith(suffix) and n - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            out.extend(stem + r for r in repl)
            break
    # prefixes: negation (independent -> dependent) and counting (monoubiquitination)
    for prefix in _STRIP_PREFIXES:
        if w.startswith(prefix) and n - len(prefix) >= 5:
            out.append(w[len(prefix):])
            break
    return [x for x in out if len(x) >= 2]


_STRIP_PREFIXES = ("non", "un", "in", "im", "mono", "poly", "auto", "hyper", "hypo", "multi")


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

_NEGATIONS = ("not", "n't", "no", "never", "without", "non", "nor", "neither", "none", "cannot",
              "nothing", "nobody", "lack", "lacks", "lacking", "absence", "fail", "failed")
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


def _base(concept: str) -> str:
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
# one sentence


class _Sentence:
    """Token forms, lemmas and their position indexes, built once per sentence."""

    __slots__ = ("tokens", "low", "ok", "form", "lemma", "words")

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.low = [t.lower() for t in tokens]
        self.ok = [not is_markup(t) for t in tokens]
        self.form: dict[str, list[int]] = {}
        self.lemma: dict[str, list[int]] = {}
        self.words: list[int] = []  # positions of alphanumeric tokens (prefix fallback)
        for i, w in enumerate(self.low):
            if not self.ok[i]:
                continue
            self.form.setdefault(w, []).append(i)
            if w in _JOINERS or w in _PUNCT:
                continue
            if any(c.isalnum() for c in w):
                self.words.append(i)
                for lem in lemmas(w)[1:]:
                    lst = self.lemma.setdefault(lem, [])
                    if not lst or lst[-1] != i:
                        lst.append(i)

    def next_word(self, i: int, step: int = 1) -> int | None:
        """The next token position after ``i`` that is not a hyphen/slash joiner."""
        j = i + step
        while 0 <= j < len(self.low) and self.low[j] in _JOINERS:
            j += step
        return j if 0 <= j < len(self.low) else None

    def find(self, word: str, *, lemma: bool = True) -> list[int]:
        """Positions whose form, or (with ``lemma``) some lemma candidate, is ``word``."""
        hits = self.form.get(word, [])
        if lemma:
            extra = self.lemma.get(word)
            if extra:
                return sorted(set(hits).union(extra))
        return list(hits)

    def find_concat(self, target: str) -> list[tuple[int, ...]]:
        """Runs of tokens whose concatenation (separators dropped) is ``target``: B @-@ Raf."""
        out = []
        for i in self.words:
            acc = _norm(self.low[i])
            if not acc or not target.startswith(acc):
                continue
            span = [i]
            j: int | None = i
            while len(acc) < len(target):
                j = self.next_word(j)
                if j is None or not self.ok[j]:
                    break
                w = _norm(self.low[j])
                if not w or not target.startswith(acc + w, 0):
                    break
                acc += w
                span.append(j)
            if acc == target and len(span) > 1:
                out.append(tuple(span))
        return out

    def find_sequence(
        self, parts: list[str], *, lemma: bool = True, prefix: bool = False
    ) -> list[tuple[int, ...]]:
        """Runs of tokens matching ``parts`` in order (joiners like ``@-@`` skipped between).

        With ``lemma`` the last part may match a lemma, with ``prefix`` a shared prefix.
        """
        out: list[tuple[int, ...]] = []
        if not parts:
            return out
        for start in self.find(parts[0], lemma=lemma and len(parts) == 1):
            span = [start]
            j: int | None = start
            for k, part in enumerate(parts[1:], 1):
                j = self.next_word(j)
                if j is None or not self.ok[j]:
                    break
                w = self.low[j]
                last = k == len(parts) - 1
                if w == part or (last and ((lemma and part in lemmas(w)) or (prefix and _prefix_ok(part, w)))):
                    span.append(j)
                else:
                    break
            if len(span) == len(parts):
                out.append(tuple(span))
        return out


# --------------------------------------------------------------------------------------------------
# candidates

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


def _norm(text: str) -> str:
    return _SEP_RE.sub("", text)


def _concept_candidates(concept: str, s: _Sentence) -> list[tuple[int, ...]]:
    """Candidate token spans for a concept, from the best matching rule only."""
    base = _base(concept)
    if base in _EXACT_ONLY or concept in _EXACT_ONLY:
        hits = s.form.get(base, [])
        if base == "person":
            hits = sorted(hits + s.form.get("people", []) + s.form.get("persons", []))
        return [(i,) for i in hits]
    # exact
    hits = s.form.get(base)
    if hits:
        return [(i,) for i in hits]
    # multi-word concepts written with hyphens: wild-type, in-vitro, cell-line, knock-down
    if "-" in base:
        parts = [p for p in base.split("-") if p]
        if len(parts) > 1:
            spans = s.find_sequence(parts)
            if spans:
                return spans
            joined = "".join(parts)
            hits = sorted(set(s.form.get(joined, [])) | set(s.lemma.get(joined, [])))
            if hits:
                return [(i,) for i in hits]
    # special words
    words = _CONCEPT_WORDS.get(concept) or _CONCEPT_WORDS.get(base)
    if words:
        spans = {(i,) for w in words if " " not in w for i in s.form.get(w, ())}
        for w in words:
            if " " in w:  # phrases: "in addition", "due to"
                spans.update(s.find_sequence(w.split(), lemma=False))
        if spans:
            return sorted(spans)
    # lemma
    keys = lemmas(base)
    hits = sorted({i for k in keys for i in s.lemma.get(k, ())} | {i for k in keys[1:] for i in s.form.get(k, ())})
    if hits:
        return [(i,) for i in hits]
    if "-" in base:
        return []
    # prefix
    best = 0
    out: list[int] = []
    for i in s.words:
        w = s.low[i]
        if w[:1] != base[:1] or not _prefix_ok(base, w):
            continue
        k = _prefix_len(base, w)
        if k > best:
            best, out = k, [i]
        elif k == best:
            out.append(i)
    return [(i,) for i in out]


def _string_candidates(value: str, s: _Sentence) -> list[tuple[int, ...]]:
    """Candidate spans for a quoted string constant (a name part): exact, pieces, lemma."""
    text = value.lower()
    hits = s.form.get(text)
    if hits:
        return [(i,) for i in hits]
    target = _norm(text)
    if target != text:  # B-Raf ~ B @-@ Raf, ERK1/2 ~ ERK1 @/@ 2
        spans = s.find_concat(target)
        if spans:
            return spans
        parts = [p for p in _SEP_RE.split(text) if p]
        spans = s.find_sequence(parts, lemma=True, prefix=True) if len(parts) > 1 else []
        if spans:  # N-terminus ~ N @-@ terminal
            return spans
    words = _STRING_WORDS.get(text)
    if words:
        hits = sorted({i for w in words for i in s.form.get(w, ())})
        if hits:
            return [(i,) for i in hits]
    if text.islower() and len(text) > 3:
        hits = s.lemma.get(text)
        if hits:
            return [(i,) for i in hits]
    parts = [p for p in _SEP_RE.split(text) if p]
    if len(parts) > 1 and len(parts[0]) >= 3:  # GSK-3beta -> GSK
        hits = s.form.get(parts[0])
        if hits:
            return [(i,) for i in hits]
    return []


def _number_candidates(value: str, role: str, s: _Sentence) -> list[tuple[int, ...]]:
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
        hits = sorted({i for w in words for i in s.form.get(w, ())})
    if not hits and _NUMBER_RE.match(text):
        # numbers glued to letters: 32P
        n = len(text)
        for i in s.words:
            w = s.low[i]
            if len(w) > n and w.startswith(text) and w[n].isalpha():
                hits.append(i)
    return [(i,) for i in hits]


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


class _Layout:
    """One pass over a graph's triples: instances, attributes, edges and the PENMAN tree."""

    __slots__ = ("instances", "attributes", "edges", "inverted", "children")

    def __init__(self, g: penman.Graph) -> None:
        triples = g.triples
        self.instances: dict[str, str | None] = {t[0]: t[2] for t in triples if t[1] == ":instance"}
        self.attributes: list[Triple] = []
        self.edges: list[Triple] = []
        self.inverted: set[Triple] = set()  # edges written inverted (:ARG0-of)
        self.children: dict[str, list[str]] = {}  # tree children, in the written orientation
        stack = [g.top]
        for t in triples:
            src, role, tgt = t
            ctx = stack[-1] if stack else None
            is_edge = role != ":instance" and tgt in self.instances
            if role != ":instance":
                (self.edges if is_edge else self.attributes).append(t)
            pushed = None
            for epi in g.epidata.get(t, ()):
                if isinstance(epi, Push):
                    pushed = epi.variable
            if is_edge:
                if pushed is not None:
                    if pushed == src:
                        self.inverted.add(t)
                        self.children.setdefault(tgt, []).append(src)
                    else:
                        self.children.setdefault(src, []).append(tgt)
                elif ctx == tgt and ctx != src:
                    self.inverted.add(t)
            if pushed is not None:
                stack.append(pushed)
            for epi in g.epidata.get(t, ()):
                if isinstance(epi, Pop) and stack:
                    stack.pop()


def _nearest(cands: list[tuple[int, ...]], anchors: Iterable[int]) -> tuple[int, ...]:
    anchors = list(anchors)
    if not anchors:
        return cands[0]

    def dist(span: tuple[int, ...]) -> tuple[int, int]:
        return (min(abs(i - a) for i in span for a in anchors), span[0])

    return min(cands, key=dist)


def align(amr: AMR, *, overwrite: bool = False) -> AMR:
    """Return a copy of ``amr`` with rule-based token alignments filled in.

    Concepts, constants and roles that already have alignments keep them (and guide the
    disambiguation of the others) unless ``overwrite=True``, which discards all of them first.
    Tokens that are XML markup (``<i>``, ``</xref>@``) are never aligned.
    """
    g = amr.graph
    s = _Sentence(amr.tokens)
    if overwrite:
        alignments: dict[str, tuple[int, ...]] = {}
        const_al: dict[Triple, tuple[int, ...]] = {}
        role_al: dict[Triple, tuple[int, ...]] = {}
    else:
        alignments = dict(amr.alignments)
        const_al = dict(amr.constant_alignments)
        role_al = dict(amr.role_alignments)

    lay = _Layout(g)
    instances, attributes, edges = lay.instances, lay.attributes, lay.edges

    # neighbourhood of every item (variables and attribute triples)
    nbrs: dict[object, list[object]] = {v: [] for v in instances}
    for src, _, tgt in edges:
        if src in nbrs and tgt in nbrs:
            nbrs[src].append(tgt)
            nbrs[tgt].append(src)
    for t in attributes:
        nbrs.setdefault(t, []).append(t[0])
        if t[0] in nbrs:
            nbrs[t[0]].append(t)

    # candidates and labels of the items still to align
    cands: dict[object, list[tuple[int, ...]]] = {}
    label: dict[object, str] = {}
    for v, c in instances.items():
        if v in alignments or c is None:
            continue
        found = _concept_candidates(c, s)
        if found:
            cands[v] = found
            label[v] = c
    for t in attributes:
        if t in const_al:
            continue
        var, role, value = t
        if role in (":polarity", ":wiki"):
            continue
        if value.startswith('"'):
            inner = value[1:-1]
            found = (
                _number_candidates(inner, role, s) if _NUMBER_RE.match(inner) else _string_candidates(inner, s)
            )
        elif _NUMBER_RE.match(value):
            found = _number_candidates(value, role, s)
        else:
            words = _CONCEPT_WORDS.get(value.lower(), (value.lower(),))
            found = [(i,) for i in sorted({i for w in words for i in s.form.get(w, ())})]
        if found:
            cands[t] = found
            label[t] = value

    # "X et al.": (a / and :op1 (p / person :name ...) :op2 (p2 / person :mod (o / other)))
    et_al = [(i,) for i in s.form.get("et", ()) if i + 1 < len(s.low) and s.low[i + 1] in ("al.", "al")]
    if et_al:
        for src, role, tgt in edges:
            if role == ":mod" and instances.get(tgt) == "other" and instances.get(src) == "person":
                if tgt not in alignments:
                    cands[tgt] = [(span[0] + 1,) for span in et_al]
                    label[tgt] = "other"
                for a, r, b in edges:
                    if b == src and r.startswith(":op") and instances.get(a) == "and" and a not in alignments:
                        cands[a] = et_al
                        label[a] = "and"

    def store(item: object, span: tuple[int, ...]) -> None:
        if isinstance(item, tuple):
            const_al[item] = span
        else:
            alignments[item] = span

    def aligned(item: object) -> tuple[int, ...]:
        if isinstance(item, tuple):
            return const_al.get(item, ())
        return alignments.get(item, ())

    used: set[int] = set()
    used_by: dict[tuple[int, ...], set[str]] = {}  # span -> labels aligned to it
    for item, span in [*alignments.items(), *const_al.items()]:
        used.update(span)
        lab = instances.get(item) if isinstance(item, str) else item[2]
        used_by.setdefault(span, set()).add(lab or "")

    def anchors(item: object) -> list[int]:
        seen = {item}
        frontier = [item]
        for _ in range(3):
            nxt = []
            for x in frontier:
                for y in nbrs.get(x, ()):
                    if y not in seen:
                        seen.add(y)
                        nxt.append(y)
            found = [i for y in nxt for i in aligned(y)]
            if found:
                return found
            frontier = nxt
        return []

    def assign(item: object, anchor: list[int]) -> None:
        # never give one span to two items of the same label (two "and", one token)
        found = cands[item]
        if label[item] in _NO_SHARE:
            found = [span for span in found if label[item] not in used_by.get(span, ())]
        if not found:
            return
        fresh = [span for span in found if not used.intersection(span)]
        span = _nearest(fresh or found, anchor)
        store(item, span)
        used.update(span)
        used_by.setdefault(span, set()).add(label[item])

    # pass 1: unambiguous items; pass 2: ambiguous ones, those with aligned neighbours first
    pending = []
    for item, found in cands.items():
        if len(found) == 1:
            assign(item, [])
        else:
            pending.append(item)
    while pending:
        # the item whose best candidate lies closest to its aligned neighbours goes first
        pick, anchor, best = pending[0], [], None
        for item in pending:
            a = anchors(item)
            if a:
                d = min(abs(i - x) for span in cands[item] for i in span for x in a)
                if best is None or d < best:
                    pick, anchor, best = item, a, d
        pending.remove(pick)
        assign(pick, anchor)

    # shared tokens: heads of agent nouns (inhibitor), comparatives (higher), ordinals (second)
    for t in edges:
        src, role, tgt = t
        if t in lay.inverted and role.startswith(":ARG") and tgt not in alignments and src in alignments:
            head = _base(instances.get(tgt) or "")
            span = alignments[src]
            w = s.low[span[0]]
            if head in _AGENT_HEADS and len(span) == 1 and (
                w.endswith(_AGENT_SUFFIXES)
                or w.startswith("onco")
                or (head in ("thing", "molecular-physical-entity") and not w.endswith(_NOT_NOUN_SUFFIXES))
            ):
                alignments[tgt] = span
        elif role == ":degree" and tgt not in alignments and src in alignments:
            suffixes = _COMPARATIVES.get(_base(instances.get(tgt) or ""))
            span = alignments[src]
            if suffixes and len(span) == 1 and s.low[span[0]].endswith(suffixes):
                alignments[tgt] = span
    for t in attributes:
        var, role, value = t
        if var in alignments:
            continue
        if role == ":value" and instances.get(var) == "ordinal-entity" and t in const_al:
            alignments[var] = const_al[t]

    # counting prefixes: (u / ubiquitinate-01 :quant 1) ~ monoubiquitination
    for t in attributes:
        var, role, value = t
        if t in const_al or var not in alignments or not _NUMBER_RE.match(value):
            continue
        words = _MULTIPLIERS.get(int(float(value)), ()) if float(value).is_integer() else ()
        for i in alignments[var]:
            if any(s.low[i].startswith(w) and len(s.low[i]) > len(w) + 3 for w in words if len(w) <= 4):
                const_al[t] = (i,)
                break

    # polarity: the concept's own negated token (unclear), else a negation word near it
    for t in attributes:
        var, role, value = t
        if role != ":polarity" or value != "-" or t in const_al:
            continue
        own = alignments.get(var, ())
        base = _base(instances.get(var) or "")
        prefixed = [
            (i,) for i in own
            if s.low[i].startswith(_NEG_PREFIXES) and not base.startswith(s.low[i][:2])
        ]
        words = sorted({i for w in _NEGATIONS for i in s.form.get(w, ())})
        found = prefixed or [(i,) for i in words]
        if found:
            const_al[t] = _nearest(found, own or anchors(t))

    _align_roles(lay, s, alignments, const_al, role_al)
    return dataclasses.replace(
        amr, alignments=alignments, constant_alignments=const_al, role_alignments=role_al
    )


def _align_roles(
    lay: _Layout,
    s: _Sentence,
    alignments: dict[str, tuple[int, ...]],
    const_al: dict[Triple, tuple[int, ...]],
    role_al: dict[Triple, tuple[int, ...]],
) -> None:
    """Fill ``role_al`` in place: shared tokens and role words (prepositions) near a target."""
    attributes, edges, inverted, children = lay.attributes, lay.edges, lay.inverted, lay.children
    # attributes: :polarity and :mode share their constant's token
    for t in attributes:
        if t in const_al and t not in role_al and (
            t[1] in (":polarity", ":mode") or const_al[t] == alignments.get(t[0])
        ):
            role_al[t] = const_al[t]
    consts: dict[str, list[int]] = {}  # variable -> tokens of its constants (and its name's)
    for (var, _, _), span in const_al.items():
        consts.setdefault(var, []).extend(span)
    for src, role, tgt in edges:
        if role == ":name" and tgt in consts:
            consts.setdefault(src, []).extend(consts[tgt])

    def own(v: str) -> list[int]:
        return list(alignments.get(v, ())) or consts.get(v, [])

    memo: dict[str, set[int]] = {}

    def subtree(v: str) -> set[int]:
        if v in memo:
            return memo[v]
        out, stack, seen = set(own(v)), [v], {v}
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

    taken = {i for span in alignments.values() for i in span}
    taken.update(i for span in const_al.values() for i in span)
    for t in edges:
        if t in role_al:
            continue
        src, role, tgt = t
        a_src, a_tgt = own(src), own(tgt)
        if not a_src or not a_tgt:
            continue
        shared = set(alignments.get(src, ())) & set(alignments.get(tgt, ()))
        if shared:  # inhibitor ~ (m / molecular-physical-entity :ARG0-of (i / inhibit-01))
            role_al[t] = tuple(sorted(shared))
            continue
        words = _ROLE_WORDS.get(role, ())
        if role.startswith(":prep-"):
            words = (role[6:].replace("-", " "),)
        core = _CORE_ROLE_WORDS.get(role, ())
        after = _CORE_AFTER.get(role, ())
        if not words and not core:
            continue
        # walk left from the target over its subtree's tokens and determiners
        sub = set(a_tgt) if t in inverted else subtree(tgt)
        j = min(a_tgt) - 1
        steps = 0
        while j >= 0 and steps < 8 and (j in sub or s.low[j] in _SKIP_BEFORE):
            j -= 1
            steps += 1
        if j >= 0 and j not in taken and not min(a_src) <= j <= max(a_src):
            w = s.low[j]
            if w in words or (w in core and max(a_src) < j <= max(a_src) + 2):
                role_al[t] = (j,)
                continue
        # a role word right after the head, the target a few words further on ("show that ...")
        for j in (max(a_src) + 1, max(a_src) + 2):
            if j < min(a_tgt) <= j + 8 and s.low[j] in after and j not in taken:
                role_al[t] = (j,)
                break
