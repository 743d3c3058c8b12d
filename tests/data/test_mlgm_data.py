"""MLGM examples and masking: counts reconcile, masks are deterministic, the answer never leaks."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoTokenizer

from amrgnn.data import (
    MaskingConfig,
    MLGMCollator,
    MLGMDataset,
    mask_example,
    prepare_mlgm_examples,
    split_by_id,
)
from amrgnn.data.mlgm import MLGMExample, MLGMPrepStats, negative_counts
from amrgnn.graph import AMRVocab, read_amr
from amrgnn.models import AMRDebertaConfig, AMRDebertaForMaskedGraphModeling

from ..conftest import FIXTURES, SAMPLE, corpus_path
from ..tiny_backbone import make_tiny_backbone


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    corpus = corpus_path("lpp-v1.6-dev")
    d = make_tiny_backbone(tmp_path_factory.mktemp("tiny"), [SAMPLE, corpus])
    return d, AutoTokenizer.from_pretrained(d), corpus


@pytest.fixture(scope="module")
def lpp(tiny):
    _, tok, corpus = tiny
    return prepare_mlgm_examples([corpus], tok, max_seq_len=64, progress=False)


def _word_table(ex):
    """{(word_a, word_b): relation} of the example's sub-word graph, by hand."""
    out = {}
    for (i, j), r in zip(ex.edge_index.t().tolist(), ex.edge_type.tolist(), strict=True):
        a, b = int(ex.word_ids[i]), int(ex.word_ids[j])
        if a >= 0 and b >= 0 and a != b:
            out[(a, b)] = min(r, out.get((a, b), r))
    return out


def test_counts_reconcile_and_truncation(tiny):
    _, tok, corpus = tiny
    examples, vocab, stats = prepare_mlgm_examples([corpus], tok, max_seq_len=12, progress=False)
    assert stats.read == stats.examples + sum(stats.skipped.values()) == len(examples)
    assert stats.truncated > 0 and stats.edges_dropped_by_truncation > 0
    assert all(e.input_ids.numel() <= 12 for e in examples)
    assert all(e.input_ids[-1] == tok.sep_token_id for e in examples)
    assert all(int(e.edge_index.max()) < 11 for e in examples if e.edge_index.numel())
    full, _, _ = prepare_mlgm_examples([corpus], tok, max_seq_len=512, progress=False)
    kept = sum(e.edge_type.numel() for e in examples)
    assert kept + stats.edges_dropped_by_truncation == sum(e.edge_type.numel() for e in full)


def test_skip_invalid_counts_and_unknown_relations(tiny):
    _, tok, _ = tiny
    bad = FIXTURES / "bad_malformed.txt"
    examples, _, stats = prepare_mlgm_examples([SAMPLE, bad], tok, skip_invalid=True, progress=False)
    assert sum(stats.skipped.values()) > 0
    assert stats.read == len(examples) + sum(stats.skipped.values())
    small = AMRVocab.build(list(read_amr(SAMPLE, progress=False))[:1])  # lacks most relations
    _, _, stats2 = prepare_mlgm_examples([SAMPLE], tok, vocab=small, progress=False)
    assert stats2.unknown_relation_edges > 0


def test_masking_is_deterministic_and_changes_per_epoch(lpp, tiny):
    examples, _, _ = lpp
    cfg = MaskingConfig.for_tokenizer(tiny[1])
    ds = MLGMDataset(examples, cfg, seed=3)
    a, b = ds[7], ds[7]
    assert all(torch.equal(a[k], b[k]) for k in a if k != "id")
    ds.set_epoch(1)
    c = ds[7]
    assert not all(torch.equal(a[k], c[k]) for k in ("labels", "relation_pairs") if a[k].shape == c[k].shape)


def test_masked_relations_are_removed_and_labelled(lpp, tiny):
    examples, _, _ = lpp
    cfg = MaskingConfig.for_tokenizer(tiny[1], mask_graph=0.3, negative_ratio=0.2)
    n_targets = n_masked_pairs = 0
    for idx, ex in enumerate(examples[:200]):
        item = mask_example(ex, cfg, torch.Generator().manual_seed(idx))
        table = _word_table(ex)
        word = ex.word_ids
        pairs, labels = item["relation_pairs"], item["relation_labels"]
        masked = {(int(word[i]), int(word[j])) for (i, j), r in zip(pairs.tolist(), labels.tolist(), strict=True)}
        # every predicted pair is a word's first sub-word, labelled with that direction's relation
        for (i, j), r in zip(pairs.tolist(), labels.tolist(), strict=True):
            a, b = int(word[i]), int(word[j])
            assert i == int(torch.nonzero(word == a)[0]) and j == int(torch.nonzero(word == b)[0])
            assert r == table.get((a, b), 0)
        positives = {(a, b) for a, b in masked if (a, b) in table or (b, a) in table}
        # both directions of a masked pair are predicted
        assert all((b, a) in masked for a, b in positives)
        # no sub-word edge between a masked word pair survives, in either direction
        for i, j in item["edge_index"].t().tolist():
            assert (int(word[i]), int(word[j])) not in positives
        # and every other edge does
        expected = sum(1 for i, j in ex.edge_index.t().tolist() if (int(word[i]), int(word[j])) not in positives)
        assert item["edge_index"].size(1) == expected
        n_targets += len(positives)
        n_masked_pairs += len({frozenset(p) for p in positives})
        related = len({frozenset(p) for p in table})
        assert len({frozenset(p) for p in positives}) == (max(1, round(0.3 * related)) if related else 0)
    assert n_targets > 100


def test_answers_never_reach_the_encoder(lpp, tiny):
    """Change the relation of every masked word pair in the source example: the masked input (and
    so every model output) is unchanged."""
    examples, vocab, _ = lpp
    cfg = MaskingConfig.for_tokenizer(tiny[1])
    config = AMRDebertaConfig(
        vocab_size=len(tiny[1]), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
        graph_num_relations=len(vocab.relations), graph_hidden_size=8, relative_attention=True, pos_att_type=["c2p", "p2c"],
    )
    torch.manual_seed(0)
    model = AMRDebertaForMaskedGraphModeling(config).eval()
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "graph_" in n:
                p.normal_(0, 0.2)
    collate = MLGMCollator(tiny[1].pad_token_id, max_k=3)
    ex = next(e for e in examples if e.edge_type.numel() > 6)
    item = mask_example(ex, cfg, torch.Generator().manual_seed(11))
    word = ex.word_ids
    masked_words = {frozenset((int(word[i]), int(word[j]))) for i, j in item["relation_pairs"].tolist()}
    changed = ex.edge_type.clone()
    for e, (i, j) in enumerate(ex.edge_index.t().tolist()):
        if frozenset((int(word[i]), int(word[j]))) in masked_words:
            changed[e] = 3 + (changed[e] + 1) % (len(vocab.relations) - 3)
    assert not torch.equal(changed, ex.edge_type)
    other = type(ex)(ex.id, ex.input_ids, ex.word_ids, ex.edge_index, changed)
    item2 = mask_example(other, cfg, torch.Generator().manual_seed(11))
    assert torch.equal(item["edge_type"], item2["edge_type"]) and torch.equal(item["edge_index"], item2["edge_index"])
    with torch.no_grad():
        b1, b2 = collate([{**item, "id": "a"}]), collate([{**item2, "id": "a"}])
        for b in (b1, b2):
            b.pop("relation_labels")
        o1, o2 = model(**b1), model(**b2)
    assert torch.equal(o1.relation_logits, o2.relation_logits)
    # whereas an unmasked word pair's relation does reach it (all its edges relabelled)
    pair_of = [frozenset((int(word[i]), int(word[j]))) for i, j in ex.edge_index.t().tolist()]
    target = next(p for p in pair_of if len(p) == 2 and p not in masked_words)
    on = torch.tensor([p == target for p in pair_of])
    leak = ex.edge_type.clone()
    leak[on] = 3 if int(leak[on].min()) != 3 else len(vocab.relations) - 1
    item3 = mask_example(type(ex)(ex.id, ex.input_ids, ex.word_ids, ex.edge_index, leak), cfg, torch.Generator().manual_seed(11))
    with torch.no_grad():
        b3 = collate([{**item3, "id": "a"}])
        b3.pop("relation_labels")
        o3 = model(**b3)
    assert not torch.equal(o1.relation_logits, o3.relation_logits)


def test_whole_word_80_10_10(lpp, tiny):
    examples, _, _ = lpp
    tok = tiny[1]
    cfg = MaskingConfig.for_tokenizer(tok, mask_text=0.15)
    masked = replaced = kept = 0
    for idx, ex in enumerate(examples):
        item = mask_example(ex, cfg, torch.Generator().manual_seed(idx))
        sel = item["labels"] != -100
        words = set(ex.word_ids[sel].tolist())
        assert -1 not in words
        for w in words:  # whole words: every sub-word of a chosen word is predicted
            assert bool(sel[ex.word_ids == w].all())
        assert torch.equal(item["labels"][sel], ex.input_ids[sel])
        got = item["input_ids"][sel]
        masked += int((got == tok.mask_token_id).sum())
        kept += int((got == ex.input_ids[sel]).sum())
        replaced += int(((got != tok.mask_token_id) & (got != ex.input_ids[sel])).sum())
    total = masked + kept + replaced
    assert abs(masked / total - 0.8) < 0.03
    assert abs(kept / total - 0.1) < 0.03  # a random token equal to the original counts as kept: rare
    assert abs(replaced / total - 0.1) < 0.03


def test_split_by_id():
    ids = [f"g{i}" for i in range(100)]
    tr, va = split_by_id(ids, 0.1, seed=5)
    assert len(va) == 10 and not set(tr) & set(va) and set(tr) | set(va) == set(ids)
    tr2, va2 = split_by_id(list(reversed(ids)), 0.1, seed=5)
    assert set(va2) == set(va)
    assert set(split_by_id(ids, 0.1, seed=6)[1]) != set(va)



def _hand_example(word_ids, edges, types):
    ids = torch.arange(10, 10 + len(word_ids))
    return MLGMExample("hand", ids, torch.tensor(word_ids), torch.tensor(edges).t().reshape(2, -1), torch.tensor(types))


def test_negative_shortfall_is_counted_by_hand():
    # 4 words (word 1 has two sub-words): w0 -> w1 a relation, w2 -> w3 only <unk> (1). Related
    # ordered word pairs: (0,1) (1,0) (2,3) (3,2), so 12 - 4 = 8 unrelated ones. One maskable pair
    # (0-1: <unk>-only pairs are no targets): 2 ordered pairs predicted, x5 = 10 negatives asked.
    four = _hand_example([-1, 0, 1, 1, 2, 3, -1], [(1, 2), (1, 3), (4, 5)], [5, 5, 1])
    # 3 words, every pair related: no negative exists; round(0.3 * 3) = 1 pair masked, 10 asked
    three = _hand_example([-1, 0, 1, 2, -1], [(1, 2), (2, 3), (1, 3)], [5, 6, 7])
    cfg = MaskingConfig(mask_text=0.0, mask_graph=0.3, negative_ratio=5.0)
    first = [1, 2, 4, 5]  # first sub-word of each word of `four`
    free = {(a, b) for a in range(4) for b in range(4) if a != b} - {(0, 1), (1, 0), (2, 3), (3, 2)}
    for seed in range(5):
        item = mask_example(four, cfg, torch.Generator().manual_seed(seed))
        got = item["relation_pairs"].tolist()
        assert got[:2] in ([[1, 2], [2, 1]], [[2, 1], [1, 2]]) and item["relation_labels"][:2].tolist() in ([5, 0], [0, 5])
        assert sorted(got[2:]) == sorted([first[a], first[b]] for a, b in free)  # all 8, each once
        assert item["relation_labels"][2:].tolist() == [0] * 8
        assert mask_example(three, cfg, torch.Generator().manual_seed(seed))["relation_pairs"].size(0) == 2
    assert negative_counts(four, cfg) == (10, 8) and negative_counts(three, cfg) == (10, 0)
    cfg.negative_ratio = 1.5  # round(1.5 * 2) = 3 of the 8
    assert negative_counts(four, cfg) == (3, 3)
    assert mask_example(four, cfg, torch.Generator().manual_seed(0))["relation_pairs"].size(0) == 2 + 3
    cfg.negative_ratio = 5.0
    stats = MLGMPrepStats()
    stats.count_negatives([four, three, four], cfg)
    assert (stats.negatives_requested, stats.negatives_sampled, stats.examples_short_of_negatives) == (30, 16, 3)
    assert stats.as_dict()["negatives_sampled"] == 16
