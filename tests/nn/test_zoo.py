"""The companion layers share one signature and are PyG's own layers."""

from __future__ import annotations

import pytest
import torch
from torch_geometric.nn import GATConv, GCNConv, MixHopConv, RGCNConv

from amrgnn.nn import LAYER_KINDS, MultiScaleAggregation, build_layer


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_shared_signature_and_shapes(kind):
    torch.manual_seed(0)
    layer = build_layer(kind, 6, 5, num_scales=3, num_relations=4)
    ei = torch.tensor([[0, 1, 2, 3], [1, 2, 3, 0]])
    et = torch.tensor([0, 1, 2, 3])
    out = layer(torch.randn(4, 6), ei, et)
    assert out.shape == (4, 5)
    out.sum().backward()
    expected = {"multiscale": MultiScaleAggregation, "powers": MixHopConv, "gcn": GCNConv, "rgcn": RGCNConv, "gat": GATConv}[kind]
    assert isinstance(layer.conv, expected)
    layer.reset_parameters()


def test_powers_are_mixhop_powers_0_to_k():
    layer = build_layer("powers", 4, 4, num_scales=3)
    assert layer.conv.powers == [0, 1, 2, 3]


def test_errors():
    with pytest.raises(ValueError, match="unknown graph layer"):
        build_layer("sage", 4, 4)
    with pytest.raises(ValueError, match="num_relations"):
        build_layer("rgcn", 4, 4)
