"""What the encoder derives from a batched token graph (:func:`amrgnn.data.batch_token_graphs`)
during a forward pass: the per-batch context shared by the fused layers and dense pair relations."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor
from torch_geometric.data import Data

from ..graph.khop import KHop

__all__ = ["GraphContext", "pair_relations"]


def pair_relations(graph: Data, batch_size: int, seq_len: int, num_relations: int, *, undirected: bool) -> Tensor:
    """Dense relation id of each token pair: ``r(i, j)`` for an edge ``i -> j``, else ``0``
    (``<none>``); with ``undirected`` the reverse of an edge gets ``num_relations + r``.

    Where parallel edges disagree the smallest id wins (as :func:`~amrgnn.graph.exact_k_hop_typed`).

    Returns:
        ``[B, L, L]`` LongTensor.
    """
    src, dst = graph.edge_index
    typ = graph.edge_type
    if undirected:
        src, dst = torch.cat([src, dst]), torch.cat([dst, src])
        typ = torch.cat([typ, typ + num_relations])
    keep = src != dst
    src, dst, typ = src[keep], dst[keep], typ[keep]
    n = batch_size * seq_len
    flat = torch.full((n * seq_len,), torch.iinfo(torch.long).max, dtype=torch.long, device=src.device)
    # node u = b * L + i, v = b * L + j  ->  flat index (b * L + i) * L + j
    flat.scatter_reduce_(0, src * seq_len + dst % seq_len, typ, reduce="amin", include_self=True)
    flat[flat == torch.iinfo(torch.long).max] = 0
    return flat.view(batch_size, seq_len, seq_len)


@dataclass
class GraphContext:
    """What the fused layers of one forward pass need from the token graph.

    Attributes:
        batch_size: ``B``.
        seq_len: ``L``.
        hops: exact-k-hop pairs over the ``B * L`` flattened positions (multi-scale modes).
        states: ``[B, L, G]`` graph states shared by the fused layers (``graph_state_input="embeddings"``).
        relation_table: ``[R', G]`` relation embeddings (``graph_attention="relation"``).
        pair_relations: ``[B, L, L]`` relation id per token pair (``graph_attention="relation"``).
    """

    batch_size: int
    seq_len: int
    hops: list[KHop] | None = None
    states: Tensor | None = None
    relation_table: Tensor | None = None
    pair_relations: Tensor | None = None
