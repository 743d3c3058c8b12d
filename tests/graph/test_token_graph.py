"""The word-level token graph (reference semantics, hand-computed) and its sub-word projection
(against a dense formula)."""

from __future__ import annotations

import torch

from amrgnn.graph import (
    INSTANCE_ID,
    AMRVocab,
    node_token_sets,
    parse_amr,
    project_to_subwords,
    read_amr,
    token_graph,
)

from ..conftest import SAMPLE


def _triples(amr, vocab):
    ei, et = token_graph(amr, vocab)
    return {(a, b, vocab.relations[r]) for (a, b), r in zip(ei.t().tolist(), et.tolist(), strict=True)}


def test_reference_semantics_hand_computed():
    amrs = {a.id: a for a in read_amr(SAMPLE)}
    vocab = AMRVocab.build(amrs.values())
    # "The boy wants to go ." want~2 :ARG0 boy~1 :ARG1 go~4 :ARG0 boy (reentrant)
    assert _triples(amrs["sample.1"], vocab) == {(2, 1, ":ARG0"), (2, 4, ":ARG1"), (4, 1, ":ARG0")}
    # person and name are unaligned: they stand for "John" (0); city/name for "Paris" (8)
    t = _triples(amrs["sample.2"], vocab)
    assert (3, 0, ":ARG0") in t  # eat -> person(=John)
    assert (3, 8, ":location") in t  # eat -> city(=Paris)
    assert (3, 2, ":polarity") in t and (6, 5, ":mod") in t and (3, 9, ":time") in t
    # person :name name: both stand for token 0 -> a self-loop, dropped; same for :op1
    assert not any(a == b for a, b, _ in t)
    assert len(t) == 6
    # "The cat that the dog chased ran away ." chase-01 :ARG1 cat is canonical (chase -> cat)
    t = _triples(amrs["sample.3"], vocab)
    assert (5, 1, ":ARG1") in t and (5, 4, ":ARG0") in t and (6, 1, ":ARG0") in t and (6, 7, ":direction") in t


def test_instance_links_and_descendants():
    amr = parse_amr(
        "# ::tok the growth factor of New York\n"
        "(f / growth-factor~e.1,2 :poss (p / person :ARG0-of (h / have-org-role-91 :ARG2 (m / mayor~e.5))))"
    )
    vocab = AMRVocab.build([amr])
    t = _triples(amr, vocab)
    assert (1, 2, ":instance") in t and (2, 1, ":instance") in t
    assert vocab.relations[INSTANCE_ID] == ":instance"
    # person (unaligned) stands for its surface child have-org-role-91, which stands for mayor (5);
    # the canonical edge is have-org-role-91 -> person, so the token edge would be a self-loop
    sets = node_token_sets(amr)
    assert sets == [(1, 2), (5,), (5,), (5,)]
    assert (1, 5, ":poss") in t and (2, 5, ":poss") in t


def test_unaligned_graph_has_no_token_edges():
    amr = parse_amr("# ::snt a boy\n(b / boy)")
    ei, et = token_graph(amr, AMRVocab.build([amr]))
    assert ei.shape == (2, 0) and et.shape == (0,)


def _dense_projection(edge_index, edge_type, word_ids, num_relations):
    s = word_ids.numel()
    dense = torch.zeros(num_relations, s, s, dtype=torch.bool)
    for (i, j), r in zip(edge_index.t().tolist(), edge_type.tolist(), strict=True):
        a = (word_ids == i).nonzero().view(-1)
        b = (word_ids == j).nonzero().view(-1)
        dense[r][a.view(-1, 1), b.view(1, -1)] = True
    return dense


def test_projection_matches_dense_formula():
    gen = torch.Generator().manual_seed(1)
    for _ in range(30):
        n_words = int(torch.randint(1, 8, (1,), generator=gen))
        pieces = torch.randint(0, 4, (n_words,), generator=gen)  # 0 pieces: truncated away
        word_ids = torch.cat([torch.tensor([-1]), torch.repeat_interleave(torch.arange(n_words), pieces), torch.tensor([-1])])
        word_ids = word_ids[torch.randperm(word_ids.numel(), generator=gen)]  # need not be contiguous
        m = int(torch.randint(0, 12, (1,), generator=gen))
        ei = torch.randint(0, n_words, (2, m), generator=gen)
        et = torch.randint(0, 3, (m,), generator=gen)
        got_ei, got_et = project_to_subwords(ei, et, word_ids, n_words)
        got = torch.zeros(3, word_ids.numel(), word_ids.numel(), dtype=torch.bool)
        got[got_et, got_ei[0], got_ei[1]] = True
        assert torch.equal(got, _dense_projection(ei, et, word_ids, 3))
        assert got_ei.size(1) == int(got.sum())  # no duplicates


def test_reentrant_references_are_not_tree_edges():
    # go-02 is unaligned; boy is reachable from it only through a re-entrant reference
    amr = parse_amr("# ::tok the boy wants\n(w / want-01~e.2 :ARG0 (b / boy~e.1) :ARG1 (g / go-02 :ARG0 b))")
    assert node_token_sets(amr) == [(2,), (1,), ()]
    # without layout (a graph built in memory), edges are read in their canonical direction
    import dataclasses

    import penman

    bare = dataclasses.replace(amr, graph=penman.Graph(amr.graph.triples, top="w"))
    assert node_token_sets(bare) == [(2,), (1,), (1,)]
