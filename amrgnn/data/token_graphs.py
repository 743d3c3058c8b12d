"""Word-level AMR token graphs as a prediction target: gold graphs from aligned AMRs, their
encoding for :class:`~amrgnn.models.AMRDebertaForTokenGraph`, and batching.

A token graph is a set of labelled ordered word pairs ``(i, j, r)`` (``i != j``): every AMR edge
links the words of its source concept to the words of its target, and the words of one concept are
linked by ``:instance`` (:func:`~amrgnn.graph.token_graph`). Relation ids are an
:class:`~amrgnn.graph.AMRVocab`'s, so an MLGM checkpoint's ids keep their meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from ..graph.vocab import NONE_ID

__all__ = [
    "TokenGraphCollator", "TokenGraphEncodeStats", "TokenGraphExample", "WordGraph", "aligned", "encode_word_graphs",
    "gold_word_graphs", "named_triples", "read_token_graphs",
]


@dataclass
class WordGraph:
    """One sentence and its word-level graph (``edges``: ``[E, 3]`` rows ``(i, j, r)``)."""

    id: str
    tokens: list[str]
    edges: Tensor = field(default_factory=lambda: torch.empty(0, 3, dtype=torch.long))


@dataclass
class TokenGraphExample:
    """One encoded sentence.

    Attributes:
        input_ids: ``[L]`` sub-word ids (with the tokenizer's special tokens).
        word_ids: ``[L]`` word of each position, ``-1`` for special tokens.
        num_words: words that kept at least one sub-word (a prefix of the sentence).
        edges: ``[E, 3]`` gold ``(i, j, r)`` between kept words (empty when unknown).
    """

    index: int
    input_ids: Tensor
    word_ids: Tensor
    num_words: int
    edges: Tensor


@dataclass
class TokenGraphEncodeStats:
    """What the encoding cut: sentences truncated, words without sub-words, gold edges lost with
    them, and word pairs carrying more than one relation (all are scored; one is trained on)."""

    sentences: int = 0
    truncated: int = 0
    words_cut: int = 0
    edges: int = 0
    edges_cut: int = 0
    multi_relation_pairs: int = 0


def encode_word_graphs(
    graphs: Sequence[WordGraph], tokenizer: Any, *, max_seq_len: int = 256
) -> tuple[list[TokenGraphExample], TokenGraphEncodeStats]:
    """Tokenise each sentence's words (``is_split_into_words``) and keep the edges of the words
    that fit in ``max_seq_len`` sub-words."""
    stats = TokenGraphEncodeStats()
    enc = tokenizer([g.tokens for g in graphs], is_split_into_words=True, truncation=True, max_length=max_seq_len,
                    verbose=False)
    out = []
    for k, g in enumerate(graphs):
        stats.sentences += 1
        word_ids = torch.tensor([-1 if w is None else w for w in enc.word_ids(k)], dtype=torch.long)
        kept = int(word_ids.max()) + 1 if word_ids.numel() and int(word_ids.max()) >= 0 else 0
        if kept < len(g.tokens):
            stats.truncated += 1
            stats.words_cut += len(g.tokens) - kept
        edges = g.edges.view(-1, 3)
        stats.edges += edges.size(0)
        inside = (edges[:, 0] < kept) & (edges[:, 1] < kept)
        stats.edges_cut += int((~inside).sum())
        edges = edges[inside]
        if edges.numel():
            pairs = edges[:, 0] * max(kept, 1) + edges[:, 1]
            stats.multi_relation_pairs += int(edges.size(0) - torch.unique(pairs).numel())
        out.append(TokenGraphExample(k, torch.tensor(enc["input_ids"][k], dtype=torch.long), word_ids, kept, edges))
    return out, stats


class TokenGraphCollator:
    """Pads a batch; gold graphs become a dense ``[B, W, W]`` arc matrix and the labelled arcs a list.

    A pair can carry several relations (14% of the pairs of the public AMR files do, mostly
    ``:name`` with ``:op1`` where a name's words meet): ``rel_labels`` is multi-hot.

    Batch keys: ``input_ids``, ``attention_mask`` ``[B, L]``; ``word_ids`` ``[B, L]`` (``-1``:
    special or padding); ``word_mask`` ``[B, W]``; ``arc_labels`` ``[B, W, W]`` float; ``rel_pairs``
    ``[P, 3]`` (batch, i, j) and ``rel_labels`` ``[P, R]`` float (``R = num_relations``); ``index`` ``[B]``.
    """

    def __init__(self, pad_token_id: int, *, with_labels: bool = True, num_relations: int | None = None) -> None:
        if with_labels and not num_relations:
            raise ValueError("num_relations is needed for the multi-hot relation labels")
        self.pad_token_id = pad_token_id
        self.with_labels = with_labels
        self.num_relations = num_relations

    def __call__(self, items: Sequence[TokenGraphExample]) -> dict[str, Tensor]:
        b = len(items)
        length = max(it.input_ids.numel() for it in items)
        words = max(max(it.num_words for it in items), 1)
        input_ids = torch.full((b, length), self.pad_token_id, dtype=torch.long)
        attention = torch.zeros(b, length, dtype=torch.long)
        word_ids = torch.full((b, length), -1, dtype=torch.long)
        word_mask = torch.zeros(b, words, dtype=torch.bool)
        for r, it in enumerate(items):
            n = it.input_ids.numel()
            input_ids[r, :n], attention[r, :n], word_ids[r, :n] = it.input_ids, 1, it.word_ids
            word_mask[r, : it.num_words] = True
        batch = {"input_ids": input_ids, "attention_mask": attention, "word_ids": word_ids, "word_mask": word_mask,
                 "index": torch.tensor([it.index for it in items], dtype=torch.long)}
        if self.with_labels:
            arcs = torch.zeros(b, words, words)
            labelled: dict[tuple[int, int, int], set[int]] = {}
            for r, it in enumerate(items):
                for i, j, rel in it.edges.tolist():
                    arcs[r, i, j] = 1.0
                    if rel != NONE_ID:
                        labelled.setdefault((r, i, j), set()).add(rel)
            keys = sorted(labelled)
            multi_hot = torch.zeros(len(keys), self.num_relations)
            for k, key in enumerate(keys):
                multi_hot[k, sorted(labelled[key])] = 1.0
            batch["arc_labels"] = arcs
            batch["rel_pairs"] = torch.tensor(keys, dtype=torch.long).view(-1, 3)
            batch["rel_labels"] = multi_hot
        return batch


def aligned(amr: Any, align_missing: bool = True) -> tuple[Any, str]:
    """The AMR with word alignments and where they come from: ``"isi"`` (its own ``~e.N``), or
    ``"aligner"`` (the built-in rule-based aligner, when the graph has none)."""
    if amr.alignments or not align_missing:
        return amr, "isi"
    from ..graph.aligner import align

    return align(amr), "aligner"


def gold_word_graphs(amrs: Sequence[Any], vocab: Any, *, align_missing: bool = True) -> tuple[list[WordGraph], dict[str, int]]:
    """The token graphs of AMRs (aligned by ISI marks, else by the built-in aligner) as
    :class:`WordGraph` with ``vocab``'s relation ids, and how many graphs each alignment source gave."""
    from ..graph.convert import token_graph

    out, sources = [], {"isi": 0, "aligner": 0}
    for amr in amrs:
        amr, source = aligned(amr, align_missing)
        sources[source] += 1
        ei, et = token_graph(amr, vocab)
        out.append(WordGraph(amr.id, list(amr.tokens), torch.cat([ei.t(), et.view(-1, 1)], 1).long()))
    return out, sources


def named_triples(graph: WordGraph, relations: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(i, j, relation name)`` of a word graph."""
    return [(i, j, relations[r]) for i, j, r in graph.edges.tolist()]


def read_token_graphs(path: Any) -> dict[str, tuple[list[str], list[tuple[int, int, str]]]]:
    """A ``parse`` output (JSON lines ``{"id", "tokens", "edges": [[i, j, relation], ...]}``) by id.

    Raises:
        InputError: naming the file and line of a record that is not such an object, an edge whose
            words are out of range or equal, or a repeated id.
    """
    import json

    from ..errors import InputError

    out: dict[str, tuple[list[str], list[tuple[int, int, str]]]] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{n}: not JSON ({e.msg})") from e
            if not isinstance(rec, dict) or not isinstance(rec.get("tokens"), list) or not isinstance(rec.get("edges"), list):
                raise InputError(f"{path}:{n}: expected an object with 'id', 'tokens' and 'edges'")
            sid, tokens = str(rec.get("id")), [str(t) for t in rec["tokens"]]
            if sid in out:
                raise InputError(f"{path}:{n}: sentence {sid!r} repeats")
            edges = []
            for e in rec["edges"]:
                ok = isinstance(e, list) and len(e) == 3 and all(isinstance(x, int) and not isinstance(x, bool) for x in e[:2])
                if not ok or not isinstance(e[2], str) or not (0 <= e[0] < len(tokens) and 0 <= e[1] < len(tokens)) or e[0] == e[1]:
                    raise InputError(f"{path}:{n}: sentence {sid!r}: bad edge {e!r} (want [i, j, relation], 0 <= i != j < {len(tokens)})")
                edges.append((e[0], e[1], e[2]))
            out[sid] = (tokens, edges)
    return out
