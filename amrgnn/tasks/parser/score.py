"""Scoring predicted token graphs against gold ones: labelled and unlabelled precision, recall and
F1 over ordered word pairs, per relation, and for ``:instance`` apart.

Unlabelled: the set of pairs ``(i, j)``; labelled: the set of triples ``(i, j, r)``. Sentences are
matched by id; a gold sentence without a prediction counts as predicting nothing, a predicted
sentence without gold is reported (its pairs count as false positives).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...graph.vocab import INSTANCE
from ..ee.score import PRF

__all__ = ["GraphScore", "evaluate_graph_files", "score_graphs"]

Triples = Iterable[tuple[int, int, str]]


@dataclass
class GraphScore:
    """Counts of one comparison (each a :class:`~amrgnn.tasks.ee.score.PRF`)."""

    labelled: PRF = field(default_factory=PRF)
    unlabelled: PRF = field(default_factory=PRF)
    instance: PRF = field(default_factory=PRF)  # ``:instance`` triples only
    relations_only: PRF = field(default_factory=PRF)  # labelled, ``:instance`` left out
    per_relation: dict[str, PRF] = field(default_factory=dict)
    sentences: int = 0
    missing_predictions: int = 0
    unmatched_predictions: list[str] = field(default_factory=list)

    def summary(self, top: int | None = None) -> dict[str, Any]:
        rels = sorted(self.per_relation.items(), key=lambda kv: -kv[1].gold)
        return {
            "labelled": self.labelled.as_dict(), "unlabelled": self.unlabelled.as_dict(),
            "instance": self.instance.as_dict(), "relations_only": self.relations_only.as_dict(),
            "per_relation": {r: {**p.as_dict(), "gold": p.gold, "pred": p.pred} for r, p in rels[:top]},
            "sentences": self.sentences, "missing_predictions": self.missing_predictions,
            "unmatched_predictions": len(self.unmatched_predictions),
        }


def _add(score: GraphScore, pred: set[tuple[int, int, str]], gold: set[tuple[int, int, str]]) -> None:
    score.labelled.add(pred, gold)
    score.unlabelled.add({(i, j) for i, j, _ in pred}, {(i, j) for i, j, _ in gold})
    score.instance.add({t for t in pred if t[2] == INSTANCE}, {t for t in gold if t[2] == INSTANCE})
    score.relations_only.add({t for t in pred if t[2] != INSTANCE}, {t for t in gold if t[2] != INSTANCE})
    for r in {t[2] for t in pred} | {t[2] for t in gold}:
        score.per_relation.setdefault(r, PRF()).add({t for t in pred if t[2] == r}, {t for t in gold if t[2] == r})


def score_graphs(gold: Mapping[str, Triples] | Sequence[tuple[str, Triples]], pred: Mapping[str, Triples]) -> GraphScore:
    """Score ``pred`` (sentence id -> triples) against ``gold`` (the same, in gold order)."""
    items = gold.items() if isinstance(gold, Mapping) else gold
    score = GraphScore()
    seen = set()
    for sid, triples in items:
        seen.add(sid)
        score.sentences += 1
        if sid not in pred:
            score.missing_predictions += 1
        _add(score, set(map(tuple, pred.get(sid, ()))), set(map(tuple, triples)))
    for sid, triples in pred.items():
        if sid not in seen:
            score.unmatched_predictions.append(sid)
            _add(score, set(map(tuple, triples)), set())
    return score


def evaluate_graph_files(gold_paths: Sequence[str], pred_path: str, *, align_missing: bool = True) -> tuple[GraphScore, dict[str, int]]:
    """Score a ``parse`` output against the token graphs of gold AMR files (ISI alignments where a
    graph has them, else the built-in aligner); returns the score and the alignment sources."""
    from ...data.token_graphs import gold_word_graphs, named_triples, read_token_graphs
    from ...errors import InputError
    from ...graph.io import read_amr
    from ...graph.vocab import AMRVocab

    amrs = list(read_amr(gold_paths, progress=False))
    vocab = AMRVocab.build(amrs)
    graphs, sources = gold_word_graphs(amrs, vocab, align_missing=align_missing)
    pred = read_token_graphs(pred_path)
    for g in graphs:
        if g.id in pred and pred[g.id][0] != g.tokens:
            raise InputError(f"{pred_path}: sentence {g.id!r}: its tokens differ from the gold AMR's (parse with --format amr)")
    return score_graphs([(g.id, named_triples(g, vocab.relations)) for g in graphs], {k: v[1] for k, v in pred.items()}), sources
