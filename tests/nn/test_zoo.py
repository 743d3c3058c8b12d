"""The companion layers share one signature and are PyG's own layers: each wrapped layer computes
what the PyG layer itself computes with the same weights (GCN and RGCN also against their dense
formulas) on a small directed graph, is permutation equivariant, uses edge types exactly when it is
relation-aware; multiscale's second scale adds only exact 2-hop pairs; the registry lists and builds
every kind."""

from __future__ import annotations

from collections import deque

import pytest
import torch
from torch_geometric.nn import GATConv, GCNConv, MixHopConv, RGCNConv

from amrgnn.nn import LAYER_KINDS, LAYERS, GraphLayer, MultiScaleAggregation, build_layer

# A small directed graph: 0->1->2 with the shortcut 0->2 (0 is 1 hop from 2, not 2, though A^2 links
# them), 3->2, 2->4, 4->5, 1->5, 5->4. Nodes at exact in-distance 2: of 4, nodes 0, 1, 3 (via 2);
# of 5, nodes 2 (via 4) and 0 (via 1); nodes 1 and 2 have in-neighbours but none 2 hops away, 0 and
# 3 have no in-edge.
EDGES = torch.tensor([[0, 1, 0, 3, 2, 4, 1, 5], [1, 2, 2, 2, 4, 5, 5, 4]])
TYPES = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
N, F_IN, F_OUT, R = 6, 6, 5, 4
PYG = {"multiscale": MultiScaleAggregation, "powers": MixHopConv, "gcn": GCNConv, "rgcn": RGCNConv, "gat": GATConv}
RELATION_AWARE = {"multiscale", "rgcn"}


def _x(seed: int = 0) -> torch.Tensor:
    return torch.randn(N, F_IN, generator=torch.Generator().manual_seed(seed))


def _layer(kind: str, **kw) -> GraphLayer:
    torch.manual_seed(0)
    layer = build_layer(kind, F_IN, F_OUT, num_scales=kw.pop("num_scales", 3), num_relations=R, **kw)
    with torch.no_grad():  # PyG initialises some biases to zero; make every weight matter
        for p in layer.parameters():
            p.add_(0.1 * torch.randn_like(p))
    return layer.eval()


def _in_distances(edge_index: torch.Tensor, n: int) -> list[dict[int, int]]:
    """dist[i][j]: the length of a shortest directed path j -> i (breadth-first, by hand)."""
    out_nb: dict[int, list[int]] = {}
    for s, t in edge_index.t().tolist():
        out_nb.setdefault(s, []).append(t)
    dist: list[dict[int, int]] = [{} for _ in range(n)]
    for j in range(n):
        seen, queue = {j: 0}, deque([j])
        while queue:
            u = queue.popleft()
            for v in out_nb.get(u, []):
                if v not in seen:
                    seen[v] = seen[u] + 1
                    queue.append(v)
        for i, d in seen.items():
            if d:
                dist[i][j] = d
    return dist


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_shared_signature_and_shapes(kind):
    torch.manual_seed(0)
    layer = build_layer(kind, 6, 5, num_scales=3, num_relations=4)
    ei = torch.tensor([[0, 1, 2, 3], [1, 2, 3, 0]])
    et = torch.tensor([0, 1, 2, 3])
    out = layer(torch.randn(4, 6), ei, et)
    assert out.shape == (4, 5)
    out.sum().backward()
    assert isinstance(layer.conv, PYG[kind])
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in layer.parameters()), kind  # every weight is used
    layer.reset_parameters()


def test_registry_lists_and_builds_every_kind():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    kinds = {c.kind for c in subclasses(GraphLayer) if c.kind and c.__module__ == "amrgnn.nn.zoo"}
    assert set(LAYERS.names()) == kinds == set(PYG) and tuple(LAYER_KINDS) == LAYERS.names()
    for kind in LAYERS.names():
        layer = build_layer(kind, F_IN, F_OUT, num_scales=2, num_relations=R)
        assert type(layer) is LAYERS.get(kind) and layer.kind == kind and isinstance(layer.conv, PYG[kind])
        assert layer(_x(), EDGES, TYPES).shape == (N, F_OUT)


def _pyg_reference(kind: str, layer: GraphLayer, num_scales: int = 3):
    """PyG's (or the project's) layer built afresh with the wrapped layer's weights, called directly."""
    if kind == "gcn":
        conv = GCNConv(F_IN, F_OUT)
    elif kind == "gat":
        conv = GATConv(F_IN, F_OUT, heads=1)
    elif kind == "rgcn":
        conv = RGCNConv(F_IN, F_OUT, R)
    elif kind == "powers":
        conv = MixHopConv(F_IN, F_OUT, powers=list(range(num_scales + 1)))
    else:
        conv = MultiScaleAggregation(F_IN, F_OUT, num_scales, R)
    conv.load_state_dict(layer.conv.state_dict())  # strict: the same parameters, the same shapes
    conv.eval()
    if kind == "powers":
        post = torch.nn.Linear((num_scales + 1) * F_OUT, F_OUT)
        post.load_state_dict(layer.post.state_dict())
        return lambda x, ei, et: post(conv(x, ei))
    if kind in RELATION_AWARE:
        return lambda x, ei, et: conv(x, ei, et)
    return lambda x, ei, et: conv(x, ei)


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_equals_the_pyg_layer_with_the_same_weights(kind):
    layer = _layer(kind)
    ref = _pyg_reference(kind, layer)
    x = _x()
    with torch.no_grad():
        out = layer(x, EDGES, TYPES)
        assert torch.allclose(out, ref(x, EDGES, TYPES), atol=1e-6)
        # the graph's direction is kept: the reversed graph gives another output (and PyG's own for it)
        rev = EDGES.flip(0)
        assert not torch.allclose(out, layer(x, rev, TYPES), atol=1e-4)
        assert torch.allclose(layer(x, rev, TYPES), ref(x, rev, TYPES), atol=1e-6)


def test_gcn_is_the_normalised_adjacency_with_self_loops():
    # x' = D^-1/2 (A + I) D^-1/2 X W^T + b with A[i, j] = 1 for an edge j -> i, D its row sums
    layer = _layer("gcn")
    x = _x()
    a = torch.eye(N)
    a[EDGES[1], EDGES[0]] = 1.0
    d = a.sum(1).rsqrt()
    expected = (d[:, None] * a * d[None, :]) @ x @ layer.conv.lin.weight.t() + layer.conv.bias
    with torch.no_grad():
        assert torch.allclose(layer(x, EDGES), expected, atol=1e-5)


def test_rgcn_is_the_per_relation_mean_plus_root():
    # x'_i = x_i Root + b + sum_r mean_{j -r-> i} x_j W_r
    layer = _layer("rgcn")
    x = _x()
    conv = layer.conv
    expected = x @ conv.root + conv.bias
    for r in range(R):
        for i in range(N):
            src = [s for (s, t), typ in zip(EDGES.t().tolist(), TYPES.tolist(), strict=True) if t == i and typ == r]
            if src:
                expected[i] += x[src].mean(0) @ conv.weight[r]
    with torch.no_grad():
        assert torch.allclose(layer(x, EDGES, TYPES), expected, atol=1e-5)


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_permutation_equivariance(kind):
    layer = _layer(kind)
    x = _x()
    perm = torch.tensor([3, 5, 0, 4, 1, 2])  # new node k is old node perm[k]
    inv = torch.empty_like(perm)
    inv[perm] = torch.arange(N)
    order = torch.tensor([5, 2, 7, 0, 3, 6, 1, 4])  # the edge list in another order too
    with torch.no_grad():
        out = layer(x, EDGES, TYPES)
        moved = layer(x[perm], inv[EDGES[:, order]], TYPES[order])
    assert torch.allclose(moved, out[perm], atol=1e-5)


@pytest.mark.parametrize("kind", LAYER_KINDS)
def test_edge_types_matter_exactly_for_relation_aware_layers(kind):
    layer = _layer(kind)
    x = _x()
    with torch.no_grad():
        out = layer(x, EDGES, TYPES)
        other = layer(x, EDGES, (TYPES + 1) % R)
    assert torch.allclose(out, other) != (kind in RELATION_AWARE)


def test_multiscale_second_scale_adds_only_exact_two_hop_pairs():
    """K=2 with K=1's weights (and any weights of its own for scale 2) changes exactly the nodes
    that have a node at exact in-distance 2; the others get the same scale-1 (and self) input."""
    one = _layer("multiscale", num_scales=1)
    two = _layer("multiscale", num_scales=2)
    with torch.no_grad():
        two.conv.weight[0] = one.conv.weight[0]
        two.conv.rel_emb.weight[:R] = one.conv.rel_emb.weight  # scale 1's relation embeddings
        two.conv.lin_self.weight.copy_(one.conv.lin_self.weight)
        two.conv.lin_out.weight[:, : 2 * F_OUT] = one.conv.lin_out.weight  # [self | scale 1 | scale 2]
        two.conv.bias.copy_(one.conv.bias)
        x = _x()
        diff = (two(x, EDGES, TYPES) - one(x, EDGES, TYPES)).abs().amax(1)
    dist = _in_distances(EDGES, N)
    has_two_hop = [any(d == 2 for d in dist[i].values()) for i in range(N)]
    assert has_two_hop == [False, False, False, False, True, True]  # as worked out above
    assert dist[2] == {0: 1, 1: 1, 3: 1}  # the shortcut 0->2 makes 0 one hop from 2, not two
    for i in range(N):
        if has_two_hop[i]:
            assert diff[i] > 1e-4, i
        else:
            assert diff[i] < 1e-6, i
    # the pairs run along the edges' direction: node 3 reaches 2 in one hop and 4 in two (5 in
    # three), so changing x_3 moves nodes 3 and 2 with one scale, and node 4 too with two
    x2 = x.clone()
    x2[3] += 1.0
    with torch.no_grad():
        d1 = (one(x2, EDGES, TYPES) - one(x, EDGES, TYPES)).abs().amax(1)
        d2 = (two(x2, EDGES, TYPES) - two(x, EDGES, TYPES)).abs().amax(1)
    reach1 = {i for i in range(N) if dist[i].get(3) == 1} | {3}
    reach2 = reach1 | {i for i in range(N) if dist[i].get(3) == 2}
    assert {i for i in range(N) if d1[i] > 1e-6} == reach1 == {2, 3}
    assert {i for i in range(N) if d2[i] > 1e-6} == reach2 == {2, 3, 4}


def test_powers_are_mixhop_powers_0_to_k():
    layer = build_layer("powers", 4, 4, num_scales=3)
    assert layer.conv.powers == [0, 1, 2, 3]


def test_errors():
    with pytest.raises(ValueError, match="unknown graph layer"):
        build_layer("sage", 4, 4)
    with pytest.raises(ValueError, match="num_relations"):
        build_layer("rgcn", 4, 4)
