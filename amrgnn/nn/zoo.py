"""One interface over the multi-scale layer and its companions for ablations.

Every layer is called as ``layer(x, edge_index, edge_type, hops=None)``. The companions are PyG's
own layers (MixHop for adjacency powers, GCN, RGCN, GAT), wrapped only to share that signature.
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch_geometric.nn import GATConv, GCNConv, MixHopConv, RGCNConv

from ..graph.khop import KHop
from .multiscale import MultiScaleAggregation

__all__ = ["LAYER_KINDS", "GraphLayer", "build_layer"]

#: The layer kinds of :func:`build_layer`.
LAYER_KINDS = ("multiscale", "powers", "gcn", "rgcn", "gat")


class GraphLayer(torch.nn.Module):
    """A graph layer behind the shared ``(x, edge_index, edge_type, hops)`` signature.

    Args:
        kind: one of :data:`LAYER_KINDS`.
        in_channels, out_channels: feature sizes.
        num_scales: ``K`` for ``multiscale`` (exact distances 1..K) and ``powers``
            (MixHop over :math:`\\hat{A}^0..\\hat{A}^K`); ignored by the others.
        num_relations: relation ids (``multiscale`` and ``rgcn`` use them).
    """

    def __init__(self, kind: str, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> None:
        super().__init__()
        if kind not in LAYER_KINDS:
            raise ValueError(f"unknown layer kind {kind!r}; choose from {LAYER_KINDS}")
        if kind == "rgcn" and not num_relations:
            raise ValueError("rgcn needs num_relations")
        self.kind = kind
        self.post: torch.nn.Module | None = None
        if kind == "multiscale":
            self.conv: torch.nn.Module = MultiScaleAggregation(in_channels, out_channels, num_scales, num_relations)
        elif kind == "powers":
            self.conv = MixHopConv(in_channels, out_channels, powers=list(range(num_scales + 1)))
            self.post = torch.nn.Linear((num_scales + 1) * out_channels, out_channels)
        elif kind == "gcn":
            self.conv = GCNConv(in_channels, out_channels)
        elif kind == "rgcn":
            self.conv = RGCNConv(in_channels, out_channels, num_relations)
        else:
            self.conv = GATConv(in_channels, out_channels, heads=1)

    def reset_parameters(self) -> None:
        self.conv.reset_parameters()
        if self.post is not None:
            self.post.reset_parameters()

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor | None = None, hops: list[KHop] | None = None) -> Tensor:
        if self.kind == "multiscale":
            return self.conv(x, edge_index, edge_type, hops=hops)
        if self.kind == "rgcn":
            return self.conv(x, edge_index, edge_type)
        out = self.conv(x, edge_index)
        return self.post(out) if self.post is not None else out

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.conv!r})"


def build_layer(kind: str, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> GraphLayer:
    """A :class:`GraphLayer` of the given kind (see :data:`LAYER_KINDS`)."""
    return GraphLayer(kind, in_channels, out_channels, num_scales=num_scales, num_relations=num_relations)
