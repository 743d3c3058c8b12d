"""EE features: BIO decoding by hand, labels and pairs of a hand-made sentence, truncation counts."""

from __future__ import annotations

import torch
from transformers import BertTokenizerFast

from amrgnn.data.ee import EECollator, EELabels, bio_spans, encode_sentences
from amrgnn.data.events import Argument, EntityMention, EventMention, Sentence


def _tok():
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "rebels", "attack", "##ed", "the", "base", "and", "fled"]
    return BertTokenizerFast(vocab={w: i for i, w in enumerate(words)}, do_lower_case=True)


def _sentence():
    ents = [EntityMention("m1", 0, 1), EntityMention("m2", 2, 4)]
    ev1 = EventMention("Attack", 1, 2, [Argument(0, 1, "Attacker", "m1"), Argument(2, 4, "Target", "m2")])
    ev2 = EventMention("Flee", 5, 6, [Argument(0, 1, "Agent", "m1")])
    return Sentence("s1", ["Rebels", "attacked", "the", "base", "and", "fled"], ents, [ev1, ev2])


def test_bio_spans_by_hand():
    tags = ["O", "B-A", "I-A", "O", "I-B", "B-A", "B-A", "I-B"]
    assert bio_spans(tags) == [(1, 3, "A"), (4, 5, "B"), (5, 6, "A"), (6, 7, "A"), (7, 8, "B")]
    assert bio_spans(["B-Life:Die-x"]) == [(0, 1, "Life:Die-x")]


def test_labels_pairs_and_word_index():
    s = _sentence()
    labels = EELabels.from_sentences([s])
    assert labels.event_types == ["Attack", "Flee"] and labels.roles == ["<none>", "Agent", "Attacker", "Target"]
    assert labels.trigger_bio == ["O", "B-Attack", "I-Attack", "B-Flee", "I-Flee"]
    (ex,), stats = encode_sentences([s], _tok(), labels)
    # [CLS] rebels attack ##ed the base and fled [SEP]
    assert ex.word_index.tolist() == [1, 2, 4, 5, 6, 7]
    assert ex.trigger_labels.tolist() == [0, 1, 0, 0, 0, 3]
    assert ex.entity_labels.tolist() == [1, 0, 1, 2, 0, 0]
    got = {tuple(p): r for p, r in zip(ex.pairs.tolist(), ex.pair_labels.tolist(), strict=True)}
    assert got == {(1, 2, 0, 1): 2, (1, 2, 2, 4): 3, (5, 6, 0, 1): 1, (5, 6, 2, 4): 0}
    assert stats.truncated == 0 and stats.arguments_not_candidates == 0
    batch = EECollator(0, with_entities=True)([ex, ex])
    assert batch["argument_pairs"].shape == (8, 5) and batch["argument_pairs"][4:, 0].tolist() == [1, 1, 1, 1]
    assert torch.equal(batch["trigger_labels"][1], ex.trigger_labels)


def test_truncation_and_conflicts_are_counted():
    s = _sentence()
    s.events.append(EventMention("Flee", 1, 2, []))  # a second type on "attacked"
    labels = EELabels.from_sentences([s])
    (ex,), stats = encode_sentences([s], _tok(), labels, max_seq_len=5)  # [CLS] rebels attack ##ed [SEP]
    assert stats.truncated == 1 and stats.words_cut == 4
    assert stats.triggers_cut == 1  # "fled"
    assert stats.arguments_cut == 1  # "the base" as the Attack's Target (Flee on "fled" is cut whole)
    assert stats.trigger_label_conflicts == 1
    assert ex.trigger_labels.tolist()[2:] == [-100, -100, -100, -100]
