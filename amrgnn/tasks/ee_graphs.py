"""AMR graphs for event-extraction sentences, from a pluggable source.

``--graphs none``: the text-only baseline. ``--graphs penman:PATH``: any parser's PENMAN output
(amrlib, SPRING, IBM's transition parser), matched by sentence id (``# ::id``); ISI alignments are
used when the graph's tokens are the sentence's, otherwise the built-in aligner aligns the graph to
the sentence's words. ``--graphs amrlib``: parse on the fly with amrlib (an optional extra, with a
parse model installed). The relation vocabulary is the backbone's (an MLGM checkpoint's
``amr_vocab.json``) so that pre-trained relation ids keep their meaning, else built from the
training graphs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torch import Tensor

from ..data.events import Sentence
from ..graph.align import align
from ..graph.columns import EncodeOptions, encode_amrs
from ..graph.hetero import SUBWORD
from ..graph.io import AMR, parse_amr, read_amr
from ..graph.vocab import AMRVocab

__all__ = ["GraphSource", "attach_graphs"]

VOCAB_FILE = "amr_vocab.json"


@dataclass(frozen=True)
class GraphSource:
    """Where sentence graphs come from: ``none``, ``penman`` (with ``path``) or ``amrlib``."""

    kind: str
    path: str | None = None

    @classmethod
    def parse(cls, spec: str) -> GraphSource:
        if spec == "none":
            return cls("none")
        if spec == "amrlib":
            return cls("amrlib")
        if spec.startswith("penman:") and len(spec) > len("penman:"):
            return cls("penman", spec[len("penman:") :])
        raise ValueError(f"--graphs {spec!r}: use none, amrlib or penman:PATH")


def _amrlib_graphs(sentences: Sequence[Sentence]) -> list[AMR | None]:
    try:
        import amrlib
    except ImportError as exc:
        raise ImportError(
            "--graphs amrlib needs amrlib and a parse model: pip install amrlib (or amrgnn[parse]), then a model from "
            "https://github.com/bjascob/amrlib-models (or pass --graphs penman:PATH with any parser's output)"
        ) from exc
    try:
        stog = amrlib.load_stog_model()
    except Exception as exc:  # amrlib raises plain exceptions when no model is installed
        raise ImportError(f"amrlib is installed but has no parse model ({exc}); see https://github.com/bjascob/amrlib-models") from exc
    texts = [" ".join(s.tokens) for s in sentences]
    out: list[AMR | None] = []
    for s, pen in zip(sentences, stog.parse_sents(texts, add_metadata=False), strict=True):
        out.append(None if pen is None else parse_amr(pen, default_id=s.id))
    return out


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
    is_split_into_words=True)``), the coverage report and the relation vocabulary."""
    n = len(sentences)
    if source.kind == "none":
        return None, {"source": "none", "sentences": n, "with_graph": 0}, vocab
    if source.kind == "penman":
        by_id = {a.id: a for a in read_amr(source.path, progress=False)}
        amrs: list[AMR | None] = [by_id.get(s.id) for s in sentences]
    else:
        amrs = _amrlib_graphs(sentences)
    fitted = [_fit(a, s) if a is not None else None for a, s in zip(amrs, sentences, strict=True)]
    if vocab is None and backbone is not None and (backbone / VOCAB_FILE).is_file():
        vocab = AMRVocab.load(backbone / VOCAB_FILE)
    if vocab is None:
        vocab = AMRVocab.build([a for a in fitted if a is not None])
    present = [(i, a) for i, a in enumerate(fitted) if a is not None]
    graphs: list[tuple[Tensor, Tensor] | None] = [None] * n
    relations = aligned_tokens = tokens = 0
    if present:
        cols = encode_amrs([a for _, a in present], vocab, options=EncodeOptions(max_k=0), tokenizer=tokenizer)
        for j, (i, a) in enumerate(present):
            d = cols.get(j)
            key = (SUBWORD, "amr", SUBWORD)
            graphs[i] = (d[key].edge_index, d[key].edge_type)
            relations += d[key].num_edges
            aligned_tokens += len({t for idx in a.alignments.values() for t in idx})
            tokens += len(a.tokens)
    stats = {
        "source": source.kind if source.path is None else f"{source.kind}:{source.path}",
        "sentences": n,
        "with_graph": len(present),
        "without_graph": n - len(present),
        "aligned_token_share": aligned_tokens / tokens if tokens else 0.0,
        "subword_relations": relations,
    }
    return graphs, stats, vocab


def graph_label(spec: str, specs: Sequence[str]) -> str:
    """``text`` for no graphs, ``amr`` for the one graph source (``amr1``, ``amr2``... for several)."""
    if GraphSource.parse(spec).kind == "none":
        return "text"
    amr = [s for s in specs if GraphSource.parse(s).kind != "none"]
    return "amr" if len(amr) == 1 else f"amr{amr.index(spec) + 1}"
