"""One sentence: token forms, lemmas and their position indexes, built once per sentence."""

from __future__ import annotations

from .items import Span
from .lemmas import lemmas
from .tokens import _FORM, _MARKUP, _ROLE_WORD, _TOKENS, _WORD, _token
from .words import _JOINERS, _norm, _prefix_ok


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

        With ``lemma`` the first and the last part may match a lemma (``went off`` ~ ``go-off``,
        ``cell lines`` ~ ``cell-line``), with ``prefix`` the last a shared prefix.
        """
        out: list[Span] = []
        last = len(parts) - 1
        starts = self.form.get(parts[0], [])
        if lemma and parts[0] in self.lemma:
            starts = sorted({*starts, *self.lemma[parts[0]]})
        for (start,) in starts:
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
