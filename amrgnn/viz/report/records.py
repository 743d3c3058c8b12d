"""Reading the two kinds of ``predict-ee`` output into the page's rows: OneIE-style JSON lines
(read by :func:`~amrgnn.data.events.read_events`, with an optional ``token_graph`` per record,
compared with gold when there is one) and the raw-text pipeline's records (``text``, ``sentences``,
``events`` with character offsets and scores; no gold), whose words are cut at spaces and at every
span edge. :func:`build_report` reads the files once and scores them with
:func:`~amrgnn.data.events.score.score_events`."""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...data.events import EventFormatError, EventReadStats, Sentence, read_events
from ...data.events.reading import json_lines, kind
from ...data.events.score import EEScore, score_events
from ...errors import MissingInputError, UsageError
from .matching import ReportCounts, compare, count_predictions, prediction_view
from .model import Arg, Row, Trig, Triple, View

__all__ = ["Report", "build_report", "detect_prediction_kind", "token_graph"]


@dataclass
class Report:
    """Everything the page is made of (``score`` None without gold)."""

    rows: list[Row]
    counts: ReportCounts
    score: EEScore | None
    kind: str
    pred_path: str
    gold_path: str | None


def detect_prediction_kind(path: str | os.PathLike) -> str:
    """``"oneie"`` (records with ``tokens``/``event_mentions``) or ``"text"`` (the raw-text
    pipeline's records with ``text`` and ``events``), from the file's first record."""
    p = str(path)
    if not Path(p).is_file():
        raise MissingInputError(f"{p}: no such file (predictions)")
    records = json_lines(p, False, EventReadStats())
    try:
        for line_no, rec in records:
            if "event_mentions" in rec or "tokens" in rec:
                return "oneie"
            if "text" in rec and "events" in rec:
                return "text"
            raise EventFormatError("unknown-record", "neither a OneIE-style record (tokens, event_mentions) nor a "
                                   "text-pipeline record (text, events)", p, line_no)
    finally:
        records.close()
    raise EventFormatError("empty-file", "no records", p, 1)


def build_report(pred_path: str | os.PathLike, gold_path: str | os.PathLike | None, fmt: str) -> Report:
    """Read ``pred_path`` (and ``gold_path``, read as ``fmt``) into rows, counts and scores.

    Raises:
        EventFormatError: a bad record (naming the file and line).
        MissingInputError: a file that is not there.
        UsageError: ``gold_path`` with text-pipeline records.
    """
    kind_ = detect_prediction_kind(pred_path)
    counts = ReportCounts(gold=gold_path is not None)
    if kind_ == "text":
        if gold_path is not None:
            raise UsageError(f"{pred_path}: text-pipeline records (character offsets) have no gold to compare with; "
                             "drop --gold, or view OneIE-style predictions")
        rows = _read_text_rows(str(pred_path), counts)
        return Report(rows, counts, None, kind_, str(pred_path), None)
    if gold_path is not None and not Path(gold_path).is_file():
        raise MissingInputError(f"{gold_path}: no such file (gold)")
    pred = read_events(pred_path, "oneie", predictions=True)
    if gold_path is None:
        rows = [_prediction_row(s, counts) for s in pred]
        return Report(rows, counts, None, kind_, str(pred_path), None)
    gold = read_events(gold_path, fmt)
    by_id = {s.id: s for s in pred}
    gold_ids = {g.id for g in gold}
    rows = [compare(g, by_id.get(g.id), counts, token_graph(by_id.get(g.id))) for g in gold]
    rows += [compare(None, s, counts, token_graph(s)) for s in pred if s.id not in gold_ids]
    return Report(rows, counts, score_events(gold, pred), kind_, str(pred_path), str(gold_path))


def token_graph(s: Sentence | None) -> list[Triple]:
    """The record's ``token_graph`` (``[[i, j, relation], ...]``, word indices), checked."""
    arcs = (s.raw or {}).get("token_graph") if s else None
    if arcs is None or s is None:
        return []
    if not isinstance(arcs, list):
        raise EventFormatError("bad-token-graph", f"token_graph is {kind(arcs)}, not a list", s.path, s.line, s.id)
    n, out = len(s.tokens), []
    for k, arc in enumerate(arcs):
        ok = (isinstance(arc, list) and len(arc) == 3 and all(isinstance(x, int) and not isinstance(x, bool) for x in arc[:2])
              and isinstance(arc[2], str) and 0 <= arc[0] < n and 0 <= arc[1] < n)
        if not ok:
            raise EventFormatError("bad-token-graph", f"token_graph entry {k} is not [i, j, relation] with word indices "
                                   f"below {n}: {str(arc)[:60]}", s.path, s.line, s.id)
        out.append((arc[0], arc[1], arc[2]))
    return sorted(set(out))


def _prediction_row(s: Sentence, counts: ReportCounts) -> Row:
    view = prediction_view(s, token_graph(s))
    count_predictions(counts, view)
    return Row(s.id, f"line {s.line}", view, None)


def _read_text_rows(path: str, counts: ReportCounts) -> list[Row]:
    rows: list[Row] = []
    for line_no, rec in json_lines(path, False, EventReadStats()):
        for row in _text_rows(rec, path, line_no):
            assert row.pred is not None
            count_predictions(counts, row.pred)
            rows.append(row)
    return rows


class _Bad(Exception):
    """A problem in a text-pipeline record (becomes an :class:`EventFormatError` with file and line)."""


def _span(obj: Any, what: str, lo: int, hi: int) -> tuple[int, int]:
    if not isinstance(obj, dict):
        raise _Bad(f"{what} is {kind(obj)}, not an object")
    a, b = obj.get("start"), obj.get("end")
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (a, b)):
        raise _Bad(f"{what}: start and end must be integers (character offsets)")
    if not lo <= a < b <= hi:  # type: ignore[operator]
        raise _Bad(f"{what}: span {a}:{b} is empty or outside {lo}:{hi}")
    return a, b  # type: ignore[return-value]


def _score(obj: dict[str, Any], what: str) -> float | None:
    s = obj.get("score")
    if s is not None and (not isinstance(s, (int, float)) or isinstance(s, bool)):
        raise _Bad(f"{what}: score is {kind(s)}, not a number")
    return None if s is None else float(s)


def _label(obj: dict[str, Any], key: str, what: str) -> str:
    v = obj.get(key)
    if not isinstance(v, str) or not v:
        raise _Bad(f"{what}: {key} is {kind(v)}, not a non-empty string")
    return v


def _text_rows(rec: dict[str, Any], path: str, line_no: int) -> list[Row]:
    """A text-pipeline record: one row per sentence, its words cut at spaces and span edges."""
    try:
        text = rec.get("text")
        if not isinstance(text, str) or not isinstance(rec.get("events"), list):
            raise _Bad("not a text-pipeline record: needs text (a string) and events (a list)")
        sents = rec.get("sentences", [{"start": 0, "end": len(text)}])
        if not isinstance(sents, list):
            raise _Bad(f"sentences is {kind(sents)}, not a list")
        bounds = [_span(s, f"sentence {k}", 0, len(text)) for k, s in enumerate(sents)]
        events: list[list[tuple]] = [[] for _ in bounds]
        for j, ev in enumerate(rec["events"]):
            k, item = _text_event(ev, j, bounds)
            events[k].append(item)
    except _Bad as e:
        raise EventFormatError("bad-text-record", str(e), path, line_no) from None
    doc = rec.get("line", line_no)
    rows = []
    for k, ((a, b), evs) in enumerate(zip(bounds, events, strict=True)):
        view = _text_view(text, a, b, evs)
        if view.tokens:
            rows.append(Row(f"document {doc}, sentence {k + 1}", f"line {line_no}", view, None))
    return rows


def _text_event(ev: Any, j: int, bounds: list[tuple[int, int]]) -> tuple[int, tuple]:
    """``(sentence, (type, score, trigger span, [(role, score, span)]))`` of one pipeline event."""
    what = f"event {j}"
    if not isinstance(ev, dict):
        raise _Bad(f"{what} is {kind(ev)}, not an object")
    etype, score = _label(ev, "type", what), _score(ev, what)
    k = ev.get("sentence")
    if k is None:
        start = ev.get("trigger", {}).get("start") if isinstance(ev.get("trigger"), dict) else None
        k = next((i for i, (a, b) in enumerate(bounds) if isinstance(start, int) and a <= start < b), None)
    if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < len(bounds):
        raise _Bad(f"{what}: sentence {k!r} is not one of the record's {len(bounds)} sentences")
    lo, hi = bounds[k]
    trig = _span(ev.get("trigger"), f"{what} trigger", lo, hi)
    arg_list = ev.get("arguments", [])
    if not isinstance(arg_list, list):
        raise _Bad(f"{what}: arguments are {kind(arg_list)}, not a list")
    args = []
    for i, a in enumerate(arg_list):
        w = f"{what} argument {i}"
        span = _span(a, w, lo, hi)
        args.append((_label(a, "role", w), _score(a, w), span))
    return k, (etype, score, trig, args)


def _text_view(text: str, lo: int, hi: int, events: list[tuple]) -> View:
    """Words of ``text[lo:hi]`` (split at spaces and at every span edge) and the events on them."""
    cuts = sorted({x for _, _, trig, args in events for span in (trig, *(sp for _, _, sp in args)) for x in span})
    tokens, starts, ends = [], [], []
    for m in re.finditer(r"\S+", text[lo:hi]):
        s, e = lo + m.start(), lo + m.end()
        pts = [s, *cuts[bisect.bisect_right(cuts, s):bisect.bisect_left(cuts, e)], e]
        for x, y in zip(pts, pts[1:], strict=False):
            tokens.append(text[x:y])
            starts.append(x)
            ends.append(y)

    def words(span: tuple[int, int]) -> tuple[int, int]:
        a, b = bisect.bisect_right(ends, span[0]), bisect.bisect_left(starts, span[1])
        if a >= b:
            raise _Bad(f"span {span[0]}:{span[1]} covers no word")
        return a, b

    trigs = []
    for etype, score, t, args in events:
        a, b = words(t)
        trig = Trig(etype, a, b, score=score)
        trig.args = [Arg(*words(span), role, score=s) for role, s, span in args]
        trigs.append(trig)
    return View(tokens, trigs)
