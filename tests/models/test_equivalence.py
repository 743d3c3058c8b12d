"""With graph terms off, or no graph, the encoder is transformers' DebertaV2Model (<= 1e-6)."""

from __future__ import annotations

import logging

import pytest
import torch
from transformers import DebertaV2Config, DebertaV2Model

from amrgnn.models import AMRDebertaConfig, AMRDebertaModel

from .conftest import VARIANTS, variant


def _pair(name: str, impl: str, **graph):
    torch.manual_seed(1)
    stock = DebertaV2Model(DebertaV2Config(**variant(name))).eval()
    config = AMRDebertaConfig(**variant(name), graph_hidden_size=8, graph_num_relations=12, graph_num_scales=3, **graph)
    model = AMRDebertaModel._from_config(config, attn_implementation=impl).eval()
    missing, unexpected = model.load_state_dict(stock.state_dict(), strict=False)
    assert unexpected == []
    assert all("graph" in k or "relation_embeddings" in k for k in missing)
    return stock, model


@pytest.mark.parametrize("impl", ["eager", "sdpa"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_identical_to_stock_without_graph_terms(name, impl, batch):
    ids, mask, _, graph = batch
    stock, model = _pair(name, impl)
    with torch.no_grad():
        ref = stock(ids, attention_mask=mask, output_hidden_states=True)
        no_graph = model(ids, attention_mask=mask, output_hidden_states=True)
        zero_proj = model(ids, attention_mask=mask, graph=graph)  # fused, projections still zero
    tol = 0.0 if impl == "eager" else 1e-6
    assert (no_graph.last_hidden_state - ref.last_hidden_state).abs().max() <= tol
    for a, b in zip(no_graph.hidden_states, ref.hidden_states, strict=True):
        assert (a - b).abs().max() <= tol
    assert (zero_proj.last_hidden_state - ref.last_hidden_state).abs().max() <= 1e-6


@pytest.mark.parametrize("mode", ["none", "relation"])
def test_identical_to_stock_other_modes(mode, batch):
    ids, mask, _, graph = batch
    stock, model = _pair("v3-shared-key-buckets-ln", "eager", graph_attention=mode)
    if mode == "none":
        assert not [n for n, _ in model.named_parameters() if "graph" in n or "relation" in n]
    with torch.no_grad():
        ref = stock(ids, attention_mask=mask).last_hidden_state
        out = model(ids, attention_mask=mask, graph=graph).last_hidden_state
    assert (out - ref).abs().max() <= 1e-6


def test_attentions_match_stock(batch):
    ids, mask, _, _ = batch
    stock, model = _pair("v2-separate-proj-conv", "sdpa")
    with torch.no_grad():
        ref = stock(ids, attention_mask=mask, output_attentions=True).attentions
        out = model(ids, attention_mask=mask, output_attentions=True).attentions  # falls back to eager
    for a, b in zip(out, ref, strict=True):
        assert (a - b).abs().max() <= 1e-6


@pytest.mark.parametrize("name", ["bert-like", "v3-shared-key-buckets-ln"])
def test_from_pretrained_loads_any_stock_checkpoint(name, tmp_path, batch, caplog):
    ids, mask, _, graph = batch
    torch.manual_seed(3)
    stock = DebertaV2Model(DebertaV2Config(**variant(name))).eval()
    stock.save_pretrained(tmp_path)
    with caplog.at_level(logging.INFO, logger="amrgnn.models.modeling"):
        model = AMRDebertaModel.from_pretrained(tmp_path, graph_num_relations=12, graph_hidden_size=8).eval()
    assert model.config.model_type == "amr-deberta-v2"
    assert "graph_key_proj" in caplog.text and "graph_states" in caplog.text  # the log names them
    for layer in model.encoder.layer:
        assert torch.count_nonzero(layer.attention.self.graph_key_proj.weight) == 0
        assert torch.count_nonzero(layer.attention.self.graph_query_proj.weight) == 0
    # graph parameters got real values (not left uninitialised)
    agg = model.encoder.graph_states.aggregate
    assert torch.isfinite(agg.weight).all() and agg.weight.abs().sum() > 0
    assert agg.lin_out.weight.abs().max() < 1.0
    with torch.no_grad():
        ref = stock(ids, attention_mask=mask).last_hidden_state
        out = model(ids, attention_mask=mask, graph=graph).last_hidden_state
    assert (out - ref).abs().max() <= 1e-6


def test_from_pretrained_rejects_a_misfit_backbone(tmp_path):
    stock = DebertaV2Model(DebertaV2Config(**variant("bert-like")))
    state = {k: v for k, v in stock.state_dict().items() if "layer.1.intermediate" not in k}
    stock.save_pretrained(tmp_path, state_dict=state)
    with pytest.raises(ValueError, match="does not fit the backbone.*layer.1.intermediate"):
        AMRDebertaModel.from_pretrained(tmp_path)
