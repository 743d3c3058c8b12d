"""What the readers share: span checks, raise-or-count bookkeeping, JSON lines, and the checks a
sentence passes before it is yielded (strict for gold, well-formedness only for predictions)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .records import EventFormatError, EventReadStats, Sentence

__all__ = ["Reader", "check_span", "finish", "json_lines"]


def check_span(start: Any, end: Any, n: int) -> str | None:
    """Why ``[start, end)`` is not a span of ``n`` words, or ``None``."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return "non-integer offsets"
    if end <= start:
        return "zero-length or reversed span"
    if start < 0 or end > n:
        return "span out of range"
    return None


class Reader:
    """Shared bookkeeping of one file: raise or count, per sentence.

    Args:
        predictions: the file is system output: only well-formedness is checked (spans in range);
            overlapping or repeated triggers are what systems produce and stay.
    """

    def __init__(self, path: str, skip_invalid: bool, stats: EventReadStats, predictions: bool = False) -> None:
        self.path, self.skip_invalid, self.stats, self.predictions = path, skip_invalid, stats, predictions

    def fail(self, reason: str, message: str, line: int, sid: str | None) -> None:
        raise EventFormatError(reason, message, self.path, line, sid)

    def skip(self, reason: str, message: str, line: int, sid: str | None) -> None:
        """A bad sentence: raise, or count it as skipped with ``skip_invalid``."""
        if not self.skip_invalid:
            self.fail(reason, message, line, sid)
        self.stats.skipped_sentences[reason] += 1

    def part(self, reason: str, message: str, line: int, sid: str) -> None:
        """A bad mention or argument: raise, or drop it (counted) with ``skip_invalid``."""
        if not self.skip_invalid:
            self.fail(reason, message, line, sid)
        self.stats.drop(reason, sid)


def finish(sent: Sentence, stats: EventReadStats, reader: Reader) -> Sentence:
    """Count ``sent`` and, for gold, check its triggers: two events on the same span are valid
    (ACE has words evoking two types); partially overlapping triggers cannot both be tagged, so the
    first is kept and the rest raise (or are counted with ``skip_invalid``)."""
    if not reader.predictions:
        taken: list[tuple[int, int]] = []
        events = []
        for ev in sent.events:
            if any(ev.start < e and s < ev.end and (s, e) != (ev.start, ev.end) for s, e in taken):
                reader.part("overlapping-trigger", f"trigger {ev.start}:{ev.end} overlaps another", sent.line, sent.id)
                continue
            taken.append((ev.start, ev.end))
            events.append(ev)
        sent.events = events
    stats.sentences += 1
    stats.events += len(sent.events)
    stats.arguments += sum(len(e.arguments) for e in sent.events)
    stats.entities += len(sent.entities)
    return sent


def json_lines(path: str, skip_invalid: bool, stats: EventReadStats) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` of a JSON-lines file; every non-blank line is a counted record, and
    a line that is not a JSON object raises (or is counted as skipped)."""
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            stats.records += 1
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                if not skip_invalid:
                    raise EventFormatError("bad-json", f"not JSON ({e.msg})", path, line_no) from e
                stats.skipped_sentences["bad-json"] += 1
                continue
            if not isinstance(rec, dict):
                if not skip_invalid:
                    raise EventFormatError("bad-json", f"expected a JSON object, got {type(rec).__name__}", path, line_no)
                stats.skipped_sentences["bad-json"] += 1
                continue
            yield line_no, rec
