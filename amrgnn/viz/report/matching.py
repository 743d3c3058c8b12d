"""A predicted sentence against its gold one, with the keys of :mod:`amrgnn.data.events.score` (its
sets: duplicates count once). Triggers are identified by span (``trigger_id``) and classified by
span + event type (``trigger_cls``); arguments by span + event type (``arg_id``; not the trigger's
span, as in OneIE) and span + event type + role (``arg_cls``). Per key, a label both sides have is
*correct*, the labels they do not share pair up (sorted) as *wrong type* / *wrong role*, and what
is left is *spurious* (predicted) or *missed* (gold). So :class:`ReportCounts`' ``correct_trigger``
is Trig-C's match count, ``correct + wrong type + spurious`` its predicted count and ``correct +
wrong type + missed`` its gold count (Arg-C likewise, with ``wrong_role``); a gold sentence without
a prediction predicts nothing and a predicted sentence not in gold is all spurious."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from ...data.events import Sentence
from .model import Arg, ErrorLine, Row, Trig, Triple, View

__all__ = ["ERROR_KINDS", "ReportCounts", "compare", "count_predictions", "prediction_view"]

#: Error kinds, in the order of the filters, ``data-errors`` and the ``err-*`` classes.
ERROR_KINDS = ("missed", "spurious", "wrong-type", "wrong-role")


@dataclass
class ReportCounts:
    """What the page shows, counted as the scorer counts (see the module docstring)."""

    sentences: int = 0
    missed_trigger: int = 0
    spurious_trigger: int = 0
    wrong_type: int = 0
    missed_argument: int = 0
    spurious_argument: int = 0
    wrong_role: int = 0
    correct_trigger: int = 0
    correct_argument: int = 0
    predicted_trigger: int = 0
    predicted_argument: int = 0
    gold_trigger: int = 0
    gold_argument: int = 0
    gold: bool = False

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "gold"}


def compare(gold: Sentence | None, pred: Sentence | None, counts: ReportCounts,
            graph: Iterable[Triple] = ()) -> Row:
    """One sentence against its gold (``gold`` None: not in gold; ``pred`` None: no prediction),
    added to ``counts``; ``graph``: the predicted side's token-graph arcs."""
    (gt, ga), (pt, pa) = _keys(gold), _keys(pred)
    gts, pts, terr = _pair(gt, pt)
    gas, pas, aerr = _pair(ga, pa)
    errors = []
    for item, errs in (("trigger", terr), ("argument", aerr)):
        for status, key, p, g in errs:
            side = pred if status == "spurious" else gold
            errors.append(_error(status, item, key, p, g, side.tokens if side else []))
    _count(counts, gts, pts, gas, pas)
    pv = _view(pred, pts, pas, list(graph)) if pred else None
    gv = _view(gold, gts, gas) if gold else None
    ref = gold or pred
    assert ref is not None
    where = ", ".join(f"{side} line {s.line}" for side, s in (("gold", gold), ("predicted", pred)) if s)
    note = "not in gold: every prediction is spurious" if gold is None else "no prediction" if pred is None else ""
    return Row(ref.id, where, pv, gv, errors, note)


def prediction_view(s: Sentence, graph: Iterable[Triple] = ()) -> View:
    """The drawing of a predicted sentence that has no gold to compare with."""
    return _view(s, {}, {}, list(graph))


def count_predictions(counts: ReportCounts, view: View) -> None:
    """Add a sentence without gold to ``counts``: its distinct triggers and arguments (the scorer's sets)."""
    counts.sentences += 1
    counts.predicted_trigger += len({(t.start, t.end, t.type) for t in view.triggers})
    counts.predicted_argument += len({(a.start, a.end, t.type, a.role) for t in view.triggers for a in t.args})


def _pair(gold: dict[tuple, set[str]], pred: dict[tuple, set[str]]) -> tuple[dict, dict, list]:
    """Per key: shared labels are correct, the others pair up (sorted) as wrong, the rest are
    spurious (predicted) or missed (gold). Returns the gold and predicted ``(key, label) ->
    (status, other side's label)`` and the errors ``(status, key, predicted, gold)`` in key order."""
    gs: dict[tuple, tuple[str, str | None]] = {}
    ps: dict[tuple, tuple[str, str | None]] = {}
    errors: list[tuple[str, tuple, str | None, str | None]] = []
    for key in sorted(gold.keys() | pred.keys()):
        g, p = gold.get(key, set()), pred.get(key, set())
        for lab in g & p:
            gs[key, lab] = ps[key, lab] = ("correct", lab)
        up, ug = sorted(p - g), sorted(g - p)
        n = min(len(up), len(ug))
        for a, b in zip(up[:n], ug[:n], strict=True):
            ps[key, a], gs[key, b] = ("wrong", b), ("wrong", a)
            errors.append(("wrong", key, a, b))
        for a in up[n:]:
            ps[key, a] = ("spurious", None)
            errors.append(("spurious", key, a, None))
        for b in ug[n:]:
            gs[key, b] = ("missed", None)
            errors.append(("missed", key, None, b))
    return gs, ps, errors


def _keys(s: Sentence | None) -> tuple[dict[tuple, set[str]], dict[tuple, set[str]]]:
    """``trigger span -> types`` and ``(argument span, event type) -> roles`` (the scorer's sets)."""
    trig: dict[tuple, set[str]] = defaultdict(set)
    args: dict[tuple, set[str]] = defaultdict(set)
    for ev in s.events if s else ():
        trig[ev.start, ev.end].add(ev.type)
        for a in ev.arguments:
            args[a.start, a.end, ev.type].add(a.role)
    return trig, args


def _view(s: Sentence, trig_status: dict, arg_status: dict, graph: list[Triple] | None = None) -> View:
    """The drawing of ``s``: events on the same span and type merged, arguments once each."""
    merged: dict[tuple[int, int, str], Trig] = {}
    seen: dict[tuple[int, int, str], set[tuple[int, int, str]]] = defaultdict(set)
    for ev in s.events:
        key = (ev.start, ev.end, ev.type)
        if key not in merged:
            status, other = trig_status.get(((ev.start, ev.end), ev.type), ("pred", None))
            merged[key] = Trig(ev.type, ev.start, ev.end, _status(status, "type"), other)
        for a in ev.arguments:
            if (a.start, a.end, a.role) in seen[key]:
                continue
            seen[key].add((a.start, a.end, a.role))
            status, other = arg_status.get(((a.start, a.end, ev.type), a.role), ("pred", None))
            merged[key].args.append(Arg(a.start, a.end, a.role, _status(status, "role"), other))
    return View(list(s.tokens), list(merged.values()), graph or [])


def _status(status: str, what: str) -> str:
    return f"wrong-{what}" if status == "wrong" else status


def _words(tokens: Sequence[str], start: int, end: int) -> str:
    return " ".join(tokens[start:end])


def _error(status: str, item: str, key: tuple, pred: str | None, gold: str | None,
           tokens: Sequence[str]) -> ErrorLine:
    """One listed error, in words."""
    where = f"\u201c{_words(tokens, key[0], key[1])}\u201d [{key[0]}:{key[1]}]"
    if item == "trigger":
        text = {"missed": f"missed trigger {where} {gold}", "spurious": f"spurious trigger {where} {pred}",
                "wrong": f"wrong type {where}: predicted {pred}, gold {gold}"}[status]
    else:
        of = f"of a {key[2]} event"
        text = {"missed": f"missed argument {where} {gold} {of}", "spurious": f"spurious argument {where} {pred} {of}",
                "wrong": f"wrong role {where} {of}: predicted {pred}, gold {gold}"}[status]
    return ErrorLine(_status(status, "type" if item == "trigger" else "role"), item, text)


def _count(c: ReportCounts, gts: dict, pts: dict, gas: dict, pas: dict) -> None:
    """Add one sentence's ``(key, label) -> (status, other)`` maps of both sides to ``c``."""
    trig, arg = Counter(st for st, _ in pts.values()), Counter(st for st, _ in pas.values())
    c.sentences += 1
    c.gold_trigger, c.gold_argument = c.gold_trigger + len(gts), c.gold_argument + len(gas)
    c.predicted_trigger, c.predicted_argument = c.predicted_trigger + len(pts), c.predicted_argument + len(pas)
    c.correct_trigger += trig["correct"]
    c.wrong_type += trig["wrong"]
    c.spurious_trigger += trig["spurious"]
    c.missed_trigger += sum(st == "missed" for st, _ in gts.values())
    c.correct_argument += arg["correct"]
    c.wrong_role += arg["wrong"]
    c.spurious_argument += arg["spurious"]
    c.missed_argument += sum(st == "missed" for st, _ in gas.values())
