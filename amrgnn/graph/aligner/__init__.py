"""A fast rule-based aligner for AMR graphs that come without token alignments.

:func:`align` links the concepts, constants and some roles of an :class:`~amrgnn.graph.io.AMR` to
its tokens, following the conventions of the ISI automatic alignments (``~e.N``):

* concepts: exact match, multi-word concepts (``wild-type`` ~ ``wild @-@ type``), special words
  (pronouns, ``possible-01`` ~ *can*, ``amr-unknown`` ~ *what*, ...), lemma match (inflections
  from lemminflect, derivations from our own rules: :func:`lemmas`), then a shared-prefix match
  (``govern`` ~ ``government``); generic heads share the token of their ``:ARGn-of`` predicate
  (``inhibitor``);
* constants: name strings (``"B-Raf"`` ~ ``B @-@ Raf``), numbers (digits, words, ordinals),
  ``:polarity -`` (*not*, *no*, ``un-``/``in-`` words);
* roles: the token shared by both ends, or a role word (preposition) next to the target.

Repeated words go to an unused token first, then to the one nearest to the tokens of aligned graph
neighbours. XML markup tokens (``<i>``) are never aligned. ``benchmarks/align.py`` scores the rules
against the ISI alignments of a held-out part of the Bio AMR dev set.

One module per stage, in the order they run:

========================  =====================================================================
:mod:`.lemmas`            lemma candidates of a word (lemminflect + derivation rules)
:mod:`.words`, :mod:`.bio`  word tables (general; Bio-only)
:mod:`.tokens`            per-process token cache (form, kind, lemmas)
:mod:`.sentence`          one sentence's position indexes
:mod:`.candidates`        candidate spans of a concept or constant
:mod:`.layout`            one graph's PENMAN layout and neighbourhoods
:mod:`.assign`            :func:`align`: concepts and constants
:mod:`.roles`             roles
========================  =====================================================================

Names with a leading underscore are private to this package (shared between its stages).

Speed matters (the aligner runs on every graph the pipeline prepares): what depends only on a token,
a concept, a constant or a role is computed once per process and cached (bounded caches); per
sentence, one pass over the tokens builds the position indexes; per graph, one pass over the
triples reads the PENMAN layout, and the rarer work (graph neighbourhoods, subtrees) is done on
demand.
"""

from .assign import align
from .lemmas import lemmas, lemmatize
from .words import is_markup

__all__ = ["align", "is_markup", "lemmas", "lemmatize"]
