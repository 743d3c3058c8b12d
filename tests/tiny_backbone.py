"""A tiny random deberta-v2 checkpoint with a word-level BERT tokenizer over the sample corpus
(fast enough for end-to-end training tests)."""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import BertTokenizerFast, DebertaV2Config, DebertaV2Model

from amrgnn.graph import read_amr


def make_tiny_backbone(out: Path, corpora: list[Path], *, relative: bool = True, seed: int = 0,
                       extra_words: list[str] = ()) -> Path:
    words = sorted({t.lower() for p in corpora for a in read_amr(p, progress=False) for t in a.tokens} | set(extra_words))
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {t: i for i, t in enumerate(specials + [w for w in words if w not in specials])}
    tok = BertTokenizerFast(vocab=vocab, do_lower_case=True)
    config = DebertaV2Config(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=128, type_vocab_size=0, relative_attention=relative, position_buckets=16 if relative else -1,
        pos_att_type=["p2c", "c2p"] if relative else [], position_biased_input=not relative,
        norm_rel_ebd="layer_norm" if relative else "none", share_att_key=relative,
    )
    torch.manual_seed(seed)
    DebertaV2Model(config).save_pretrained(out)
    tok.save_pretrained(out)
    return out
