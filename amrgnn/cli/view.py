"""``amrgnn view``: one self-contained HTML page of event predictions (against gold) for error analysis."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..data.events import EVENT_FORMATS
from .command import Command, existing_path

__all__ = ["VIEW"]


def _add(p: argparse.ArgumentParser) -> None:
    p.add_argument("pred", type=Path, help="predict-ee output: OneIE-style JSON lines, or --format text records")
    p.add_argument("--gold", type=Path, help="gold sentences, matched by sentence id (OneIE-style predictions only)")
    p.add_argument("--format", default="oneie", choices=EVENT_FORMATS.names(), help="layout of --gold (default: oneie)")
    p.add_argument("--html", required=True, type=Path, help="the page to write")
    p.add_argument("--title", help="the page's title (default: from the file names)")


def _run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..viz.report import write_prediction_report

    existing_path(args.pred, what="predictions")
    existing_path(args.gold, what="gold")
    if not args.html.parent.is_dir():
        raise UsageError(f"--html {args.html}: no directory {args.html.parent}")
    c = write_prediction_report(args.pred, args.html, gold_path=args.gold, fmt=args.format, title=args.title)
    if c.gold:
        what = (f"correct: {c.correct_trigger} triggers, {c.correct_argument} arguments; errors: {c.missed_trigger} missed, "
                f"{c.spurious_trigger} spurious, {c.wrong_type} wrong-type triggers, {c.missed_argument} missed, "
                f"{c.spurious_argument} spurious, {c.wrong_role} wrong-role arguments")
    else:
        what = f"{c.predicted_trigger} predicted triggers, {c.predicted_argument} arguments; no gold"
    print(f"wrote {args.html}: {c.sentences} sentences; {what}")
    return 0


VIEW = Command(
    "view", "an HTML page of predictions (against gold) for error analysis", _add, _run,
    description="Writes one self-contained HTML file (no network): overall and per-type scores, then every sentence with "
    "its trigger and argument spans, trigger-to-argument arcs labelled with roles and (when the records carry "
    "token_graph) the token graph's arcs. With --gold, predicted and gold events are shown together and each missed, "
    "spurious, wrong-type and wrong-role item is marked and listed, matched as `amrgnn evaluate` scores them; filters "
    "by event type and error kind. PRED may also be `predict-ee --format text` output (predictions only, with scores).",
)
