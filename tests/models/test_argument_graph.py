"""Graph features of the argument head against networkx shortest paths and hand-computed cases."""

from __future__ import annotations

import networkx as nx
import pytest
import torch

from amrgnn.data import batch_token_graphs, token_graph_data
from amrgnn.models import AMRDebertaConfig, AMRDebertaForEventExtraction
from amrgnn.models.argument_graph import nearest_hops, word_pair_hops

from .conftest import variant

RELATIONS = 12


def _random_graphs(seed: int, sizes: list[int]):
    g = torch.Generator().manual_seed(seed)
    out = []
    for n in sizes:
        m = int(torch.randint(1, 2 * n, (1,), generator=g))
        ei = torch.randint(0, n, (2, m), generator=g)
        ei = ei[:, ei[0] != ei[1]]
        out.append(token_graph_data(ei, torch.randint(2, RELATIONS, (ei.size(1),), generator=g)))
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_word_pair_hops_match_networkx(seed):
    """Distance: networkx's undirected shortest path (0 beyond max_k or unconnected); the direct
    relation: the edge's own (``r``) or its reverse (``R + r``), the smallest where several."""
    sizes, length, max_k = [7, 10, 5], 10, 3
    graphs = _random_graphs(seed, sizes)
    batch = batch_token_graphs(graphs, length, max_k=max_k, undirected=True)
    # words are every other position (their first sub-words), padded with -1
    word_index = torch.full((3, 5), -1)
    for b, n in enumerate(sizes):
        pos = torch.arange(0, n, 2)
        word_index[b, : pos.numel()] = pos
    dist, last, direct = word_pair_hops(batch, word_index, length, max_k, RELATIONS)
    for b, g in enumerate(graphs):
        und = nx.Graph()
        und.add_nodes_from(range(length))
        und.add_edges_from(g.edge_index.t().tolist())
        lengths = dict(nx.all_pairs_shortest_path_length(und, cutoff=max_k))
        edges = list(zip(g.edge_index.t().tolist(), g.edge_type.tolist(), strict=True))
        for x in range(5):
            for y in range(5):
                if word_index[b, x] < 0 or word_index[b, y] < 0:
                    continue
                i, j = int(word_index[b, x]), int(word_index[b, y])
                d = lengths[i].get(j, 0) if i != j else 0
                assert int(dist[b, x, y]) == d, (b, i, j)
                fwd = [r for (u, v), r in edges if (u, v) == (i, j)]
                rev = [r for (u, v), r in edges if (u, v) == (j, i)]
                want = min(fwd) if fwd else (RELATIONS + min(rev) if rev else 0)
                assert int(direct[b, x, y]) == want, (b, i, j)
                if d == 1:  # one hop: the relation of an edge between them (either way)
                    assert int(last[b, x, y]) == min(fwd + rev)
                if d == 0:
                    assert int(last[b, x, y]) == 0


def test_nearest_hops_picks_the_fewest_hops_of_the_spans():
    # one sentence of 6 words; trigger at word 1; candidate words 3..5: 3 is 2 hops, 4 is 1 hop, 5 none
    dist = torch.zeros(1, 6, 6, dtype=torch.long)
    dist[0, 1, 3], dist[0, 1, 4] = 2, 1
    dist[0, 2, 5] = 1  # word 2 is outside both spans: ignored
    pairs = torch.tensor([[0, 1, 2, 3, 6], [0, 1, 2, 5, 6], [0, 0, 2, 3, 4]])
    b, t, c = nearest_hops(dist, pairs, max_k=4)
    assert b.tolist() == [0, 0, 0]
    assert t.tolist() == [1, 1, 1]  # pair 1: no connection at all -> the first words of both spans
    assert c.tolist() == [4, 5, 3]  # pair 2: trigger span 0..1, candidate 3 only: (1, 3) at 2 hops


def _ee(**extra):
    config = AMRDebertaConfig(
        **variant("v3-shared-key-buckets-ln"), graph_num_relations=RELATIONS, graph_hidden_size=8,
        ee_trigger_labels=["O", "B-Attack", "I-Attack"], ee_role_labels=["<none>", "Attacker", "Victim"],
        graph_attention="none", **extra,
    )
    torch.manual_seed(0)
    return AMRDebertaForEventExtraction(config).eval()


def test_argument_graph_starts_as_the_text_model_and_reads_the_path(batch, tmp_path):
    """Zero tables: the logits of the text-only model with the same weights; a learned direct-edge
    vector then moves exactly the pairs joined by that edge. Triggers never see the graph."""
    ids, mask, graphs, graph = batch
    word_index = torch.tensor([[1, 2, 3, 4, 5], [1, 2, 3, 4, -1]])
    pairs = torch.tensor([[0, 0, 1, 1, 2], [0, 1, 2, 2, 3], [0, 1, 2, 4, 5], [1, 0, 1, 2, 3], [1, 2, 3, 3, 4]])
    labels = torch.tensor([1, 2, 0, 1, 0])
    text = _ee()
    text.save_pretrained(tmp_path)
    model = AMRDebertaForEventExtraction.from_pretrained(tmp_path, ee_argument_graph=True).eval()
    tables = model.argument_graph
    assert all(float(t.detach().abs().sum()) == 0.0 for t in (tables.distance, tables.last_relation, tables.direct_relation))
    kw = dict(attention_mask=mask, word_index=word_index, argument_pairs=pairs, argument_labels=labels)
    with torch.no_grad():
        ref = text(ids, **kw)
        out = model(ids, graph=graph, **kw)
        assert torch.equal(out.argument_logits, ref.argument_logits)
        assert torch.allclose(out.loss, ref.loss)
        # sentence 0: words 1 -> 2 are positions 2 -> 3, an edge of relation 4 (graph 0's 2 -> 3)
        model.argument_graph.direct_relation[4].fill_(1.0)
        moved = model(ids, graph=graph, **kw)
    changed = (moved.argument_logits - ref.argument_logits).abs().amax(1) > 1e-6
    assert changed.tolist() == [False, True, False, False, False]
    assert torch.equal(moved.trigger_logits, ref.trigger_logits)
    with pytest.raises(ValueError, match="ee_argument_graph"):
        model(ids, **kw)
