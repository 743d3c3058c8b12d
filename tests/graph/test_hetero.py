"""AMR -> HeteroData: layout, validate(), batching offsets (hand-computed, directed graphs) and the
round trip back to PENMAN, proven by labelled-graph isomorphism (networkx) on every public graph."""

from __future__ import annotations

import random

import networkx as nx
import penman
import pytest
import torch
from networkx.algorithms.isomorphism import categorical_multiedge_match, categorical_node_match
from penman.models import amr as amr_model
from torch_geometric.data import Batch
from torch_geometric.loader import DataLoader

from amrgnn.graph import AMRVocab, parse_amr, read_amr, to_hetero, to_penman

from ..conftest import SAMPLE, corpus_path

G1 = """# ::id g1
# ::tok a b c
(x / xa~e.0 :r1 (y / yb~e.1 :r2 (z / zc~e.2)))"""
G2 = """# ::id g2
# ::tok d e
(u / ud~e.1 :r2 (v / ve~e.0) :r3 "K"~e.0)"""


@pytest.fixture()
def pair():
    amrs = [parse_amr(G1), parse_amr(G2)]
    return amrs, AMRVocab.build(amrs)


def test_single_graph_layout(pair):
    (g1, _), vocab = pair
    d = to_hetero(g1, vocab, max_k=2)
    d.validate()
    assert d["concept"].num_nodes == 3 and d["token"].num_nodes == 3
    assert [vocab.concepts[i] for i in d["concept"].lemma.tolist()] == ["xa", "yb", "zc"]
    assert d["concept", "rel", "concept"].edge_index.tolist() == [[0, 1], [1, 2]]
    assert [vocab.relations[r] for r in d["concept", "rel", "concept"].edge_type.tolist()] == [":r1", ":r2"]
    assert d["concept", "rev_rel", "concept"].edge_index.tolist() == [[1, 2], [0, 1]]
    assert d["token", "aligned", "concept"].edge_index.tolist() == [[0, 1, 2], [0, 1, 2]]
    assert d["token", "hop2", "token"].edge_index.tolist() == [[0], [2]]
    assert d.top.tolist() == [0] and d.amr_id == "g1" and d.tokens == ["a", "b", "c"]


def test_batching_offsets_hand_computed(pair):
    amrs, vocab = pair
    b = Batch.from_data_list([to_hetero(a, vocab, max_k=2) for a in amrs])
    b.validate()
    # g1: 3 concepts, 3 tokens; g2: 3 nodes (u, v, constant "K"), 2 tokens
    assert b["concept"].num_nodes == 6 and b["token"].num_nodes == 5
    assert b["concept", "rel", "concept"].edge_index.tolist() == [[0, 1, 3, 3], [1, 2, 4, 5]]
    assert b["concept", "rev_rel", "concept"].edge_index.tolist() == [[1, 2, 4, 5], [0, 1, 3, 3]]
    # (token, aligned, concept): row 0 offset by g1's 3 tokens, row 1 by its 3 concepts
    assert b["token", "aligned", "concept"].edge_index.tolist() == [[0, 1, 2, 4, 3, 3], [0, 1, 2, 3, 4, 5]]
    assert b["concept", "rev_aligned", "token"].edge_index.tolist() == [[0, 1, 2, 3, 4, 5], [0, 1, 2, 4, 3, 3]]
    # token graphs: g1 0->1 (r1), 1->2 (r2); g2: token 1 (u) -> token 0 (v with r2, "K" with r3)
    assert b["token", "amr", "token"].edge_index.tolist() == [[0, 1, 4, 4], [1, 2, 3, 3]]
    assert b["token", "hop2", "token"].edge_index.tolist() == [[0], [2]]
    assert b.top.tolist() == [0, 3]  # explicit __inc__: offset by the concept count
    assert b["concept"].batch.tolist() == [0, 0, 0, 1, 1, 1]
    assert b["concept"].is_constant.tolist() == [False, False, False, False, False, True]
    assert b.amr_id == ["g1", "g2"]


def test_dataloader_batches(pair):
    amrs, vocab = pair
    loader = DataLoader([to_hetero(a, vocab, max_k=3) for a in amrs * 3], batch_size=4)
    sizes = [batch.num_graphs for batch in loader]
    assert sizes == [4, 2]


def test_unknown_labels_follow_the_policy(pair):
    amrs, vocab = pair
    d = to_hetero(parse_amr("(n / novel-02 :new-role (x / xa))"), vocab)
    assert d["concept"].lemma.tolist() == [1, vocab.concept_id("xa")]  # <unk>, xa
    assert d["concept"].sense.tolist() == [1, 0]  # unknown sense "02", no sense
    assert d["concept", "rel", "concept"].edge_type.tolist() == [1]


def _nx(graph: penman.Graph) -> nx.MultiDiGraph:
    """Labelled graph: variables and constants are nodes (labels: concept / constant), roles label edges."""
    g = nx.MultiDiGraph()
    for src, role, tgt in graph.triples:
        if role == ":instance":
            g.add_node(("v", src), label=tgt)
    consts = 0
    for src, role, tgt in graph.triples:
        if role == ":instance":
            continue
        if ("v", tgt) in g:
            g.add_edge(("v", src), ("v", tgt), label=role)
        else:
            consts += 1
            g.add_node(("c", consts), label=tgt)
            g.add_edge(("v", src), ("c", consts), label=role)
    g.graph["top"] = graph.top
    return g


def _round_trip(amr, vocab) -> penman.Graph:
    text = penman.encode(to_penman(to_hetero(amr, vocab), vocab, alignments=False), model=amr_model.model)
    return penman.decode(text, model=amr_model.model)


def _assert_isomorphic(amr, back):
    a, b = _nx(amr.graph), _nx(back)
    nm, em = categorical_node_match("label", None), categorical_multiedge_match("label", None)
    assert nx.is_isomorphic(a, b, node_match=nm, edge_match=em), amr.id
    # the top is preserved: same concept label at the top
    assert a.nodes[("v", amr.graph.top)]["label"] == b.nodes[("v", back.top)]["label"]


def test_round_trip_sample_keeps_alignments():
    amrs = list(read_amr(SAMPLE))
    vocab = AMRVocab.build(amrs)
    for amr in amrs:
        back = penman.decode(penman.encode(to_penman(to_hetero(amr, vocab), vocab), model=amr_model.model))
        _assert_isomorphic(amr, back)
        # alignments survive as ~e.N (same concept labels on the same tokens)
        from penman.surface import alignments

        def by_label(g):
            labels = {s: t for s, r, t in g.triples if r == ":instance"}
            return sorted((labels.get(tr[0]) if tr[1] == ":instance" else tr[2], tuple(al.indices)) for tr, al in alignments(g).items())

        assert by_label(back) == by_label(amr.graph)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    ["lpp-v3.0", "lpp-v1.6-training", "lpp-v1.6-dev", "lpp-v1.6-test", "bio-dev", "bio-dev-aligned", "qald9-train", "qald9-test"],
)
def test_round_trip_every_public_graph_isomorphic(name):
    amrs = list(read_amr(corpus_path(name)))
    vocab = AMRVocab.build(amrs)
    for amr in amrs:
        data = to_hetero(amr, vocab)
        data.validate()
        _assert_isomorphic(amr, _round_trip(amr, vocab))


@pytest.mark.corpus
def test_smatch_report(record_property):
    """smatch is reported, not used as the proof (its hill climbing can miss on identical graphs)."""
    smatch = pytest.importorskip("smatch")
    amrs = list(read_amr(corpus_path("qald9-test"))) + list(read_amr(corpus_path("lpp-v1.6-dev")))
    vocab = AMRVocab.build(amrs)
    random.seed(0)
    match = test = gold = 0
    for amr in amrs:
        gold_text = penman.encode(penman.Graph(amr.graph.triples, top=amr.graph.top), indent=None)
        back = _round_trip(amr, vocab)
        back_text = penman.encode(penman.Graph(back.triples, top=back.top), indent=None)
        smatch.match_triple_dict.clear()
        m, t, g = smatch.get_amr_match(back_text, gold_text)
        match, test, gold = match + m, test + t, gold + g
    f1 = 2 * match / (test + gold)
    record_property("smatch_f1", f1)
    print(f"smatch F1 of the round trip on {len(amrs)} graphs: {f1:.6f}")
    assert test == gold  # same number of triples on both sides
    assert f1 > 0.99


def test_subword_graph_with_a_real_tokenizer():
    from transformers import BertTokenizerFast

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "##b", "c", "d", "e", "##e"]
    tok = BertTokenizerFast(vocab={w: i for i, w in enumerate(words)}, do_lower_case=True)
    amr = parse_amr("# ::id s\n# ::tok a bb c\n(x / xa~e.0 :r1 (y / yb~e.1 :r2 (z / zc~e.2)))")
    vocab = AMRVocab.build([amr])
    d = to_hetero(amr, vocab, max_k=2, tokenizer=tok)
    d.validate()
    # [CLS] a b ##b c [SEP]: sub-words 2 and 3 are word 1
    assert d["subword"].num_nodes == 6
    assert d["subword", "of", "token"].edge_index.tolist() == [[1, 2, 3, 4], [0, 1, 1, 2]]
    # word edges 0->1 (r1), 1->2 (r2) inherited by every sub-word
    ei = d["subword", "amr", "subword"].edge_index.t().tolist()
    assert ei == [[1, 2], [1, 3], [2, 4], [3, 4]]
    assert d["subword", "hop2", "subword"].edge_index.tolist() == [[1], [4]]
    b = Batch.from_data_list([d, d])
    assert b["subword", "of", "token"].edge_index[:, 4:].tolist() == [[7, 8, 9, 10], [3, 4, 4, 5]]
    assert torch.equal(b["subword"].input_ids[:6], d["subword"].input_ids)
