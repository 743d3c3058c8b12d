"""From one :class:`~amrgnn.graph.io.AMR` to flat id arrays: nodes, relations, alignments and the
word-level token graph.

Node order: the graph's instances in PENMAN order, then one node per attribute (constant) in order.
Relations are PENMAN's canonical triples ``(source, role, target)``.

The token graph follows the reference system's semantics:

* tokens aligned to the same concept are linked to each other with the INSTANCE relation;
* every AMR edge ``(s, r, t)`` links every token of ``s`` to every token of ``t`` with ``r``;
* an unaligned concept stands for the tokens of its nearest aligned descendants in the PENMAN tree
  (surface direction, so ``(p / person :ARG0-of (h / have-org-role-91 :ARG2 (m / minister)))``
  gives ``person`` and ``have-org-role-91`` the token of ``minister``; re-entrant references are
  not tree edges).

Self-loops are dropped and each ``(i, j, r)`` is kept once; a token pair may carry several relations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from penman.layout import Push
from torch import Tensor

from .io import AMR
from .projection import project_edges, unique_typed_edges
from .ragged import flat, lengths, long_tensor, ptr
from .vocab import INSTANCE_ID, AMRVocab

__all__ = ["GraphArrays", "extract_arrays", "node_token_sets", "token_edges", "token_graph", "token_graph_union", "INSTANCE_ID"]


@dataclass
class GraphArrays:
    """Plain-list encoding of one AMR (``Nc`` concept+constant nodes, ``T`` word tokens)."""

    lemma: list[int]  # [Nc] concept lemma or constant id
    sense: list[int]  # [Nc] sense id (0 = none; always 0 for constants)
    is_constant: list[bool]  # [Nc]
    rel_src: list[int]  # [E] canonical AMR relations between nodes
    rel_dst: list[int]
    rel_type: list[int]
    align_tok: list[int]  # [A] token -> node alignments, grouped by node in node order
    align_node: list[int]
    member_count: list[int]  # [Nc] how many tokens each node stands for (see node_token_sets)
    members: list[int]  # those tokens, node after node
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


def _tree_children(amr: AMR, edges: list, attributes: list, var_index: dict[str, int]) -> list[list[int]]:
    """Children of every node in the PENMAN tree.

    A tree edge is one that introduced its node in the PENMAN text (penman marks it with ``Push``);
    an inverted ``-of`` edge points back up, and re-entrant references are not tree edges. A graph
    built in memory has no layout: its edges are then read in their canonical direction.
    """
    n_inst = len(var_index)
    children: list[list[int]] = [[] for _ in range(n_inst + len(attributes))]
    epidata = amr.graph.epidata
    has_layout = False
    for e in edges:
        for epi in epidata.get(e, ()):
            if isinstance(epi, Push):
                has_layout = True
                if epi.variable == e[0]:  # inverted: the source is the child
                    children[var_index[e[2]]].append(var_index[e[0]])
                else:
                    children[var_index[e[0]]].append(var_index[e[2]])
                break
    if not has_layout:
        for e in edges:
            children[var_index[e[0]]].append(var_index[e[2]])
    for j, a in enumerate(attributes):
        children[var_index[a[0]]].append(n_inst + j)
    return children


def _token_sets(amr: AMR, instances: list, edges: list, attributes: list, var_index: dict[str, int]) -> list[tuple[int, ...]]:
    aligned: list[tuple[int, ...]] = [amr.alignments.get(inst[0], ()) for inst in instances]
    aligned += [amr.constant_alignments.get(a, ()) for a in attributes]
    if not any(aligned):
        return aligned
    children = _tree_children(amr, edges, attributes, var_index)
    memo: dict[int, tuple[int, ...]] = {}

    def tokens_of(i: int) -> tuple[int, ...]:
        if aligned[i]:
            return aligned[i]
        got = memo.get(i)
        if got is not None:
            return got
        memo[i] = ()  # guards against cycles (only possible in graphs without layout)
        acc: set[int] = set()
        for c in children[i]:
            acc.update(tokens_of(c))
        memo[i] = got = tuple(sorted(acc))
        return got

    return [tokens_of(i) for i in range(len(aligned))]


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
    ids = vocab.concept_sense_ids
    for inst in instances:
        lem, sen = ids(inst[2] if inst[2] is not None else "")
        lemma.append(lem)
        sense.append(sen)
    lemma.extend(vocab.concept_id(a[2]) for a in attributes)
    sense.extend([0] * len(attributes))
    is_constant = [False] * n_inst + [True] * len(attributes)

    rel_src = [var_index[e[0]] for e in edges] + [var_index[a[0]] for a in attributes]
    rel_dst = [var_index[e[2]] for e in edges] + list(range(n_inst, n_inst + len(attributes)))
    rel_type = [vocab.relation_id(t[1]) for t in edges] + [vocab.relation_id(a[1]) for a in attributes]

    align_tok: list[int] = []
    align_node: list[int] = []
    member_count: list[int] = []
    members: list[int] = []
    if amr.alignments or amr.constant_alignments:
        for i, inst in enumerate(instances):
            for t in amr.alignments.get(inst[0], ()):
                align_tok.append(t)
                align_node.append(i)
        for j, a in enumerate(attributes):
            for t in amr.constant_alignments.get(a, ()):
                align_tok.append(t)
                align_node.append(n_inst + j)
        for toks in _token_sets(amr, instances, edges, attributes, var_index):
            member_count.append(len(toks))
            members.extend(toks)
    else:
        member_count = [0] * len(lemma)
    return GraphArrays(
        lemma=lemma,
        sense=sense,
        is_constant=is_constant,
        rel_src=rel_src,
        rel_dst=rel_dst,
        rel_type=rel_type,
        align_tok=align_tok,
        align_node=align_node,
        member_count=member_count,
        members=members,
        num_tokens=len(amr.tokens),
        top=var_index.get(amr.graph.top, 0),
    )


def token_graph_union(arrs: Sequence[GraphArrays]) -> tuple[Tensor, Tensor, Tensor]:
    """The token graphs of several AMRs as one disjoint union, built in torch.

    Returns:
        ``edge_index`` ``[2, E]`` over the concatenated tokens (sorted), ``edge_type`` ``[E]`` and
        ``token_ptr`` ``[G + 1]`` (graph ``g`` owns tokens ``token_ptr[g]:token_ptr[g + 1]``).
    """
    n_nodes = lengths(a.lemma for a in arrs)
    tok_ptr = ptr(torch.tensor([a.num_tokens for a in arrs], dtype=torch.long))
    node_ptr = ptr(n_nodes)
    # Node-level edges with global node ids.
    n_rel = lengths(a.rel_src for a in arrs)
    rel_off = torch.repeat_interleave(node_ptr[:-1], n_rel)
    rel = torch.stack([flat(a.rel_src for a in arrs), flat(a.rel_dst for a in arrs)]) + rel_off
    rel_type = flat(a.rel_type for a in arrs)
    # What each node stands for (aligned tokens or those of its nearest aligned descendants).
    member_count = flat(a.member_count for a in arrs)
    n_members = lengths(a.members for a in arrs)
    members = flat(a.members for a in arrs) + torch.repeat_interleave(tok_ptr[:-1], n_members)
    ei, et = project_edges(rel, rel_type, ptr(member_count), members)
    # INSTANCE: the tokens aligned to one concept are linked to each other.
    n_align = lengths(a.align_tok for a in arrs)
    align_node = flat(a.align_node for a in arrs) + torch.repeat_interleave(node_ptr[:-1], n_align)
    align_tok = flat(a.align_tok for a in arrs) + torch.repeat_interleave(tok_ptr[:-1], n_align)
    is_const = flat((a.is_constant for a in arrs), torch.bool)
    align_count = torch.bincount(align_node, minlength=int(node_ptr[-1]))
    multi = torch.nonzero((align_count > 1) & ~is_const).view(-1)
    if multi.numel():
        loops = torch.stack([multi, multi])
        inst_ei, inst_et = project_edges(loops, torch.full_like(multi, INSTANCE_ID), ptr(align_count), align_tok)
        ei, et = torch.cat([ei, inst_ei], 1), torch.cat([et, inst_et])
    ei, et = unique_typed_edges(ei, et, max(int(tok_ptr[-1]), 1))
    return ei, et, tok_ptr


def token_edges(arr: GraphArrays) -> tuple[list[int], list[int], list[int]]:
    """The token graph of one AMR in plain Python: what :func:`token_graph_union` computes in torch
    for many graphs at once (for one graph, a few dozen edges, the torch calls cost far more).

    Returns:
        ``(src, dst, type)`` lists of the distinct ``(i, j, r)``, ``i != j``, sorted.
    """
    groups: list[list[int]] = []
    start = 0
    for c in arr.member_count:
        groups.append(arr.members[start:start + c])
        start += c
    edges: set[tuple[int, int, int]] = set()
    if start:
        for s, d, r in zip(arr.rel_src, arr.rel_dst, arr.rel_type, strict=True):
            edges.update((a, b, r) for a in groups[s] for b in groups[d] if a != b)
    aligned: dict[int, list[int]] = {}
    for t, node in zip(arr.align_tok, arr.align_node, strict=True):
        aligned.setdefault(node, []).append(t)
    for node, toks in aligned.items():
        if len(toks) > 1 and not arr.is_constant[node]:
            edges.update((a, b, INSTANCE_ID) for a in toks for b in toks if a != b)
    if not edges:
        return [], [], []
    src, dst, typ = zip(*sorted(edges), strict=True)
    return list(src), list(dst), list(typ)


def token_graph(amr: AMR, vocab: AMRVocab) -> tuple[Tensor, Tensor]:
    """The word-level token graph of one AMR.

    Returns:
        ``edge_index`` ``[2, E]`` (token -> token, sorted) and ``edge_type`` ``[E]`` relation ids.
    """
    src, dst, typ = token_edges(extract_arrays(amr, vocab))
    return long_tensor(src + dst).view(2, len(src)), long_tensor(typ)
