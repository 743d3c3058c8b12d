"""Loading is strict and names the file: damaged checkpoint directories, weights files of another
model, and unknown keyword arguments to the models."""

from __future__ import annotations

import os
import re

import pytest
import torch
from safetensors.torch import load_file, save_file
from transformers import (
    BertConfig,
    BertModel,
    DebertaV2Config,
    DebertaV2ForMaskedLM,
    DebertaV2Model,
)

from amrgnn.errors import InputError, MissingInputError
from amrgnn.models import (
    AMRDebertaConfig,
    AMRDebertaForEventExtraction,
    AMRDebertaForMaskedGraphModeling,
    AMRDebertaModel,
)
from amrgnn.models.modeling import CheckpointError

from .conftest import variant

EE_LABELS = dict(ee_trigger_labels=["O", "B-X", "I-X"], ee_role_labels=["<none>", "A"])


def _config(**extra):
    return AMRDebertaConfig(**variant("v3-shared-key-buckets-ln"), graph_num_relations=12, graph_hidden_size=8, **extra)


def _truncate(path):
    os.truncate(path, path.stat().st_size // 2)


DAMAGE = {
    "truncated-weights": ("model.safetensors", _truncate, CheckpointError),
    "empty-weights": ("model.safetensors", lambda p: os.truncate(p, 0), CheckpointError),
    "no-weights": ("model.safetensors", os.remove, MissingInputError),
    "no-config": ("config.json", os.remove, MissingInputError),
    "bad-config": ("config.json", lambda p: p.write_text("{"), CheckpointError),
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("cls", [AMRDebertaForMaskedGraphModeling, AMRDebertaForEventExtraction])
def test_a_damaged_checkpoint_is_an_error_naming_the_file(cls, damage, tmp_path):
    torch.manual_seed(0)
    cls(_config(**EE_LABELS)).save_pretrained(tmp_path)
    name, hurt, error = DAMAGE[damage]
    hurt(tmp_path / name)
    with pytest.raises(error, match=re.escape(str(tmp_path / name))):
        cls.from_pretrained(tmp_path)
    assert issubclass(error, InputError)  # the command line prints it as one line


def test_a_missing_checkpoint_directory_is_an_error_naming_it(tmp_path):
    with pytest.raises(MissingInputError, match=re.escape(f"{tmp_path / 'nowhere'}: no such checkpoint directory")):
        AMRDebertaForEventExtraction.from_pretrained(tmp_path / "nowhere")


def _stock(tmp_path, relative=True):
    torch.manual_seed(0)
    stock = DebertaV2Model(DebertaV2Config(**variant("v3-shared-key-buckets-ln" if relative else "bert-like"))).eval()
    stock.save_pretrained(tmp_path)
    return stock, AMRDebertaConfig.from_pretrained(tmp_path, graph_num_relations=12, graph_hidden_size=8)


@pytest.mark.parametrize("suffix", [".safetensors", ".bin"])
def test_a_stock_weights_file_loads_and_only_the_graph_terms_are_initialised(suffix, tmp_path, batch):
    ids, mask, _, _ = batch
    stock, config = _stock(tmp_path)
    path = tmp_path / "model.safetensors"
    if suffix == ".bin":
        torch.save(load_file(path), path := tmp_path / "weights.bin")
    model = AMRDebertaForMaskedGraphModeling.from_weights_file(path, config).eval()
    for name, p in stock.state_dict().items():
        assert torch.equal(model.deberta.state_dict()[name], p), name
    with torch.no_grad():  # the encoder computes what transformers' own computes
        ref = stock(ids, attention_mask=mask).last_hidden_state
        assert (model.deberta(ids, attention_mask=mask).last_hidden_state - ref).abs().max() <= 1e-5
    new = re.compile("|".join(model._new_parameter_patterns))
    assert model.initialised_parameters and all(new.search(k) for k in model.initialised_parameters)
    assert {k for k in model.state_dict() if not k.startswith("deberta.") or "graph" in k} <= {
        *model.initialised_parameters, "cls.predictions.decoder.weight"  # tied to the word embeddings
    }


def test_an_mlm_weights_file_loads_its_lm_head(tmp_path):
    torch.manual_seed(0)
    stock = DebertaV2ForMaskedLM(DebertaV2Config(**variant("bert-like"), legacy=True))
    stock.save_pretrained(tmp_path)
    config = AMRDebertaConfig.from_pretrained(tmp_path, graph_num_relations=12)
    model = AMRDebertaForMaskedGraphModeling.from_weights_file(tmp_path / "model.safetensors", config)
    assert torch.equal(model.cls.predictions.transform.dense.weight, stock.cls.predictions.transform.dense.weight)
    assert not any(k.startswith("cls.") for k in model.initialised_parameters)


def test_a_bert_weights_file_is_an_error_naming_it(tmp_path):
    _, config = _stock(tmp_path, relative=False)
    torch.manual_seed(0)
    bert = BertModel(BertConfig(vocab_size=60, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48))
    save_file(bert.state_dict(), path := tmp_path / "bert.safetensors")
    with pytest.raises(CheckpointError, match=re.escape(str(path)) + ".*missing 12 tensors: .*query_proj.*unexpected 14 tensors: .*self.query.weight"):
        AMRDebertaForMaskedGraphModeling.from_weights_file(path, config)


def test_a_removed_extra_or_mis_shaped_tensor_is_an_error_naming_it(tmp_path):
    _, config = _stock(tmp_path)
    state = load_file(tmp_path / "model.safetensors")
    cases = {
        "missing 1 tensors: deberta.encoder.layer.1.output.dense.weight": {
            k: v for k, v in state.items() if k != "encoder.layer.1.output.dense.weight"
        },
        "unexpected 1 tensors: pooler.dense.weight": {**state, "pooler.dense.weight": torch.zeros(32, 32)},
        "mis-shaped .* deberta.embeddings.word_embeddings.weight [61, 32] vs [60, 32]": {
            **state, "embeddings.word_embeddings.weight": torch.zeros(61, 32)
        },
    }
    for i, (message, tensors) in enumerate(cases.items()):
        save_file(tensors, path := tmp_path / f"case{i}.safetensors")
        pattern = re.escape(str(path)) + ".*" + re.escape(message).replace(r"\.\*", ".*")
        with pytest.raises(CheckpointError, match=pattern):
            AMRDebertaForMaskedGraphModeling.from_weights_file(path, config)
    _truncate(path)
    with pytest.raises(CheckpointError, match=re.escape(f"{path}: truncated or corrupt")):
        AMRDebertaForMaskedGraphModeling.from_weights_file(path, config)


@pytest.mark.parametrize(
    ("model", "misspelt"),
    [
        (lambda: AMRDebertaForEventExtraction(_config(**EE_LABELS)), dict(trigger_label=torch.zeros(2, 2, dtype=torch.long))),
        (lambda: AMRDebertaForMaskedGraphModeling(_config()), dict(label=torch.zeros(2, 9, dtype=torch.long))),
        (lambda: AMRDebertaModel(_config()), dict(grpah=None)),
    ],
    ids=["ee", "mgm", "encoder"],
)
def test_an_unknown_keyword_is_a_type_error_naming_it(model, misspelt, batch):
    ids, mask, _, _ = batch
    word_index = {"word_index": torch.tensor([[1, 2], [1, 2]])} if "trigger_label" in misspelt else {}
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{next(iter(misspelt))}'"):
        model()(ids, attention_mask=mask, **word_index, **misspelt)
