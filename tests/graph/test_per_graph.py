"""The per-graph path (``to_hetero``, ``token_graph``, ``exact_k_hop`` on one AMR, in plain Python)
equals the bulk path (``encode_amrs`` over many graphs at once, in torch), attribute for attribute,
and does not go through the bulk machinery."""

from __future__ import annotations

import pytest
import torch
from transformers import BertTokenizerFast

from amrgnn.graph import (
    AMRVocab,
    EncodeOptions,
    columns,
    encode_amrs,
    exact_k_hop,
    khop,
    parse_amr,
    read_amr,
    to_hetero,
    token_graph,
)
from amrgnn.graph.aligner import align
from amrgnn.graph.convert import extract_arrays, token_graph_union
from amrgnn.graph.ragged import bool_tensor, flat, long_tensor

from ..conftest import SAMPLE, corpus_path

HAND = [
    "# ::id h1\n# ::tok a b c d\n(x / xa~e.0,3 :r1 (y / yb~e.1 :r2 (z / zc~e.2)) :r3 x :r4 \"K\"~e.3)",
    "# ::id h2\n# ::tok d e\n(u / ud :r2 (v / ve~e.0) :r3 \"K\"~e.1,0)",  # unaligned root: its descendants' tokens
    "# ::id h3\n# ::snt no alignments here\n(w / want-01 :ARG0 (b / boy))",
    "# ::id h4\n# ::tok\n(w / want-01)",  # no tokens at all
]
CONFIGS = [(0, False, False), (4, False, False), (3, True, False), (2, False, True), (4, True, True)]


def _tokenizer(amrs) -> BertTokenizerFast:
    """WordPiece over a third of the words plus letters, so most words split into several pieces."""
    words = sorted({t.lower() for a in amrs[::3] for t in a.tokens})
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    pieces = specials + [w for w in words if w not in specials] + letters + [f"##{c}" for c in letters]
    return BertTokenizerFast(vocab={t: i for i, t in enumerate(dict.fromkeys(pieces))}, do_lower_case=True)


def _assert_same(a, b) -> None:
    assert a.node_types == b.node_types and a.edge_types == b.edge_types
    for sa, sb in zip(a.stores, b.stores, strict=True):
        assert list(sa.keys()) == list(sb.keys())
        for key in sa.keys():
            x, y = sa[key], sb[key]
            if isinstance(x, torch.Tensor):
                assert x.dtype == y.dtype and x.shape == y.shape and torch.equal(x, y), key
            else:
                assert x == y, key


def _check(amrs, configs) -> None:
    vocab = AMRVocab.build(amrs[: max(1, len(amrs) // 2)])  # the rest has unknown labels
    tok = _tokenizer(amrs)
    for max_k, undirected, with_tok in configs:
        t = tok if with_tok else None
        bulk = encode_amrs(amrs, vocab, options=EncodeOptions(max_k=max_k, undirected=undirected), tokenizer=t)
        for i, amr in enumerate(amrs):
            one = to_hetero(amr, vocab, max_k=max_k, undirected=undirected, tokenizer=t)
            _assert_same(one, bulk.get(i))
            one.validate()
            ei, et = token_graph(amr, vocab)
            assert torch.equal(ei, one["token", "amr", "token"].edge_index) and torch.equal(et, one["token", "amr", "token"].edge_type)
            for k, h in enumerate(exact_k_hop(ei, len(amr.tokens), max_k, undirected=undirected), 1):
                assert torch.equal(h, one["token", f"hop{k}", "token"].edge_index)


@pytest.mark.parametrize("config", CONFIGS)
def test_to_hetero_equals_bulk_hand_and_sample(config):
    _check([parse_amr(t) for t in HAND] + list(read_amr(SAMPLE)), [config])


def test_big_graphs_fall_back_to_torch(monkeypatch):
    monkeypatch.setattr(khop, "SMALL_GRAPH_EDGES", 0)
    _check([parse_amr(t) for t in HAND] + list(read_amr(SAMPLE)), [(4, False, True), (3, True, False)])


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "n"), [("bio-dev-aligned", 500), ("lpp-v3.0", 300), ("qald9-train", 408)])
def test_to_hetero_equals_bulk_on_corpora(name, n):
    amrs = [align(a) for a, _ in zip(read_amr(corpus_path(name)), range(n), strict=False)]
    _check(amrs, [(4, False, False), (3, True, False)])
    _check(amrs[:60], [(4, False, True)])  # letter-split sub-word graphs are large: fewer of them


def test_token_edges_equal_the_torch_union():
    amrs = [align(parse_amr(t)) for t in HAND] + [align(a) for a in read_amr(SAMPLE)]
    vocab = AMRVocab.build(amrs)
    arrs = [extract_arrays(a, vocab) for a in amrs]
    union, types, tok_ptr = token_graph_union(arrs)
    for g, amr in enumerate(amrs):
        ei, et = token_graph(amr, vocab)
        lo, hi = int(tok_ptr[g]), int(tok_ptr[g + 1])
        mask = (union[0] >= lo) & (union[0] < hi)
        assert torch.equal(ei, union[:, mask] - lo) and torch.equal(et, types[mask])


def test_per_graph_path_skips_the_bulk_machinery(monkeypatch):
    """One graph goes through plain Python lists: no chunked encoding, no vectorised k-hop."""

    def forbidden(*args, **kwargs):
        raise AssertionError("bulk machinery used for one small graph")

    monkeypatch.setattr(columns, "encode_amrs", forbidden)
    monkeypatch.setattr(columns, "_encode_chunk", forbidden)
    monkeypatch.setattr(khop, "_unique_min_type", forbidden)
    amr = list(read_amr(SAMPLE))[1]
    vocab = AMRVocab.build([amr])
    data = to_hetero(amr, vocab, max_k=4, tokenizer=_tokenizer([amr]))
    assert data["token", "hop2", "token"].edge_index.size(1) > 0 and data["subword"].num_nodes > 0
    ei, _ = token_graph(amr, vocab)
    assert len(exact_k_hop(ei, len(amr.tokens), 4)) == 4


def test_tensor_helpers():
    assert long_tensor([]).dtype == torch.long and long_tensor([]).shape == (0,)
    assert long_tensor(range(3)).tolist() == [0, 1, 2] and long_tensor([2**40]).item() == 2**40
    assert bool_tensor([]).dtype == torch.bool and bool_tensor([True, False]).tolist() == [True, False]
    assert flat([[1, 2], [], [3]]).tolist() == [1, 2, 3] and flat([[True], [False]], torch.bool).dtype == torch.bool
    assert flat([[1.5]], torch.float).tolist() == [1.5]
    t = long_tensor([1, 2, 3])
    t.share_memory_()  # a DataLoader worker can send it
    assert t.is_shared() and t.tolist() == [1, 2, 3]
