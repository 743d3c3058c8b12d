"""Projecting edges between groups onto their members, vectorised in torch.

The same operation serves twice: AMR edges between concepts become edges between the tokens the
concepts stand for (the token graph), and word edges become edges between the sub-words of the
words (the sub-word graph).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["project_edges", "unique_typed_edges"]


def project_edges(edge_index: Tensor, edge_type: Tensor, member_ptr: Tensor, members: Tensor) -> tuple[Tensor, Tensor]:
    """Edge ``(s, t, r)`` between groups becomes ``(a, b, r)`` for every member ``a`` of ``s`` and ``b``
    of ``t``.

    Args:
        edge_index: ``[2, E]`` group-level edges.
        edge_type: ``[E]``.
        member_ptr: ``[G + 1]`` CSR pointer: the members of group ``g`` are
            ``members[member_ptr[g]:member_ptr[g + 1]]``.
        members: ``[M]`` member ids (a member may belong to several groups).

    Returns:
        ``edge_index`` ``[2, E']`` and ``edge_type`` ``[E']``, in edge order, not de-duplicated.
    """
    device = edge_index.device
    src, dst = edge_index[0], edge_index[1]
    count = member_ptr[1:] - member_ptr[:-1]
    cs, cd = count[src], count[dst]
    n_out = cs * cd
    total = int(n_out.sum()) if n_out.numel() else 0
    if total == 0:
        return torch.empty(2, 0, dtype=torch.long, device=device), edge_type.new_empty(0)
    rep = torch.repeat_interleave(torch.arange(src.numel(), device=device), n_out, output_size=total)
    within = torch.arange(total, device=device) - (torch.cumsum(n_out, 0) - n_out)[rep]
    cd_rep = cd[rep]
    a = members[member_ptr[src][rep] + torch.div(within, cd_rep, rounding_mode="floor")]
    b = members[member_ptr[dst][rep] + within % cd_rep]
    return torch.stack([a, b]), edge_type[rep]


def unique_typed_edges(edge_index: Tensor, edge_type: Tensor, num_nodes: int, *, drop_self_loops: bool = True) -> tuple[Tensor, Tensor]:
    """De-duplicate ``(a, b, r)`` triples, optionally drop ``a == b``; sorted by ``(a, b, r)``."""
    if drop_self_loops:
        keep = edge_index[0] != edge_index[1]
        edge_index, edge_type = edge_index[:, keep], edge_type[keep]
    if edge_type.numel() == 0:
        return edge_index.view(2, 0), edge_type
    num_types = int(edge_type.max()) + 1
    if num_nodes * num_nodes * num_types < 2**62:  # one int64 key per triple: a fast 1-D unique
        key = (edge_index[0] * num_nodes + edge_index[1]) * num_types + edge_type
        key = torch.unique(key)
        rest, t = torch.div(key, num_types, rounding_mode="floor"), key % num_types
        return torch.stack([torch.div(rest, num_nodes, rounding_mode="floor"), rest % num_nodes]), t
    triples = torch.unique(torch.cat([edge_index, edge_type.view(1, -1)]), dim=1)
    return triples[:2], triples[2]
