"""The token-graph predictor's pieces against hand-computed cases and dense formulas: multi-hot
relation labels, the loss, the distance bias, multi-label decoding, the plain baselines."""

from __future__ import annotations

import math

import pytest
import torch

from amrgnn.data.token_graph_predictor import decode, predict_candidates
from amrgnn.data.token_graphs import TokenGraphCollator, TokenGraphExample, WordGraph
from amrgnn.graph.vocab import NONE_ID, UNK_ID
from amrgnn.models import AMRDebertaConfig
from amrgnn.models.token_graph import AMRDebertaForTokenGraph
from amrgnn.tasks.parser.baselines import AdjacentWordsBaseline, PairMemoryBaseline

from ..models.conftest import TINY

R = 8  # relations; ids 0 and 1 are <none> and <unk> (reserved), 2.. real ones


def example(index: int, n_words: int, edges: list[tuple[int, int, int]]) -> TokenGraphExample:
    # one sub-word per word between [CLS] and [SEP]
    ids = torch.tensor([2, *range(10, 10 + n_words), 3])
    word_ids = torch.tensor([-1, *range(n_words), -1])
    return TokenGraphExample(index, ids, word_ids, n_words, torch.tensor(edges, dtype=torch.long).view(-1, 3))


def tiny_model(**extra) -> AMRDebertaForTokenGraph:
    torch.manual_seed(0)
    config = AMRDebertaConfig(**TINY, graph_attention="none", tg_num_relations=R, tg_arc_size=16, tg_label_size=8,
                              tg_arc_pos_weight=3.0, **extra)
    return AMRDebertaForTokenGraph(config).eval()


def test_collator_multi_hot_relations():
    items = [example(0, 3, [(0, 1, 4), (0, 1, 5), (2, 0, 3)]), example(1, 2, [(1, 0, 2), (1, 0, NONE_ID)])]
    batch = TokenGraphCollator(0, num_relations=R)(items)
    assert batch["word_mask"].tolist() == [[True, True, True], [True, True, False]]
    arcs = torch.zeros(2, 3, 3)
    arcs[0, 0, 1] = arcs[0, 2, 0] = arcs[1, 1, 0] = 1.0
    assert torch.equal(batch["arc_labels"], arcs)
    assert batch["rel_pairs"].tolist() == [[0, 0, 1], [0, 2, 0], [1, 1, 0]]
    expected = torch.zeros(3, R)
    expected[0, [4, 5]] = 1.0  # one pair, two relations
    expected[1, 3] = expected[2, 2] = 1.0  # <none> is an arc without a relation label
    assert torch.equal(batch["rel_labels"], expected)
    with pytest.raises(ValueError, match="num_relations"):
        TokenGraphCollator(0)


def test_loss_is_the_dense_formula():
    model = tiny_model()
    items = [example(0, 4, [(0, 1, 4), (0, 1, 5), (3, 2, 2)]), example(1, 3, [(2, 0, 6)])]
    batch = TokenGraphCollator(0, num_relations=R)(items)
    with torch.no_grad():  # zero-initialised scorers would make every arc logit 0
        model.arc_scorer.weight.normal_()
        model.arc_distance.weight.normal_()
        out = model(**batch)
    assert out.arc_logits.std() > 0.1
    logits, rel = out.arc_logits.double(), out.rel_logits.double()
    # arc BCE over real, off-diagonal pairs, edges weighted by pos_weight
    terms = []
    for b, n in enumerate((4, 3)):
        for i in range(n):
            for j in range(n):
                if i != j:
                    y, x = float(batch["arc_labels"][b, i, j]), float(logits[b, i, j])
                    p = 1 / (1 + math.exp(-x))
                    terms.append(-(3.0 * y * math.log(p) + (1 - y) * math.log(1 - p)))
    arc = sum(terms) / len(terms)
    y = batch["rel_labels"].double()
    p = torch.sigmoid(rel)
    relation = (-(y * p.log() + (1 - y) * (1 - p).log())).sum(-1).mean().item()
    assert out.loss.item() == pytest.approx(arc + relation, rel=1e-5)


def test_distance_bias_adds_per_signed_distance():
    model = tiny_model(tg_max_distance=2)
    with torch.no_grad():
        model.arc_scorer.weight.zero_()  # the biaffine part says nothing
        model.arc_distance.weight.copy_(torch.tensor([[-2.0], [-1.0], [0.0], [1.0], [2.0]]))  # j - i = -2..2
    words = torch.randn(1, 5, TINY["hidden_size"])
    logits = model.arc_logits(words)[0]
    for i in range(5):
        for j in range(5):
            assert logits[i, j].item() == pytest.approx(max(-2, min(2, j - i)))
    off = tiny_model(tg_max_distance=0)
    assert off.arc_distance is None


def test_multi_label_candidates_and_decode(monkeypatch):
    model = tiny_model()
    items = [example(0, 3, [])]
    collator = TokenGraphCollator(0, with_labels=False)

    def arcs(words):  # only 0 -> 1 (p = 0.88) and 2 -> 0 (p = 0.27) are likely
        out = torch.full((1, 3, 3), -10.0)
        out[0, 0, 1], out[0, 2, 0] = 2.0, -1.0
        return out

    def rels(words, pairs):
        out = torch.full((pairs.size(0), R), -5.0)
        for k, (_, i, j) in enumerate(pairs.tolist()):
            if (i, j) == (0, 1):
                out[k, [3, 6]] = 3.0  # two relations above 0.5
                out[k, UNK_ID] = 9.0  # reserved ids are never predicted
            else:
                out[k, 4] = -1.0  # below 0.5, but the most likely one
        return out

    monkeypatch.setattr(model, "arc_logits", arcs)
    monkeypatch.setattr(model, "rel_logits", rels)
    cands = predict_candidates(model, items, collator, min_prob=0.05)[0]
    got = sorted((i, j, round(p, 2), r) for i, j, p, r in cands)
    assert got == [(0, 1, 0.88, 3), (0, 1, 0.88, 6), (2, 0, 0.27, 4)]
    assert sorted(decode(cands, 0.5)) == [(0, 1, 3), (0, 1, 6)]
    assert len(decode(cands, 0.2)) == 3


def test_baselines_by_hand():
    relations = ["<none>", "<unk>", ":ARG0", ":ARG1", ":mod"]
    graphs = [
        WordGraph("a", ["the", "boy", "runs"], torch.tensor([[2, 1, 2], [1, 0, 4]])),
        WordGraph("b", ["a", "boy", "runs", "fast"], torch.tensor([[2, 1, 2], [2, 3, 4]])),
        WordGraph("c", ["boy", "runs"], torch.tensor([[1, 0, 2]])),
    ]
    adjacent = AdjacentWordsBaseline().fit(graphs, relations)
    # neighbour edges: four point left (2->1 twice, 1->0 twice), one right (2->3); :ARG0 x3 beats :mod x2
    assert (adjacent.offset, adjacent.relation) == (-1, ":ARG0")
    assert adjacent.predict(["x", "y", "z"]) == [(1, 0, ":ARG0"), (2, 1, ":ARG0")]
    memory = PairMemoryBaseline(max_distance=2).fit(graphs, relations)
    # (runs, boy) at distance -1: seen 3 times, linked 3 times, always :ARG0; (boy, the) once, linked
    # once; (runs, the) at -2 seen once, never linked; (runs, fast) linked once of once
    assert sorted(memory.predict(["the", "boy", "runs", "fast"])) == [(1, 0, ":mod"), (2, 1, ":ARG0"), (2, 3, ":mod")]
    # an unseen pair at a new distance backs off to the pair at any distance
    assert memory.predict(["runs", "x", "boy"]) == [(0, 2, ":ARG0")]
    assert memory.predict(["cat", "dog"]) == []


def test_train_fraction_keeps_a_stable_subset(tmp_path):
    from amrgnn.tasks.parser.config import ParserConfig
    from amrgnn.tasks.parser.train import select_graphs

    from ..conftest import SAMPLE

    full = select_graphs(ParserConfig(data=[str(SAMPLE)], output_dir=str(tmp_path), dev=[str(SAMPLE)], progress=False))
    half = select_graphs(ParserConfig(data=[str(SAMPLE)], output_dir=str(tmp_path), dev=[str(SAMPLE)], progress=False,
                                      train_fraction=0.5))
    assert len(full.train) == 3 and len(half.train) == 2  # ceil(0.5 * 3), by id
    assert {a.id for a in half.train} <= {a.id for a in full.train} and half.train_ids == [a.id for a in half.train]
    with pytest.raises(Exception, match="train-fraction"):
        ParserConfig(data=[str(SAMPLE)], output_dir=str(tmp_path), train_fraction=0.0)
