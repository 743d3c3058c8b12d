"""Exact-distance ("disentangled") k-hop structure, vectorised in torch.

For k = 1..K we return the node pairs ``(u, v)`` whose shortest-path distance from ``u`` to ``v`` is
exactly ``k`` (as in MS-G3D's disentangled aggregation), not the support of ``A^k``. The sets come
from a breadth-first frontier expansion over a CSR edge list, run for all sources at once: the only
Python loop is over ``k``. Every operation is a torch op, so the same code runs on CUDA tensors.

A small graph on the CPU (one AMR: a few dozen edges) takes :func:`k_hop_lists` instead, the same
expansion per source over Python dicts: the ~100 torch calls of the vectorised version cost several
microseconds each, far more than the work itself. Both give identical results.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from .ragged import long_tensor

__all__ = ["KHop", "exact_k_hop", "exact_k_hop_typed", "k_hop_lists"]

#: Up to this many (directed) edges, a CPU graph goes through :func:`k_hop_lists` (measured crossover
#: on AMR token graphs: about 300 edges).
SMALL_GRAPH_EDGES = 256


class KHop(NamedTuple):
    """Pairs at exact distance ``k`` and the relation of the last edge of a shortest path.

    Shapes:
        edge_index: ``[2, E_k]`` (row 0: start ``u``, row 1: end ``v``), sorted by ``(u, v)``.
        edge_type: ``[E_k]``.
    """

    edge_index: Tensor
    edge_type: Tensor


def _in_sorted(sorted_keys: Tensor, keys: Tensor) -> Tensor:
    if sorted_keys.numel() == 0:
        return torch.zeros_like(keys, dtype=torch.bool)
    pos = torch.searchsorted(sorted_keys, keys).clamp_(max=sorted_keys.numel() - 1)
    return sorted_keys[pos] == keys


def _unique_min_type(keys: Tensor, types: Tensor) -> tuple[Tensor, Tensor]:
    """Distinct keys (sorted) and the smallest type seen with each."""
    uniq, inv = torch.unique(keys, sorted=True, return_inverse=True)
    best = torch.full((uniq.numel(),), torch.iinfo(types.dtype).max, dtype=types.dtype, device=types.device)
    best.scatter_reduce_(0, inv, types, reduce="amin", include_self=True)
    return uniq, best


def k_hop_lists(
    src: list[int], dst: list[int], typ: list[int], num_nodes: int, max_k: int, *, undirected: bool = False
) -> list[tuple[list[int], list[int], list[int]]]:
    """:func:`exact_k_hop_typed` on Python lists, for small graphs: ``(rows, cols, types)`` per
    ``k = 1..max_k``, sorted by ``(row, col)``, with the same semantics (self-loops ignored, the
    smallest relation id among the last edges of shortest paths)."""
    if undirected:
        src, dst, typ = src + dst, dst + src, typ + typ
    adj: list[dict[int, int]] = [{} for _ in range(num_nodes)]  # u -> {v: smallest type of u -> v}
    for s, d, r in zip(src, dst, typ, strict=True):
        if s != d:
            row = adj[s]
            if row.get(d, r) >= r:
                row[d] = r
    out: list[tuple[list[int], list[int], list[int]]] = [([], [], []) for _ in range(max_k)]
    edges = [list(row.items()) for row in adj]
    for u in range(num_nodes):
        frontier = adj[u]
        if not frontier:
            continue
        seen = set(frontier)
        seen.add(u)
        for k, (rows, cols, types) in enumerate(out, 1):
            order = sorted(frontier)
            rows.extend([u] * len(order))
            cols.extend(order)
            types.extend([frontier[v] for v in order])
            if k == max_k:
                break
            nxt: dict[int, int] = {}
            for w in order:
                for v, r in edges[w]:
                    if v not in seen and nxt.get(v, r) >= r:
                        nxt[v] = r
            if not nxt:
                break
            seen.update(nxt)
            frontier = nxt
    return out


def exact_k_hop_typed(
    edge_index: Tensor,
    edge_type: Tensor | None,
    num_nodes: int,
    max_k: int,
    *,
    undirected: bool = False,
) -> list[KHop]:
    """Pairs at exact shortest-path distance ``k = 1..max_k``, with last-edge relations.

    Args:
        edge_index: ``[2, E]`` directed edges ``source -> target`` (duplicates and self-loops allowed).
        edge_type: ``[E]`` relation ids, or ``None`` (all zero).
        num_nodes: number of nodes ``N``.
        max_k: largest distance ``K``.
        undirected: treat every edge as going both ways (the reversed edge keeps its relation).

    Returns:
        ``K`` :class:`KHop` tuples; element ``k - 1`` holds the pairs at distance ``k``. Where several
        shortest paths end in different relations, the smallest relation id is reported.
    """
    if max_k < 0:
        raise ValueError(f"max_k must be >= 0, got {max_k}")
    if (
        edge_index.device.type == "cpu"
        and edge_index.size(1) * (1 + undirected) <= SMALL_GRAPH_EDGES
        and not torch.compiler.is_compiling()
    ):
        return _small(edge_index, edge_type, int(num_nodes), max_k, undirected)
    device = edge_index.device
    if edge_type is None:
        edge_type = torch.zeros(edge_index.size(1), dtype=torch.long, device=device)
    src, dst = edge_index[0].long(), edge_index[1].long()
    typ = edge_type.long()
    if undirected:
        src, dst = torch.cat([src, dst]), torch.cat([dst, src])
        typ = torch.cat([typ, typ])
    n = int(num_nodes)
    if src.numel():
        lo, hi = int(torch.minimum(src.min(), dst.min())), int(torch.maximum(src.max(), dst.max()))
        _check_range(lo, hi, n)
    keep = src != dst
    src, dst, typ = src[keep], dst[keep], typ[keep]

    # Distance 1: distinct (u, v) pairs, smallest relation among parallel edges.
    keys, types = _unique_min_type(src * n + dst, typ)
    # CSR over the distinct 1-hop edges (sorted by source already, since keys are sorted).
    e_src, e_dst = keys // n, keys % n
    deg = torch.bincount(e_src, minlength=n)
    rowptr = torch.zeros(n + 1, dtype=torch.long, device=device)
    torch.cumsum(deg, 0, out=rowptr[1:])

    out = [KHop(torch.stack([e_src, e_dst]), types)]
    visited = torch.sort(torch.cat([keys, torch.arange(n, device=device) * (n + 1)])).values
    front_u, front_v = e_src, e_dst
    for _ in range(2, max_k + 1):
        cnt = deg[front_v]
        total = int(cnt.sum())
        if total == 0:
            empty = torch.empty(2, 0, dtype=torch.long, device=device)
            out.append(KHop(empty, torch.empty(0, dtype=torch.long, device=device)))
            front_u = front_v = empty[0]
            continue
        rep = torch.repeat_interleave(torch.arange(cnt.numel(), device=device), cnt, output_size=total)
        first = torch.cumsum(cnt, 0) - cnt  # position of each frontier pair's first expansion
        pos = rowptr[front_v][rep] + (torch.arange(total, device=device) - first[rep])
        new_keys = front_u[rep] * n + e_dst[pos]
        new_types = types[pos]
        fresh = ~_in_sorted(visited, new_keys)
        k_keys, k_types = _unique_min_type(new_keys[fresh], new_types[fresh])
        front_u, front_v = k_keys // n, k_keys % n
        out.append(KHop(torch.stack([front_u, front_v]), k_types))
        visited = torch.sort(torch.cat([visited, k_keys])).values
    return out[:max_k]


def exact_k_hop(edge_index: Tensor, num_nodes: int, max_k: int, undirected: bool = False) -> list[Tensor]:
    """Element ``k - 1`` is the ``[2, E_k]`` LongTensor of pairs ``(u, v)`` at exact distance ``k``.

    See :func:`exact_k_hop_typed` for the relation-aware version.
    """
    return [h.edge_index for h in exact_k_hop_typed(edge_index, None, num_nodes, max_k, undirected=undirected)]


def _small(edge_index: Tensor, edge_type: Tensor | None, n: int, max_k: int, undirected: bool) -> list[KHop]:
    src, dst = edge_index.long().tolist()
    if src:
        _check_range(min(min(src), min(dst)), max(max(src), max(dst)), n)
    typ = [0] * len(src) if edge_type is None else edge_type.long().tolist()
    return [
        KHop(long_tensor(rows + cols).view(2, len(rows)), long_tensor(types))
        for rows, cols, types in k_hop_lists(src, dst, typ, n, max_k, undirected=undirected)
    ]


def _check_range(lo: int, hi: int, n: int) -> None:
    if lo < 0 or hi >= n:
        raise ValueError(f"edge_index refers to node {lo if lo < 0 else hi}, outside 0..num_nodes-1 (num_nodes={n})")
