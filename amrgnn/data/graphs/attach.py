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

from torch import Tensor

from ...graph.align import align
from ...graph.columns import EncodeOptions, encode_amrs
from ...graph.hetero import SUBWORD
from ...graph.io import AMR
from ...graph.vocab import AMRVocab
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
    amrs = source.amrs(sentences)
    fitted = [_fit(a, s) if a is not None else None for a, s in zip(amrs, sentences, strict=True)]
    if vocab is None and backbone is not None and (Path(backbone) / VOCAB_FILE).is_file():
        vocab = AMRVocab.load(Path(backbone) / VOCAB_FILE)
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
        "sentences": n,
        "with_graph": len(present),
        "without_graph": n - len(present),
        "aligned_token_share": aligned_tokens / tokens if tokens else 0.0,
        "subword_relations": relations,
    }
    return graphs, stats, vocab
