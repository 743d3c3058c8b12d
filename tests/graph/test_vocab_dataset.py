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


def test_reserved_ids_come_from_the_vocabulary_layout():
    import amrgnn.graph.convert as convert
    from amrgnn.graph import INSTANCE_ID
    from amrgnn.graph import vocab as vocab_mod

    v = AMRVocab.build(read_amr(SAMPLE))
    assert INSTANCE_ID == v.relations.index(":instance") == v.relation_id(":instance") == 2
    assert convert.INSTANCE_ID is vocab_mod.INSTANCE_ID  # one definition, imported by the converter
    unk = vocab_mod.UNK_ID
    assert unk == v.concepts.index("<unk>") == v.senses.index("<unk>") == v.relations.index("<unk>")
    assert (v.concept_id("no-such-concept"), v.sense_id("99"), v.relation_id(":no-such-role")) == (unk, unk, unk)
    assert vocab_mod.NONE_ID == v.relations.index("<none>") == v.senses.index("<none>") == v.sense_id(None)


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


def _save_tokenizer(path, words):
    from transformers import BertTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    BertTokenizerFast(vocab={t: i for i, t in enumerate(specials + words)}, do_lower_case=True).save_pretrained(path)
    return path


def test_cache_key_follows_the_tokenizer_files_not_its_name(tmp_path):
    from amrgnn.graph.subword import load_tokenizer

    words = sorted({t.lower() for a in read_amr(SAMPLE) for t in a.tokens})
    tok_dir = _save_tokenizer(tmp_path / "tok", words)
    out = tmp_path / "out"
    first = prepare_corpus(SAMPLE, out, max_k=2, tokenizer=str(tok_dir), progress=False)
    assert first.summary["cache"] == "new" and first.summary["tokenizer"] == str(tok_dir)
    assert prepare_corpus(SAMPLE, out, max_k=2, tokenizer=str(tok_dir), progress=False).summary["cache"] == "hit"
    # the same files elsewhere: the same tokenizer, so the same key
    moved = _save_tokenizer(tmp_path / "elsewhere", words)
    assert prepare_corpus(SAMPLE, out, max_k=2, tokenizer=str(moved), progress=False).summary["cache"] == "hit"
    # another tokenizer at the same path: recomputed, with the new tokenizer's ids
    _save_tokenizer(tok_dir, list(reversed(words)))
    again = prepare_corpus(SAMPLE, out, max_k=2, tokenizer=str(tok_dir), progress=False)
    assert not again.summary["cached"] and again.summary["cache_key"] != first.summary["cache_key"]
    tok = load_tokenizer(str(tok_dir))
    for amr, data in zip(read_amr(SAMPLE), again.dataset, strict=True):
        want = tok(amr.tokens, is_split_into_words=True)["input_ids"]
        assert data["subword"].input_ids.tolist() == want


def _truncate(p):
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _garble_in_place(p):  # same size, different bytes in the tensor data
    b = bytearray(p.read_bytes())
    b[-64:] = bytes(255 - x for x in b[-64:])
    p.write_bytes(bytes(b))


@pytest.mark.parametrize(
    ("name", "damage", "reason"),
    [
        ("graphs.safetensors", _truncate, "graphs.safetensors"),
        ("graphs.safetensors", _garble_in_place, "graphs.safetensors"),
        ("graphs.safetensors", lambda p: p.unlink(), "graphs.safetensors"),
        ("graphs.json", lambda p: p.write_text('{"format": "amrgnn-col'), "graphs.json"),
        ("vocab.json", lambda p: p.write_bytes(b"\xff\xfe garbage"), "vocab.json"),
        ("summary.json", lambda p: p.write_text("[1, 2"), "summary.json"),
    ],
)
def test_damaged_cache_is_reported_and_rebuilt(tmp_path, caplog, name, damage, reason):
    out = tmp_path / "out"
    first = prepare_corpus(SAMPLE, out, max_k=2, progress=False)
    damage(out / name)
    with caplog.at_level("WARNING", logger="amrgnn.graph.dataset"):
        again = prepare_corpus(SAMPLE, out, max_k=2, progress=False)
    s = again.summary
    assert not s["cached"] and s["cache"].startswith(f"rebuilt (damaged: {reason}")
    assert any("damaged" in r.getMessage() and reason in r.getMessage() for r in caplog.records)
    assert s["cache_key"] == first.summary["cache_key"] and s["converted"] == 3
    for a, b in zip(first.dataset, again.dataset, strict=True):
        assert torch.equal(a["token", "hop2", "token"].edge_index, b["token", "hop2", "token"].edge_index)
    assert prepare_corpus(SAMPLE, out, max_k=2, progress=False).summary["cache"] == "hit"


def test_loading_damaged_files_names_them(tmp_path):
    from amrgnn.errors import UsageError

    prepare_corpus(SAMPLE, tmp_path, max_k=1, progress=False)
    _truncate(tmp_path / "graphs.safetensors")
    with pytest.raises(UsageError, match="graphs.safetensors: damaged"):
        AMRDataset.load(tmp_path)
    (tmp_path / "graphs.json").write_text("{not json")
    with pytest.raises(UsageError, match="graphs.json: damaged"):
        AMRDataset.load(tmp_path)
    (tmp_path / "vocab.json").write_text('{"format": "amrgnn-vocab", "version": 1}')
    with pytest.raises(UsageError, match="vocab.json: not an amrgnn vocabulary"):
        AMRVocab.load(tmp_path / "vocab.json")
