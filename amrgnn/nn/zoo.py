"""One interface over the multi-scale layer and its companions for ablations.

Every layer is built as ``cls(in_channels, out_channels, *, num_scales, num_relations)`` and called
as ``layer(x, edge_index, edge_type=None, hops=None)``. The companions are PyG's own layers (MixHop
for adjacency powers, GCN, RGCN, GAT), wrapped only to share that signature. The kinds are
registered in :data:`amrgnn.nn.registry.LAYERS`.
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch_geometric.nn import GATConv, GCNConv, MixHopConv, RGCNConv

from ..graph.khop import KHop
from .multiscale import MultiScaleAggregation
from .registry import LAYERS

__all__ = ["LAYER_KINDS", "GATLayer", "GCNLayer", "GraphLayer", "MultiScaleLayer", "PowersLayer", "RGCNLayer", "build_layer"]

#: The registered layer kinds (see :data:`~amrgnn.nn.registry.LAYERS`).
LAYER_KINDS = LAYERS.names()


class GraphLayer(torch.nn.Module):
    """A graph layer behind the shared ``(x, edge_index, edge_type, hops)`` signature.

    Args:
        in_channels, out_channels: feature sizes.
        num_scales: ``K`` for layers with scales (ignored by the others).
        num_relations: relation ids (for relation-aware layers).
    """

    kind = ""

    def __init__(self, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> None:
        super().__init__()
        self.conv: torch.nn.Module

    def reset_parameters(self) -> None:
        self.conv.reset_parameters()

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor | None = None, hops: list[KHop] | None = None) -> Tensor:
        return self.conv(x, edge_index)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.conv!r})"


class MultiScaleLayer(GraphLayer):
    """:class:`~amrgnn.nn.MultiScaleAggregation` over exact distances ``1..num_scales``."""

    kind = "multiscale"

    def __init__(self, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> None:
        super().__init__(in_channels, out_channels)
        self.conv = MultiScaleAggregation(in_channels, out_channels, num_scales, num_relations)

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor | None = None, hops: list[KHop] | None = None) -> Tensor:
        return self.conv(x, edge_index, edge_type, hops=hops)


class PowersLayer(GraphLayer):
    r"""PyG's MixHop over :math:`\hat{A}^0..\hat{A}^K` (adjacency powers), projected back to
    ``out_channels``."""

    kind = "powers"

    def __init__(self, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> None:
        super().__init__(in_channels, out_channels)
        self.conv = MixHopConv(in_channels, out_channels, powers=list(range(num_scales + 1)))
        self.post = torch.nn.Linear((num_scales + 1) * out_channels, out_channels)

    def reset_parameters(self) -> None:
        self.conv.reset_parameters()
        self.post.reset_parameters()

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor | None = None, hops: list[KHop] | None = None) -> Tensor:
        return self.post(self.conv(x, edge_index))


class GCNLayer(GraphLayer):
    """PyG's GCNConv."""

    kind = "gcn"

    def __init__(self, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> None:
        super().__init__(in_channels, out_channels)
        self.conv = GCNConv(in_channels, out_channels)


class RGCNLayer(GraphLayer):
    """PyG's RGCNConv (needs ``num_relations``)."""

    kind = "rgcn"

    def __init__(self, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> None:
        super().__init__(in_channels, out_channels)
        if not num_relations:
            raise ValueError("rgcn needs num_relations")
        self.conv = RGCNConv(in_channels, out_channels, num_relations)

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor | None = None, hops: list[KHop] | None = None) -> Tensor:
        return self.conv(x, edge_index, edge_type)


class GATLayer(GraphLayer):
    """PyG's GATConv (one head)."""

    kind = "gat"

    def __init__(self, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> None:
        super().__init__(in_channels, out_channels)
        self.conv = GATConv(in_channels, out_channels, heads=1)


def build_layer(kind: str, in_channels: int, out_channels: int, *, num_scales: int = 1, num_relations: int | None = None) -> GraphLayer:
    """A layer of a registered kind (see :data:`LAYER_KINDS`)."""
    return LAYERS.get(kind)(in_channels, out_channels, num_scales=num_scales, num_relations=num_relations)
