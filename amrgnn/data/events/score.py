"""The one event-extraction scorer: OneIE's definitions and TextEE's stricter "+" variants.

Per sentence, each prediction and each gold item becomes a tuple; duplicates count once (sets);
micro precision, recall and F1 (in percent) over all sentences:

================  =========================================================================
``trigger_id``    trigger offsets
``trigger_cls``   trigger offsets + event type
``arg_id``        argument offsets + event type
``arg_cls``       argument offsets + event type + role
``arg_id_plus``   ``arg_id`` + the trigger's offsets (TextEE)
``arg_cls_plus``  ``arg_cls`` + the trigger's offsets (TextEE)
``arg_span``      argument offsets + the trigger's offsets, no type, no role: for comparing
                  across event schemas (cross-domain); in ``summary()``, not in ``METRICS``
================  =========================================================================

Predictions are matched to gold sentences by id (``wnd_id``, else ``sent_id``, else
``doc_id#position``). A gold sentence missing from the predictions counts as predicting nothing;
a predicted sentence with no gold counterpart is reported (its items count as false positives).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .records import Sentence

__all__ = ["METRICS", "SCHEMA_FREE_METRICS", "EEScore", "PRF", "score_events", "write_per_type_csv"]

METRICS = ("trigger_id", "trigger_cls", "arg_id", "arg_cls", "arg_id_plus", "arg_cls_plus")
#: metrics that compare across event schemas (no type, no role): ``arg_span`` matches an argument
#: by its span and its trigger's span (cross-domain transfer between corpora sharing no type)
SCHEMA_FREE_METRICS = ("arg_span",)
_ALL = METRICS + SCHEMA_FREE_METRICS


@dataclass
class PRF:
    """Counts of one metric: predicted, gold and matched items."""

    pred: int = 0
    gold: int = 0
    match: int = 0

    @property
    def p(self) -> float:
        return 100.0 * self.match / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return 100.0 * self.match / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, pred: set, gold: set) -> None:
        self.pred += len(pred)
        self.gold += len(gold)
        self.match += len(pred & gold)

    def as_dict(self) -> dict[str, float]:
        return {"p": self.p, "r": self.r, "f1": self.f1}


@dataclass
class EEScore:
    """Scores, per-type counts and how the sentences matched up."""

    metrics: dict[str, PRF] = field(default_factory=lambda: {m: PRF() for m in _ALL})
    per_type: dict[str, dict[str, PRF]] = field(default_factory=dict)
    sentences: int = 0
    missing_predictions: int = 0
    unmatched_predictions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {m: self.metrics[m].as_dict() for m in METRICS}

    @property
    def cls_mean(self) -> float:
        """The mean of Trig-C and Arg-C F1 (a selection score that still moves while Arg-C is 0)."""
        return (self.metrics["trigger_cls"].f1 + self.metrics["arg_cls"].f1) / 2

    def summary(self) -> dict[str, Any]:
        return {
            **self.as_dict(),
            **{m: self.metrics[m].as_dict() for m in SCHEMA_FREE_METRICS},
            "sentences": self.sentences,
            "missing_predictions": self.missing_predictions,
            "unmatched_predictions": len(self.unmatched_predictions),
        }


def _tuples(sent: Sentence) -> dict[str, set]:
    out: dict[str, set] = {m: set() for m in _ALL}
    for ev in sent.events:
        out["trigger_id"].add((ev.start, ev.end))
        out["trigger_cls"].add((ev.start, ev.end, ev.type))
        for a in ev.arguments:
            out["arg_id"].add((a.start, a.end, ev.type))
            out["arg_cls"].add((a.start, a.end, ev.type, a.role))
            out["arg_id_plus"].add((ev.start, ev.end, a.start, a.end, ev.type))
            out["arg_cls_plus"].add((ev.start, ev.end, a.start, a.end, ev.type, a.role))
            out["arg_span"].add((ev.start, ev.end, a.start, a.end))
    return out


def _by_type(items: dict[str, set]) -> dict[str, dict[str, set]]:
    out: dict[str, dict[str, set]] = {}
    for x in items["trigger_cls"]:
        out.setdefault(x[2], {"trigger_cls": set(), "arg_cls": set()})["trigger_cls"].add(x)
    for x in items["arg_cls"]:
        out.setdefault(x[2], {"trigger_cls": set(), "arg_cls": set()})["arg_cls"].add(x)
    return out


def score_events(gold: Sequence[Sentence], pred: Iterable[Sentence]) -> EEScore:
    """Score predicted sentences against gold ones (see the module docstring)."""
    result = EEScore()
    predicted: dict[str, Sentence] = {}
    for s in pred:
        predicted[s.id] = s
    gold_ids = set()
    empty: dict[str, set] = {m: set() for m in _ALL}
    for g in gold:
        gold_ids.add(g.id)
        result.sentences += 1
        gt = _tuples(g)
        if g.id in predicted:
            pt = _tuples(predicted[g.id])
        else:
            result.missing_predictions += 1
            pt = empty
        for m in _ALL:
            result.metrics[m].add(pt[m], gt[m])
        gtype, ptype = _by_type(gt), _by_type(pt)
        for t in set(gtype) | set(ptype):
            row = result.per_type.setdefault(t, {"trigger_cls": PRF(), "arg_cls": PRF()})
            for m in ("trigger_cls", "arg_cls"):
                row[m].add(ptype.get(t, {}).get(m, set()), gtype.get(t, {}).get(m, set()))
    for sid, s in predicted.items():
        if sid not in gold_ids:
            result.unmatched_predictions.append(sid)
            pt = _tuples(s)
            for m in _ALL:
                result.metrics[m].add(pt[m], set())
            for t, items in _by_type(pt).items():
                row = result.per_type.setdefault(t, {"trigger_cls": PRF(), "arg_cls": PRF()})
                for m in ("trigger_cls", "arg_cls"):
                    row[m].add(items[m], set())
    return result


def write_per_type_csv(score: EEScore, path: str | os.PathLike) -> None:
    """One row per event type: trigger and argument classification counts and P/R/F1."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event_type", "trigger_gold", "trigger_pred", "trigger_match", "trigger_p", "trigger_r", "trigger_f1",
                    "arg_gold", "arg_pred", "arg_match", "arg_p", "arg_r", "arg_f1"])
        for t in sorted(score.per_type):
            tr, ar = score.per_type[t]["trigger_cls"], score.per_type[t]["arg_cls"]
            w.writerow([t, tr.gold, tr.pred, tr.match, f"{tr.p:.2f}", f"{tr.r:.2f}", f"{tr.f1:.2f}",
                        ar.gold, ar.pred, ar.match, f"{ar.p:.2f}", f"{ar.r:.2f}", f"{ar.f1:.2f}"])

