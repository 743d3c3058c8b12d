"""exact_k_hop against networkx shortest-path lengths (hand-made and real AMR token graphs)."""

from __future__ import annotations

import networkx as nx
import pytest
import torch

from amrgnn.graph import AMRVocab, exact_k_hop, exact_k_hop_typed, khop, read_amr, token_graph
from amrgnn.utils import bulk_mode

from ..conftest import corpus_path


@pytest.fixture(params=["python", "torch"])
def k_hop_path(request, monkeypatch):
    """Run a test through both implementations: small CPU graphs take plain Python (k_hop_lists),
    others the vectorised torch expansion."""
    monkeypatch.setattr(khop, "SMALL_GRAPH_EDGES", 10**9 if request.param == "python" else -1)
    return request.param


def _reference(edge_index: torch.Tensor, edge_type: torch.Tensor, n: int, undirected: bool):
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    for (a, b), r in zip(edge_index.t().tolist(), edge_type.tolist(), strict=True):
        g.add_edge(a, b, r=r)
        if undirected:
            g.add_edge(b, a, r=r)
    return g, dict(nx.all_pairs_shortest_path_length(g))


def _check(edge_index, edge_type, n, max_k, undirected):
    hops = exact_k_hop_typed(edge_index, edge_type, n, max_k, undirected=undirected)
    assert len(hops) == max_k
    g, dist = _reference(edge_index, edge_type, n, undirected)
    for k in range(1, max_k + 1):
        expected = sorted((u, v) for u in dist for v, d in dist[u].items() if d == k)
        got = [tuple(p) for p in hops[k - 1].edge_index.t().tolist()]
        assert got == expected, f"k={k}"
        # the reported relation is the smallest relation of a last edge on some shortest path
        for (u, v), r in zip(got, hops[k - 1].edge_type.tolist(), strict=True):
            last = [d["r"] for w, _, d in g.in_edges(v, data=True) if dist[u].get(w) == k - 1]
            assert r == min(last)


def test_hand_computed_directed_path(k_hop_path):
    # 0 -> 1 -> 2 -> 3 and a shortcut 0 -> 2: distances from 0 are 1:{1,2}, 2:{3}
    ei = torch.tensor([[0, 1, 2, 0], [1, 2, 3, 2]])
    hops = exact_k_hop(ei, 4, 3)
    assert hops[0].tolist() == [[0, 0, 1, 2], [1, 2, 2, 3]]
    assert hops[1].tolist() == [[0, 1], [3, 3]]
    assert hops[2].tolist() == [[], []]
    # undirected: 3 reaches 0 in two steps (3-2-0), 1 reaches 3 in two (1-2-3)
    und = exact_k_hop(ei, 4, 2, undirected=True)
    assert (3, 0) in [tuple(p) for p in und[1].t().tolist()]
    assert (3, 0) not in [tuple(p) for p in hops[1].t().tolist()]


def test_not_matrix_powers(k_hop_path):
    # A^2 of a 2-cycle reaches the start node again; exact distance 2 never contains (u, u)
    ei = torch.tensor([[0, 1], [1, 0]])
    assert exact_k_hop(ei, 2, 2)[1].numel() == 0


@pytest.mark.parametrize("undirected", [False, True])
def test_random_graphs_against_networkx(undirected, k_hop_path):
    gen = torch.Generator().manual_seed(0)
    for _ in range(60):
        n = int(torch.randint(1, 15, (1,), generator=gen))
        m = int(torch.randint(0, 30, (1,), generator=gen))
        ei = torch.randint(0, n, (2, m), generator=gen)
        et = torch.randint(0, 6, (m,), generator=gen)
        _check(ei, et, n, 5, undirected)


def test_errors_and_edge_cases(k_hop_path):
    with pytest.raises(ValueError, match="num_nodes"):
        exact_k_hop(torch.tensor([[0], [5]]), 3, 2)
    with pytest.raises(ValueError, match="node -1"):
        exact_k_hop(torch.tensor([[0], [-1]]), 3, 2)
    with pytest.raises(ValueError, match="node 7"):  # a self-loop is dropped, but must be in range
        exact_k_hop(torch.tensor([[0, 7], [1, 7]]), 3, 2)
    hops = exact_k_hop_typed(torch.tensor([[0, 1], [1, 2]], dtype=torch.int32), torch.tensor([3, 1], dtype=torch.int32), 3, 2)
    assert hops[1].edge_index.dtype == torch.long and hops[1].edge_type.tolist() == [1]
    with pytest.raises(ValueError, match="max_k"):
        exact_k_hop(torch.tensor([[0], [1]]), 2, -1)
    assert exact_k_hop(torch.empty(2, 0, dtype=torch.long), 0, 2)[0].shape == (2, 0)
    assert exact_k_hop(torch.tensor([[0], [1]]), 2, 0) == []


@pytest.mark.corpus
@pytest.mark.parametrize("undirected", [False, True])
def test_every_bio_amr_token_graph_against_networkx(undirected):
    amrs = list(read_amr(corpus_path("bio-dev-aligned")))
    vocab = AMRVocab.build(amrs)
    for amr in amrs:
        ei, et = token_graph(amr, vocab)
        _check(ei, et, len(amr.tokens), 4, undirected)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["lpp-v3.0", "qald9-train", "bio-dev"])
def test_every_concept_graph_against_networkx(name):
    """Concept graphs of every AMR of the corpora (reentrancies make them DAGs, not trees)."""
    from amrgnn.graph import to_hetero

    amrs = list(read_amr(corpus_path(name)))
    vocab = AMRVocab.build(amrs)
    for amr in amrs:
        data = to_hetero(amr, vocab)
        rel = data["concept", "rel", "concept"]
        _check(rel.edge_index, rel.edge_type, data["concept"].num_nodes, 4, False)


@pytest.mark.corpus
def test_python_and_torch_paths_agree_on_corpora(monkeypatch):
    """The two implementations, forced, on every Bio AMR token graph and Little Prince concept graph."""
    from amrgnn.graph import to_hetero

    graphs = []
    for name, as_tokens in (("bio-dev-aligned", True), ("lpp-v3.0", False)):
        amrs = list(read_amr(corpus_path(name)))
        vocab = AMRVocab.build(amrs)
        for amr in amrs:
            if as_tokens:
                graphs.append((*token_graph(amr, vocab), len(amr.tokens)))
            else:
                rel = to_hetero(amr, vocab)["concept", "rel", "concept"]
                graphs.append((rel.edge_index, rel.edge_type, int(rel.edge_index.max()) + 1 if rel.edge_index.numel() else 1))
    for undirected in (False, True):
        got = {}
        for path, limit in (("python", 10**9), ("torch", -1)):
            monkeypatch.setattr(khop, "SMALL_GRAPH_EDGES", limit)
            with bulk_mode():  # one torch thread: a busy second core stalls small ops
                got[path] = [exact_k_hop_typed(ei, et, n, 4, undirected=undirected) for ei, et, n in graphs]
        for a, b in zip(got["python"], got["torch"], strict=True):
            for x, y in zip(a, b, strict=True):
                assert torch.equal(x.edge_index, y.edge_index) and torch.equal(x.edge_type, y.edge_type)


def test_runs_on_cuda_when_available():
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device on this machine")
    ei = torch.tensor([[0, 1, 2, 0], [1, 2, 3, 2]])
    cpu = exact_k_hop(ei, 4, 3)
    gpu = exact_k_hop(ei.cuda(), 4, 3)
    for a, b in zip(cpu, gpu, strict=True):
        assert b.is_cuda and torch.equal(a, b.cpu())
