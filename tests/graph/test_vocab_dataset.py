"""Vocabularies (build, JSON round trip, policy) and the cached, prepared dataset."""

from __future__ import annotations

import json

import pytest
import torch

from amrgnn.graph import AMRVocab, read_amr, split_sense, to_hetero
from amrgnn.graph.dataset import AMRDataset, prepare_corpus

from ..conftest import SAMPLE, corpus_path


def test_split_sense():
    assert split_sense("want-01") == ("want", "01")
    assert split_sense("have-org-role-91") == ("have-org-role", "91")
    assert split_sense("boy") == ("boy", None)
    assert split_sense("-") == ("-", None)
    assert split_sense("1984") == ("1984", None)


def test_vocab_build_save_load(tmp_path):
    amrs = list(read_amr(SAMPLE))
    v = AMRVocab.build(amrs)
    assert v.concepts[:2] == ["<pad>", "<unk>"] and v.relations[:3] == ["<none>", "<unk>", ":instance"]
    assert v.senses[:2] == ["<none>", "<unk>"] and "01" in v.senses
    assert v.relations[3] == ":ARG0"  # the most frequent role of the sample (3 times)
    assert '"John"' in v.concepts and "want" in v.concepts and "want-01" not in v.concepts
    v.save(tmp_path / "vocab.json")
    assert AMRVocab.load(tmp_path / "vocab.json") == v
    (tmp_path / "bad.json").write_text(json.dumps({"format": "other"}))
    with pytest.raises(ValueError, match="not an amrgnn vocabulary"):
        AMRVocab.load(tmp_path / "bad.json")
    small = AMRVocab.build(amrs, min_freq=2)
    assert "name" in small.concepts and "boy" not in small.concepts  # name: 2 instances, boy: 1
    with pytest.raises(ValueError, match="must start with"):
        AMRVocab(concepts=["x"], senses=["<none>", "<unk>"], relations=["<none>", "<unk>", ":instance"])


def test_prepare_writes_and_caches(tmp_path):
    out = tmp_path / "out"
    first = prepare_corpus(SAMPLE, out, max_k=3, progress=False)
    s = first.summary
    assert not s["cached"] and s["graphs_read"] == 3 and s["converted"] == 3 and s["reconciles"]
    for name in ("graphs.safetensors", "graphs.json", "vocab.json", "summary.json"):
        assert (out / name).is_file()
    second = prepare_corpus(SAMPLE, out, max_k=3, progress=False)
    assert second.summary["cached"] and second.summary["cache_key"] == s["cache_key"]
    third = prepare_corpus(SAMPLE, out, max_k=2, progress=False)  # other options: recomputed
    assert not third.summary["cached"] and third.summary["cache_key"] != s["cache_key"]
    # the loaded dataset equals a fresh conversion, graph by graph
    ds = AMRDataset.load(out)
    vocab = AMRVocab.load(out / "vocab.json")
    for amr, data in zip(read_amr(SAMPLE), ds, strict=True):
        fresh = to_hetero(amr, vocab, max_k=2)
        assert data.amr_id == amr.id and data.tokens == amr.tokens
        for store in fresh.stores:
            key = getattr(store, "_key", None)
            for attr, value in store.items():
                other = data[key][attr] if key is not None else data[attr]
                if isinstance(value, torch.Tensor):
                    assert torch.equal(value, other), (key, attr)


def test_cache_follows_content(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SAMPLE.read_text())
    key1 = prepare_corpus(f, tmp_path / "o", progress=False).summary["cache_key"]
    f.write_text(SAMPLE.read_text().replace("boy", "girl"))
    again = prepare_corpus(f, tmp_path / "o", progress=False)
    assert again.summary["cache_key"] != key1 and not again.summary["cached"]
    assert "girl" in again.vocab.concepts


@pytest.mark.corpus
def test_prepare_corpus_cache_is_much_faster(tmp_path):
    path = corpus_path("bio-dev-aligned")
    first = prepare_corpus(path, tmp_path, progress=False)
    second = prepare_corpus(path, tmp_path, progress=False)
    assert second.summary["cached"] and len(second.dataset) == 500
    print(f"prepare {first.summary['seconds']:.2f}s, cached load {second.summary['seconds']:.3f}s")
