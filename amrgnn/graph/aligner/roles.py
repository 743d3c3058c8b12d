"""Roles: the token shared by both ends of an edge, or a role word (preposition) next to its target."""

from __future__ import annotations

from typing import NamedTuple

from .items import Span, Triple
from .layout import _Layout
from .sentence import _Sentence
from .tokens import _remember
from .words import _CORE_AFTER, _CORE_ROLE_WORDS, _ROLE_VOCAB, _ROLE_WORDS, _SKIP_BEFORE


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
