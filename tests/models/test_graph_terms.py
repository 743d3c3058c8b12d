"""The graph terms against dense formulas, the graph batching, and gradient checkpointing."""

from __future__ import annotations

import math

import pytest
import torch
from transformers.models.deberta_v2.modeling_deberta_v2 import build_relative_position

from amrgnn.data import batch_token_graphs, token_graph_data
from amrgnn.graph import exact_k_hop_typed
from amrgnn.models import AMRDebertaConfig, AMRDebertaModel, pair_relations
from amrgnn.models.attention import AMRDisentangledSelfAttention
from amrgnn.models.graph_inputs import GraphContext

from .conftest import variant


def _randomise_graph_projections(model: torch.nn.Module, seed: int = 0) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "graph_key_proj" in name or "graph_query_proj" in name:
                p.copy_(torch.randn(p.shape, generator=g) * 0.3)


def _dense_reference(att, hidden, mask4, rel_pos, rel_emb, graph_key, graph_query):
    """softmax((q.k + q.Kg + Qg.k) / sqrt(d s) + c2p + p2c) v, with Kg, Qg given per pair
    (``[B, H, L, L, d]``) and c2p/p2c from transformers' own ``disentangled_attention_bias``."""
    b, length, _ = hidden.shape
    h = att.num_attention_heads

    def split(x):
        return x.view(b, length, h, -1).permute(0, 2, 1, 3)

    q, k, v = split(att.query_proj(hidden)), split(att.key_proj(hidden)), split(att.value_proj(hidden))
    d = q.size(-1)
    s = 1 + len([t for t in ("c2p", "p2c") if t in att.pos_att_type])
    scores = torch.einsum("bhid,bhjd->bhij", q, k)
    scores = scores + torch.einsum("bhid,bhijd->bhij", q, graph_key) + torch.einsum("bhijd,bhjd->bhij", graph_query, k)
    scores = scores / math.sqrt(d * s)
    if att.relative_attention:
        bias = att.disentangled_attention_bias(
            q.reshape(b * h, length, d), k.reshape(b * h, length, d), rel_pos, rel_emb, s
        )
        scores = scores + bias.view(b, h, length, length)
    scores = scores.masked_fill(~mask4.bool(), torch.finfo(scores.dtype).min)
    out = torch.einsum("bhij,bhjd->bhid", scores.softmax(-1), v)
    return out.permute(0, 2, 1, 3).reshape(b, length, -1)


def _attention(name: str, impl: str, mode: str):
    config = AMRDebertaConfig(**variant(name), graph_attention=mode, graph_hidden_size=8, graph_num_relations=12)
    config._attn_implementation = impl
    torch.manual_seed(0)
    att = AMRDisentangledSelfAttention(config, fused=True).eval()
    _randomise_graph_projections(att)
    return config, att


def _inputs(config, batch):
    ids, mask, _, _ = batch
    torch.manual_seed(5)
    hidden = torch.randn(2, 9, config.hidden_size)
    mask4 = (mask[:, None, :, None] * mask[:, None, None, :]).bool()
    rel_pos = rel_emb = None
    if config.relative_attention:
        buckets = getattr(config, "position_buckets", -1)  # not a declared field: as DeBERTa reads it
        rel_pos = build_relative_position(hidden, hidden, bucket_size=buckets, max_position=config.max_relative_positions)
        size = 2 * (buckets if buckets > 0 else config.max_relative_positions)
        rel_emb = torch.randn(size, config.hidden_size)
    return hidden, mask4, rel_pos, rel_emb


@pytest.mark.parametrize("impl", ["eager", "sdpa"])
@pytest.mark.parametrize("name", ["bert-like", "v3-shared-key-buckets-ln", "c2p-only-no-buckets"])
def test_multiscale_terms_match_dense_formula(name, impl, batch):
    config, att = _attention(name, impl, "multiscale")
    hidden, mask4, rel_pos, rel_emb = _inputs(config, batch)
    states = torch.randn(2, 9, config.graph_hidden_size)
    with torch.no_grad():
        out, _ = att(hidden, mask4, relative_pos=rel_pos, rel_embeddings=rel_emb, graph_states=states)
        h = att.num_attention_heads
        kg = att.graph_key_proj(states).view(2, 9, h, -1).permute(0, 2, 1, 3)  # [B, H, L, d]
        qg = att.graph_query_proj(states).view(2, 9, h, -1).permute(0, 2, 1, 3)
        ref = _dense_reference(
            att, hidden, mask4, rel_pos, rel_emb, kg[:, :, None].expand(-1, -1, 9, -1, -1), qg[:, :, :, None].expand(-1, -1, -1, 9, -1)
        )
    assert (out - ref).abs().max() < 1e-5


@pytest.mark.parametrize("impl", ["eager", "sdpa"])
@pytest.mark.parametrize("undirected", [True, False])
def test_relation_terms_match_dense_formula(impl, undirected, batch):
    config, att = _attention("v3-shared-key-buckets-ln", impl, "relation")
    hidden, mask4, rel_pos, rel_emb = _inputs(config, batch)
    n_rel = 12 * (2 if undirected else 1)
    table = torch.randn(n_rel, config.graph_hidden_size)
    rel = pair_relations(batch[3], 2, 9, 12, undirected=undirected)
    ctx = GraphContext(batch_size=2, seq_len=9, relation_table=table, pair_relations=rel)
    with torch.no_grad():
        out, _ = att(hidden, mask4, relative_pos=rel_pos, rel_embeddings=rel_emb, graph=ctx)
        h = att.num_attention_heads
        kr = att.graph_key_proj(table).view(n_rel, h, -1)  # [R', H, d]
        qr = att.graph_query_proj(table).view(n_rel, h, -1)
        kg = kr[rel].permute(0, 3, 1, 2, 4)  # [B, L, L, H, d] -> [B, H, L, L, d]
        qg = qr[rel].permute(0, 3, 1, 2, 4)
        ref = _dense_reference(att, hidden, mask4, rel_pos, rel_emb, kg, qg)
    assert (out - ref).abs().max() < 1e-5


def test_pair_relations_by_hand(batch):
    graph = batch[3]
    rel = pair_relations(graph, 2, 9, 12, undirected=True)
    expected = torch.zeros(2, 9, 9, dtype=torch.long)
    for b, edges in enumerate([[(1, 2, 3), (2, 3, 4), (2, 4, 5), (5, 1, 7)], [(1, 3, 6), (3, 4, 3)]]):
        for i, j, r in edges:
            expected[b, i, j] = r
            expected[b, j, i] = 12 + r
    assert torch.equal(rel, expected)
    directed = pair_relations(graph, 2, 9, 12, undirected=False)
    assert torch.equal(directed, expected * (expected < 12))


def test_batched_hops_equal_per_graph(batch):
    _, _, graphs, graph = batch
    for k in range(1, 4):
        got = graph[f"hop{k}_index"]
        want = torch.cat(
            [exact_k_hop_typed(g.edge_index, g.edge_type, 9, 3, undirected=True)[k - 1].edge_index + 9 * b for b, g in enumerate(graphs)],
            dim=1,
        )
        assert torch.equal(got, want)
    assert graph.num_nodes == 18


def test_batch_rejects_edges_beyond_length():
    g = token_graph_data(torch.tensor([[0], [12]]), torch.tensor([3]))
    with pytest.raises(ValueError, match="position 12 but the batch has seq_len=9"):
        batch_token_graphs([g], 9)


def _graph_model(mode: str = "multiscale", state_input: str = "embeddings", name: str = "bert-like"):
    config = AMRDebertaConfig(
        **variant(name), graph_attention=mode, graph_state_input=state_input, graph_hidden_size=8, graph_num_relations=12, graph_num_scales=3
    )
    torch.manual_seed(2)
    model = AMRDebertaModel(config).eval()
    _randomise_graph_projections(model)
    return model


@pytest.mark.parametrize(("mode", "state_input"), [("multiscale", "embeddings"), ("multiscale", "hidden"), ("relation", "embeddings")])
def test_batched_equals_one_by_one(mode, state_input, batch):
    """Graph offsets in the batch are right: each sentence alone gives the same states."""
    ids, mask, graphs, graph = batch
    model = _graph_model(mode, state_input)
    with torch.no_grad():
        together = model(ids, attention_mask=mask, graph=graph).last_hidden_state
        for b, g in enumerate(graphs):
            n = int(mask[b].sum())
            alone = model(ids[b : b + 1, :n], graph=batch_token_graphs([g], n, max_k=3)).last_hidden_state
            assert (alone[0] - together[b, :n]).abs().max() < 1e-5
        no_graph = model(ids, attention_mask=mask).last_hidden_state
    assert (together - no_graph).abs().max() > 1e-3  # the graph matters once projections are non-zero


def test_graph_changes_only_where_it_reaches(batch):
    """Moving an edge of sentence 0 never changes sentence 1."""
    ids, mask, graphs, graph = batch
    model = _graph_model()
    other = [token_graph_data(torch.tensor([[6, 7], [7, 8]]), torch.tensor([2, 2])), graphs[1]]
    with torch.no_grad():
        a = model(ids, attention_mask=mask, graph=graph).last_hidden_state
        b = model(ids, attention_mask=mask, graph=batch_token_graphs(other, 9, max_k=3)).last_hidden_state
    assert (a[0] - b[0]).abs().max() > 1e-3
    assert (a[1] - b[1]).abs().max() == 0


def test_wrong_graph_size_is_a_clear_error(batch):
    ids, mask, graphs, _ = batch
    model = _graph_model()
    with pytest.raises(ValueError, match="graph has 20 nodes but the batch has 2 x 9"):
        model(ids, attention_mask=mask, graph=batch_token_graphs(graphs, 10))


@pytest.mark.parametrize("state_input", ["embeddings", "hidden"])
def test_gradient_checkpointing_non_reentrant(state_input, batch):
    ids, mask, _, graph = batch
    results = []
    for checkpointing in (False, True):
        model = _graph_model("multiscale", state_input, name="v3-shared-key-buckets-ln").train()
        if checkpointing:
            model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
            assert all(layer.gradient_checkpointing for layer in model.encoder.layer)
        out = model(ids, attention_mask=mask, graph=graph).last_hidden_state
        out.pow(2).sum().backward()
        grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
        results.append((out.detach(), grads))
    (out0, g0), (out1, g1) = results
    assert torch.allclose(out0, out1, atol=1e-6)
    assert g0.keys() == g1.keys()
    assert any("graph_states" in n for n in g0)
    for n in g0:
        assert torch.allclose(g0[n], g1[n], atol=1e-5), n
