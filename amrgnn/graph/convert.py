"""From one :class:`~amrgnn.graph.io.AMR` to flat id arrays: nodes, relations, alignments and the
word-level token graph.

Node order: the graph's instances in PENMAN order, then one node per attribute (constant) in order.
Relations are PENMAN's canonical triples ``(source, role, target)``.

The token graph follows the reference system's semantics:

* tokens aligned to the same concept are linked to each other with the INSTANCE relation;
* every AMR edge ``(s, r, t)`` links every token of ``s`` to every token of ``t`` with ``r``;
* an unaligned concept stands for the tokens of its nearest aligned descendants in the PENMAN tree
  (surface direction, so ``(p / person :ARG0-of (h / have-org-role-91 :ARG2 (m / minister)))``
  gives ``person`` and ``have-org-role-91`` the token of ``minister``).

Self-loops are dropped and each ``(i, j, r)`` is kept once; a token pair may carry several relations.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from penman.layout import Push
from torch import Tensor

from .io import AMR
from .vocab import AMRVocab, split_sense

__all__ = ["GraphArrays", "extract_arrays", "node_token_sets", "token_graph", "INSTANCE_ID"]

#: Relation id of the INSTANCE relation in every :class:`AMRVocab`.
INSTANCE_ID = 2


@dataclass
class GraphArrays:
    """Plain-list encoding of one AMR (``Nc`` concept+constant nodes, ``T`` word tokens)."""

    lemma: list[int]  # [Nc] concept lemma or constant id
    sense: list[int]  # [Nc] sense id (0 = none; always 0 for constants)
    is_constant: list[bool]  # [Nc]
    rel_src: list[int]  # [E] canonical AMR relations between nodes
    rel_dst: list[int]
    rel_type: list[int]
    align_tok: list[int]  # [A] token -> node alignments
    align_node: list[int]
    tok_src: list[int]  # [Et] word-level token graph
    tok_dst: list[int]
    tok_type: list[int]
    num_tokens: int
    top: int


def _split_triples(amr: AMR) -> tuple[list, list, list]:
    """``(instances, edges, attributes)`` of the graph in one pass over its triples."""
    triples = amr.graph.triples
    variables = {src for src, role, _ in triples if role == ":instance"}
    instances, edges, attributes = [], [], []
    for t in triples:
        if t[1] == ":instance":
            instances.append(t)
        elif t[2] in variables:
            edges.append(t)
        else:
            attributes.append(t)
    return instances, edges, attributes


def _surface_children(amr: AMR, edges: list, attributes: list, var_index: dict[str, int]) -> list[list[int]]:
    """Children of every node in the PENMAN tree (inverted ``-of`` edges point back up)."""
    n_inst = len(var_index)
    children: list[list[int]] = [[] for _ in range(n_inst + len(attributes))]
    epidata = amr.graph.epidata
    for e in edges:
        s, t = var_index[e[0]], var_index[e[2]]
        inverted = any(isinstance(epi, Push) and epi.variable == e[0] for epi in epidata.get(e, ()))
        if inverted:
            children[t].append(s)
        else:
            children[s].append(t)
    for j, a in enumerate(attributes):
        children[var_index[a[0]]].append(n_inst + j)
    return children


def _token_sets(amr: AMR, instances: list, edges: list, attributes: list, var_index: dict[str, int]) -> list[tuple[int, ...]]:
    aligned: list[tuple[int, ...]] = [amr.alignments.get(inst[0], ()) for inst in instances]
    aligned += [amr.constant_alignments.get(a, ()) for a in attributes]
    if not any(aligned):
        return aligned
    children = _surface_children(amr, edges, attributes, var_index)
    memo: dict[int, tuple[int, ...]] = {}

    def tokens_of(i: int, path: frozenset[int]) -> tuple[int, ...]:
        if aligned[i]:
            return aligned[i]
        if i in memo:
            return memo[i]
        acc: set[int] = set()
        for c in children[i]:
            if c not in path:
                acc.update(tokens_of(c, path | {i}))
        memo[i] = tuple(sorted(acc))
        return memo[i]

    return [tokens_of(i, frozenset()) for i in range(len(aligned))]


def node_token_sets(amr: AMR) -> list[tuple[int, ...]]:
    """Tokens each node stands for: its aligned tokens, else those of its nearest aligned descendants.

    Returns one sorted tuple per node, in the node order of :func:`extract_arrays`.
    """
    instances, edges, attributes = _split_triples(amr)
    var_index = {inst[0]: i for i, inst in enumerate(instances)}
    return _token_sets(amr, instances, edges, attributes, var_index)


def extract_arrays(amr: AMR, vocab: AMRVocab) -> GraphArrays:
    """Encode one AMR as id lists (see the module docstring for the node order and token graph)."""
    instances, edges, attributes = _split_triples(amr)
    n_inst = len(instances)
    var_index = {inst[0]: i for i, inst in enumerate(instances)}

    lemma: list[int] = []
    sense: list[int] = []
    for inst in instances:
        lem, sen = split_sense(inst[2] if inst[2] is not None else "")
        lemma.append(vocab.concept_id(lem))
        sense.append(vocab.sense_id(sen))
    lemma.extend(vocab.concept_id(a[2]) for a in attributes)
    sense.extend([0] * len(attributes))
    is_constant = [False] * n_inst + [True] * len(attributes)

    rel_src = [var_index[e[0]] for e in edges] + [var_index[a[0]] for a in attributes]
    rel_dst = [var_index[e[2]] for e in edges] + list(range(n_inst, n_inst + len(attributes)))
    rel_type = [vocab.relation_id(t[1]) for t in edges] + [vocab.relation_id(a[1]) for a in attributes]

    align_tok: list[int] = []
    align_node: list[int] = []
    triples: set[tuple[int, int, int]] = set()
    if amr.alignments or amr.constant_alignments:
        for i, inst in enumerate(instances):
            for t in amr.alignments.get(inst[0], ()):
                align_tok.append(t)
                align_node.append(i)
        for j, a in enumerate(attributes):
            for t in amr.constant_alignments.get(a, ()):
                align_tok.append(t)
                align_node.append(n_inst + j)
        sets = _token_sets(amr, instances, edges, attributes, var_index)
        for s, t, r in zip(rel_src, rel_dst, rel_type, strict=True):
            for i in sets[s]:
                for j in sets[t]:
                    if i != j:
                        triples.add((i, j, r))
        for inst in instances:
            toks = amr.alignments.get(inst[0], ())
            if len(toks) > 1:
                for a_ in toks:
                    for b_ in toks:
                        if a_ != b_:
                            triples.add((a_, b_, INSTANCE_ID))
    ordered = sorted(triples)
    return GraphArrays(
        lemma=lemma,
        sense=sense,
        is_constant=is_constant,
        rel_src=rel_src,
        rel_dst=rel_dst,
        rel_type=rel_type,
        align_tok=align_tok,
        align_node=align_node,
        tok_src=[x[0] for x in ordered],
        tok_dst=[x[1] for x in ordered],
        tok_type=[x[2] for x in ordered],
        num_tokens=len(amr.tokens),
        top=var_index.get(amr.graph.top, 0),
    )


def token_graph(amr: AMR, vocab: AMRVocab) -> tuple[Tensor, Tensor]:
    """The word-level token graph of one AMR.

    Returns:
        ``edge_index`` ``[2, E]`` (token -> token, sorted) and ``edge_type`` ``[E]`` relation ids.
    """
    arr = extract_arrays(amr, vocab)
    edge_index = torch.tensor([arr.tok_src, arr.tok_dst], dtype=torch.long).view(2, -1)
    return edge_index, torch.tensor(arr.tok_type, dtype=torch.long)
