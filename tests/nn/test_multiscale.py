"""MultiScaleAggregation against a dense reference written from the formula, and its invariances."""

from __future__ import annotations

import networkx as nx
import pytest
import torch
from torch_geometric.data import Batch, Data

from amrgnn.nn import AddExactKHop, MultiScaleAggregation, hops_from

# a small directed graph with a cycle, a branch and an unreachable node (6)
EDGES = [(0, 1, 0), (1, 2, 1), (2, 3, 2), (3, 1, 0), (0, 4, 3), (4, 5, 1), (5, 2, 2), (6, 0, 1)]
N, R, K = 7, 4, 3


def graph():
    ei = torch.tensor([[a for a, _, _ in EDGES], [b for _, b, _ in EDGES]])
    et = torch.tensor([r for _, _, r in EDGES])
    return ei, et


def dense_reference(layer: MultiScaleAggregation, x: torch.Tensor) -> torch.Tensor:
    """The layer's formula with dense matrices; distances and last-edge relations from networkx."""
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(N))
    for a, b, r in EDGES:
        g.add_edge(a, b, r=r)
    dist = dict(nx.all_pairs_shortest_path_length(g))
    hs = []
    for k in range(1, layer.num_scales + 1):
        a = torch.zeros(N, N, dtype=x.dtype)  # a[i, j] = 1: j reaches i in exactly k steps
        rel = torch.zeros(N, N, dtype=torch.long)
        for j in range(N):
            for i, d in dist[j].items():
                if d == k:
                    a[i, j] = 1
                    rel[i, j] = min(e["r"] for w, _, e in g.in_edges(i, data=True) if dist[j].get(w) == k - 1)
        d_in, d_out = a.sum(1), a.sum(0)
        norm = a / torch.sqrt(torch.outer(d_in, d_out)).clamp(min=1e-30) if layer.normalize else a
        msg = torch.zeros(N, N, layer.in_channels, dtype=x.dtype)
        if layer.use_source:
            msg = msg + x.unsqueeze(0)  # msg[i, j] = x_j
        if layer.rel_emb is not None:
            msg = msg + layer.rel_emb.weight[(k - 1) * layer.num_relations + rel]
        agg = (norm.unsqueeze(-1) * msg).sum(1)
        hs.append(agg @ layer.weight[k - 1])
    if layer.include_self:
        hs.insert(0, x @ layer.lin_self.weight.t())
    h = torch.stack(hs)
    if layer.combine == "cat":
        out = torch.cat(list(h), dim=-1) @ layer.lin_out.weight.t()
    elif layer.combine == "sum":
        out = h.sum(0)
    else:
        alpha = torch.softmax(torch.tanh(h) @ layer.att, dim=0)
        out = (alpha.unsqueeze(-1) * h).sum(0)
    return out + layer.bias


@pytest.mark.parametrize("combine", ["cat", "sum", "attention"])
@pytest.mark.parametrize(("use_source", "relations", "include_self"), [(True, True, True), (True, False, False), (False, True, True)])
def test_matches_dense_reference(combine, use_source, relations, include_self):
    torch.manual_seed(0)
    layer = MultiScaleAggregation(5, 6, K, R if relations else None, use_source=use_source, include_self=include_self, combine=combine).double()
    x = torch.randn(N, 5, dtype=torch.float64)
    ei, et = graph()
    out = layer(x, ei, et if relations else None)
    torch.testing.assert_close(out, dense_reference(layer, x))


def test_receptive_field():
    torch.manual_seed(0)
    layer = MultiScaleAggregation(4, 4, 2, R).double()
    ei, et = graph()
    x = torch.randn(N, 4, dtype=torch.float64)
    base = layer(x, ei, et)
    # node 3: 2 reaches it in 1 step, 1 in 2 steps; 0 in 3 steps (0->1->2->3), 6 in 4
    for node, changes in ((2, True), (1, True), (0, False), (6, False)):
        y = x.clone()
        y[node] += 1.0
        changed = not torch.allclose(layer(y, ei, et)[3], base[3])
        assert changed == changes, node


def test_permutation_equivariance():
    torch.manual_seed(0)
    layer = MultiScaleAggregation(4, 3, K, R, combine="attention").double()
    ei, et = graph()
    x = torch.randn(N, 4, dtype=torch.float64)
    perm = torch.randperm(N)
    inv = torch.empty_like(perm)
    inv[perm] = torch.arange(N)
    out = layer(x, ei, et)
    out_p = layer(x[perm], inv[ei], et)
    torch.testing.assert_close(out_p, out[perm])


def test_batching_equals_separate_runs():
    torch.manual_seed(0)
    layer = MultiScaleAggregation(4, 3, K, R)
    ei, et = graph()
    d1 = Data(x=torch.randn(N, 4), edge_index=ei, edge_type=et)
    d2 = Data(x=torch.randn(3, 4), edge_index=torch.tensor([[0, 1], [1, 2]]), edge_type=torch.tensor([3, 1]))
    batch = Batch.from_data_list([d1, d2])
    out = layer(batch.x, batch.edge_index, batch.edge_type)
    torch.testing.assert_close(out[:N], layer(d1.x, d1.edge_index, d1.edge_type))
    torch.testing.assert_close(out[N:], layer(d2.x, d2.edge_index, d2.edge_type))
    # the transform's precomputed hops batch correctly too
    t = AddExactKHop(K)
    pre = Batch.from_data_list([t(d1.clone()), t(d2.clone())])
    torch.testing.assert_close(layer(pre.x, hops=hops_from(pre, K)), out)


def test_gradcheck_reaches_every_parameter():
    torch.manual_seed(0)
    layer = MultiScaleAggregation(3, 2, 2, R, combine="attention").double()
    ei, et = graph()
    x = torch.randn(N, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda inp: layer(inp, ei, et), (x,))
    layer(x, ei, et).pow(2).sum().backward()
    for name, p in layer.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_bfloat16_close_to_float32():
    torch.manual_seed(0)
    layer = MultiScaleAggregation(8, 8, K, R)
    ei, et = graph()
    x = torch.randn(N, 8)
    ref = layer(x, ei, et)
    out = layer.to(torch.bfloat16)(x.to(torch.bfloat16), ei, et)
    assert out.dtype == torch.bfloat16
    torch.testing.assert_close(out.float(), ref, atol=0.1, rtol=0.05)


def test_cache_and_errors():
    layer = MultiScaleAggregation(4, 4, 2, R)
    ei, et = graph()
    x = torch.randn(N, 4)
    layer(x, ei, et)
    first = layer._cache[1]
    layer(x, ei, et)
    assert layer._cache[1] is first  # same batch: computed once
    with pytest.raises(ValueError, match="relation-aware"):
        layer(x, ei)
    with pytest.raises(ValueError, match="combine"):
        MultiScaleAggregation(4, 4, 2, combine="max")
    with pytest.raises(ValueError, match="num_scales"):
        layer(x, hops=hops_from(AddExactKHop(1)(Data(x=x, edge_index=ei, edge_type=et)), 1))
    assert "num_scales=2" in repr(layer)


def test_cache_never_returns_another_graphs_hops():
    """A second graph at the same data pointer and version (freed memory reused, or a new tensor
    over a buffer changed in place) gets its own hops, not the cached ones."""
    import numpy as np

    from amrgnn.graph import exact_k_hop_typed

    torch.manual_seed(0)
    layer = MultiScaleAggregation(4, 4, K, R)
    x = torch.randn(N, 4)
    _, et = graph()
    buf = np.array([[a for a, _, _ in EDGES], [b for _, b, _ in EDGES]], dtype=np.int64)
    first = torch.from_numpy(buf)
    before = layer.k_hop(first, et, N)[0].edge_index.clone()
    buf[1] = [2, 3, 4, 5, 6, 0, 1, 3]  # another graph, written into the same memory
    second = torch.from_numpy(buf)
    assert (second.data_ptr(), second._version) == (first.data_ptr(), first._version)
    want = exact_k_hop_typed(second, et, N, K)
    got = layer.k_hop(second, et, N)
    assert not torch.equal(want[0].edge_index, before)  # the two graphs differ
    for g, w in zip(got, want, strict=True):
        assert torch.equal(g.edge_index, w.edge_index) and torch.equal(g.edge_type, w.edge_type)
    torch.testing.assert_close(layer(x, second, et), layer(x, hops=want))
    # an in-place torch write bumps the version: recomputed too
    second[1, 0] = 3
    assert torch.equal(layer.k_hop(second, et, N)[0].edge_index, exact_k_hop_typed(second, et, N, K)[0].edge_index)
    # a new edge_type tensor with the same pointer is a new graph as well
    et2 = et.view(-1)
    assert et2.data_ptr() == et.data_ptr() and layer.k_hop(second, et2, N) is not layer.k_hop(second, et, N)


def test_cache_with_cuda_memory_reuse():
    """The case of the issue: CUDA's caching allocator hands a freed graph's block to the next one."""
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device on this machine")
    from amrgnn.graph import exact_k_hop_typed

    layer = MultiScaleAggregation(4, 4, K, R).cuda()
    x = torch.randn(N, 4, device="cuda")
    ei, et = graph()
    et = et.cuda()
    layer(x, ei.cuda(), et)  # the edge tensor is a temporary: freed after the call (unless held)
    other = torch.tensor([[0, 1, 2, 3, 4, 5, 6, 0], [2, 3, 4, 5, 6, 0, 1, 3]], device="cuda")
    for got, want in zip(layer.k_hop(other, et, N), exact_k_hop_typed(other, et, N, K), strict=True):
        assert torch.equal(got.edge_index, want.edge_index) and torch.equal(got.edge_type, want.edge_type)


def test_on_hetero_token_graph():
    from amrgnn.graph import AMRVocab, read_amr, to_hetero

    from ..conftest import SAMPLE

    amrs = list(read_amr(SAMPLE))
    vocab = AMRVocab.build(amrs)
    data = Batch.from_data_list([to_hetero(a, vocab, max_k=2) for a in amrs])
    layer = MultiScaleAggregation(4, 4, 2, vocab.num_relations)
    x = torch.randn(data["token"].num_nodes, 4)
    fast = layer(x, hops=hops_from(data, 2, "token"))
    store = data["token", "amr", "token"]
    torch.testing.assert_close(fast, layer(x, store.edge_index, store.edge_type))


def test_torch_compile():
    torch.manual_seed(0)
    layer = MultiScaleAggregation(4, 4, 2, R)
    ei, et = graph()
    x = torch.randn(N, 4)
    hops = hops_from(AddExactKHop(2)(Data(x=x, edge_index=ei, edge_type=et)), 2)
    compiled = torch.compile(layer)
    torch.testing.assert_close(compiled(x, hops=hops), layer(x, hops=hops))
