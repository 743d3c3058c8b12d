r"""Graph features of (trigger, candidate) pairs for the argument head, with the encoder left alone.

The graph attention changes every word's representation, the trigger's too; here the token graph
reaches the argument classifier only. For each pair the nearest words of the two spans in the graph
(the fewest hops, up to ``config.graph_num_scales``) give three learned vectors that are added to the
pair classifier's hidden layer: the hop distance, the direct edge between them (its relation and
direction: a trigger's ``:ARG0`` is its agent) and the relation of the last edge of a shortest path.
The tables start at zero, so an untrained model is the text-only one. This is how AMR-IE and AMPERE
hand the AMR path between a trigger and an entity to the argument decision (Zhang & Ji 2021; Hsu et
al. 2023), without a GNN.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.data import Data

from ..graph.khop import exact_k_hop_typed
from .configuration import AMRDebertaConfig
from .graph_inputs import pair_relations

__all__ = ["ArgumentGraphFeatures", "nearest_hops", "word_pair_hops"]


def word_pair_hops(graph: Data, word_index: Tensor, seq_len: int, max_k: int, num_relations: int) -> tuple[Tensor, Tensor, Tensor]:
    """Distance, last relation and direct relation between every pair of words (first sub-words).

    ``graph`` is a batch of :func:`~amrgnn.data.batch_token_graphs`; its ``hop1..hop{max_k}`` pairs
    are used where present (as the collator computed them), else computed here (undirected).

    Returns:
        ``dist`` ``[B, W, W]`` (``1..max_k``; ``0``: farther or unconnected), ``last`` ``[B, W, W]``
        (the relation id of a shortest path's last edge; ``0``: none) and ``direct`` ``[B, W, W]``
        (``r`` for an edge ``i -> j``, ``num_relations + r`` for ``j -> i``; ``0``: none).
    """
    b = word_index.size(0)
    n = b * seq_len
    big = torch.iinfo(torch.long).max
    key = torch.full((n * seq_len,), big, dtype=torch.long, device=word_index.device)
    if all(f"hop{k}_index" in graph for k in range(1, max_k + 1)):
        hops = [(graph[f"hop{k}_index"], graph[f"hop{k}_type"]) for k in range(1, max_k + 1)]
    else:
        hops = exact_k_hop_typed(graph.edge_index, graph.edge_type, n, max_k, undirected=True)
    for k, (ei, et) in enumerate(hops, 1):
        ei, et = ei.to(key.device), et.to(key.device).long()
        # the smallest k wins; within a k the smallest relation (as exact_k_hop_typed)
        key.scatter_reduce_(0, ei[0] * seq_len + ei[1] % seq_len, k * (num_relations + 1) + et, reduce="amin")
    hit = key != big
    dist = torch.where(hit, key // (num_relations + 1), 0).view(b, seq_len, seq_len)
    last = torch.where(hit, key % (num_relations + 1), 0).view(b, seq_len, seq_len)
    direct = pair_relations(graph, b, seq_len, num_relations, undirected=True).to(key.device)
    pos = word_index.clamp(min=0)
    rows = torch.arange(b, device=pos.device)[:, None, None]
    pick = (rows, pos[:, :, None], pos[:, None, :])
    return dist[pick], last[pick], direct[pick]


def nearest_hops(dist: Tensor, pairs: Tensor, max_k: int) -> tuple[Tensor, Tensor, Tensor]:
    """The nearest (trigger word, candidate word) of each pair: the fewest hops, first in reading order.

    Shapes:
        dist: ``[B, W, W]`` (``0``: unconnected); pairs: ``[P, 5]`` (batch, trigger start, end,
        candidate start, end; ends exclusive). Output: batch ``[P]``, trigger word ``[P]``, candidate
        word ``[P]``.
    """
    b, ts, te, cs, ce = pairs.unbind(1)
    tl, cl = int((te - ts).max()), int((ce - cs).max())
    ti = ts[:, None] + torch.arange(tl, device=pairs.device)  # [P, tl]
    ci = cs[:, None] + torch.arange(cl, device=pairs.device)  # [P, cl]
    inside = (ti < te[:, None])[:, :, None] & (ci < ce[:, None])[:, None, :]
    w = dist.size(1)
    d = dist[b[:, None, None], ti.clamp(max=w - 1)[:, :, None], ci.clamp(max=w - 1)[:, None, :]]
    d = torch.where(d > 0, d, max_k + 1).masked_fill(~inside, max_k + 2)  # unconnected after connected
    best = d.flatten(1).argmin(1)
    return b, ti.gather(1, (best // cl)[:, None]).squeeze(1), ci.gather(1, (best % cl)[:, None]).squeeze(1)


class ArgumentGraphFeatures(nn.Module):
    """Learned vectors of a pair's graph path, added to the argument classifier's hidden layer.

    Shapes:
        graph: a token-graph batch over ``[B, L]``; word_index: ``[B, W]``; pairs: ``[P, 5]``;
        output: ``[P, inner_size]``.
    """

    def __init__(self, config: AMRDebertaConfig, inner_size: int) -> None:
        super().__init__()
        self.max_k = config.graph_num_scales
        self.num_relations = config.graph_num_relations
        # tables held here (not as nn.Embedding children) so that the model's _init_weights zeroes them
        self.distance = nn.Parameter(torch.zeros(self.max_k + 1, inner_size))
        self.last_relation = nn.Parameter(torch.zeros(self.num_relations, inner_size))
        self.direct_relation = nn.Parameter(torch.zeros(2 * self.num_relations, inner_size))

    def reset_parameters(self) -> None:
        for table in (self.distance, self.last_relation, self.direct_relation):
            nn.init.zeros_(table)

    def word_hops(self, graph: Data, word_index: Tensor, seq_len: int) -> tuple[Tensor, Tensor, Tensor]:
        """:func:`word_pair_hops` of this batch (computed once, shared by all its pairs)."""
        return word_pair_hops(graph, word_index, seq_len, self.max_k, self.num_relations)

    def forward(self, hops: tuple[Tensor, Tensor, Tensor], pairs: Tensor) -> Tensor:
        dist, last, direct = hops
        b, t, c = nearest_hops(dist, pairs, self.max_k)
        return self.distance[dist[b, t, c]] + self.last_relation[last[b, t, c]] + self.direct_relation[direct[b, t, c]]
