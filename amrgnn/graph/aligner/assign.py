"""The aligner: :func:`align` assigns spans to a graph's concepts and constants (unambiguous ones
first, then the nearest to aligned neighbours) and then its roles (:mod:`.roles`)."""

from __future__ import annotations

import dataclasses
from functools import cached_property

from ..io import AMR
from .candidates import _CONCEPTS, _concept, _concept_candidates, _constant_candidates
from .items import Item, Span, Triple
from .layout import _anchors, _distance, _Layout, _nearest, _rings
from .roles import _align_roles
from .sentence import _Sentence
from .words import _MULTIPLIERS, _NEG_PREFIXES, _NEGATIONS, _NUMBER_RE, _base

#: generic heads that share the token of their ``:ARGn-of`` predicate (inhibitor, mutant, results).
_AGENT_HEADS = frozenset({"thing", "molecular-physical-entity", "small-molecule", "enzyme", "gene",
                          "protein", "person", "organism", "macro-molecular-complex"})
_AGENT_SUFFIXES = ("or", "ors", "er", "ers", "ant", "ants", "ion", "ions")
_NOT_NOUN_SUFFIXES = ("ed", "ing", "al", "ly", "ar", "ic", "ive", "ous", "ble")
_COMPARATIVES = {"more": ("er",), "most": ("est",), "less": ("er",), "least": ("est",)}

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
