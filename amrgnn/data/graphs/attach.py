"""Sub-word token graphs for event-extraction sentences, from any :class:`GraphSource`.

ISI alignments are used when a graph's tokens are the sentence's, otherwise the built-in aligner
aligns the graph to the sentence's words. The relation vocabulary is the backbone's (an MLGM
checkpoint's ``amr_vocab.json``) so that pre-trained relation ids keep their meaning, else built
from the graphs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from ...graph.aligner import align
from ...graph.columns import EncodeOptions, encode_amrs
from ...graph.hetero import SUBWORD
from ...graph.io import AMR
from ...graph.subword import project_to_subwords, word_ids_tensor
from ...graph.vocab import NONE, PAD, RELATION_SPECIALS, UNK, UNK_ID, AMRVocab
from ..events import Sentence
from .base import GraphSource

__all__ = ["VOCAB_FILE", "attach_graphs"]

VOCAB_FILE = "amr_vocab.json"


def _fit(amr: AMR, sentence: Sentence) -> AMR:
    """The graph aligned to the sentence's words."""
    if amr.tokens == sentence.tokens:
        return amr if amr.alignments else align(amr)
    bare = dataclasses.replace(
        amr, tokens=list(sentence.tokens), alignments={}, constant_alignments={}, role_alignments={}, reentrancy_alignments={}
    )
    return align(bare)


def attach_graphs(
    source: GraphSource,
    sentences: Sequence[Sentence],
    tokenizer: Any,
    *,
    vocab: AMRVocab | None = None,
    backbone: Path | None = None,
) -> tuple[list[tuple[Tensor, Tensor] | None] | None, dict[str, Any], AMRVocab | None]:
    """Sub-word token graphs for ``sentences`` (positions of ``tokenizer(tokens,
    is_split_into_words=True)``), the coverage report and the relation vocabulary.

    Returns:
        ``(graphs, stats, vocab)``: per sentence ``(edge_index [2, E], edge_type [E])`` or
        ``None``; ``graphs`` and ``vocab`` are ``None`` for a source without graphs.
    """
    n = len(sentences)
    if not source.uses_graphs:
        return None, {"source": source.spec, "sentences": n, "with_graph": 0}, vocab
    if vocab is None and backbone is not None and (Path(backbone) / VOCAB_FILE).is_file():
        vocab = AMRVocab.load(Path(backbone) / VOCAB_FILE)
    if source.produces == "words":
        return _attach_word_graphs(source, sentences, tokenizer, vocab)
    amrs = source.amrs(sentences)
    fitted = [_fit(a, s) if a is not None else None for a, s in zip(amrs, sentences, strict=True)]
    if vocab is None:
        vocab = AMRVocab.build([a for a in fitted if a is not None])
    present = [(i, a) for i, a in enumerate(fitted) if a is not None]
    graphs: list[tuple[Tensor, Tensor] | None] = [None] * n
    relations = aligned_tokens = tokens = 0
    if present:
        cols = encode_amrs([a for _, a in present], vocab, options=EncodeOptions(max_k=0), tokenizer=tokenizer)
        key = (SUBWORD, "amr", SUBWORD)
        for j, (i, a) in enumerate(present):
            d = cols.get(j)
            graphs[i] = (d[key].edge_index, d[key].edge_type)
            relations += d[key].num_edges
            aligned_tokens += len({t for idx in a.alignments.values() for t in idx})
            tokens += len(a.tokens)
    stats = {
        "source": source.spec,
        **source.describe(),
        "sentences": n,
        "with_graph": len(present),
        "without_graph": n - len(present),
        "aligned_token_share": aligned_tokens / tokens if tokens else 0.0,
        "subword_relations": relations,
    }
    return graphs, stats, vocab


def _attach_word_graphs(
    source: GraphSource, sentences: Sequence[Sentence], tokenizer: Any, vocab: AMRVocab | None
) -> tuple[list[tuple[Tensor, Tensor] | None], dict[str, Any], AMRVocab]:
    """Word-level graphs (relation names) projected onto each sentence's sub-words, the relation
    ids being ``vocab``'s (an MLGM backbone's), else the source's own vocabulary's."""
    word_graphs = source.word_graphs(sentences)
    if vocab is None:
        names = source.relation_names() or sorted({r for g in word_graphs if g for _, _, r in g} - set(RELATION_SPECIALS))
        names = [r for r in names if r not in RELATION_SPECIALS]
        vocab = AMRVocab([PAD, UNK], [NONE, UNK], [*RELATION_SPECIALS, *names])
    ids = {r: k for k, r in enumerate(vocab.relations)}
    graphs: list[tuple[Tensor, Tensor] | None] = [None] * len(sentences)
    present = [k for k, g in enumerate(word_graphs) if g is not None]
    enc = tokenizer([sentences[k].tokens for k in present], is_split_into_words=True, verbose=False) if present else None
    relations = unknown = words = 0
    for row, k in enumerate(present):
        edges = word_graphs[k]
        unknown += sum(r not in ids for _, _, r in edges)
        ei = torch.tensor([[i for i, _, _ in edges], [j for _, j, _ in edges]], dtype=torch.long).view(2, -1)
        et = torch.tensor([ids.get(r, UNK_ID) for _, _, r in edges], dtype=torch.long)
        sub_ei, sub_et = project_to_subwords(ei, et, word_ids_tensor(enc.word_ids(row)), len(sentences[k].tokens))
        graphs[k] = (sub_ei, sub_et)
        relations += sub_ei.size(1)
        words += len({i for i, _, _ in edges} | {j for _, j, _ in edges})
    stats = {
        "source": source.spec, **source.describe(), "sentences": len(sentences), "with_graph": len(present),
        "without_graph": len(sentences) - len(present),
        "word_share_with_edges": words / max(sum(len(sentences[k].tokens) for k in present), 1),
        "subword_relations": relations, "unknown_relations": unknown,
    }
    return graphs, stats, vocab
