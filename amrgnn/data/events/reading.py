"""What the readers share: span and field checks, raise-or-count bookkeeping, JSON lines, and the
checks a sentence passes before it is yielded (strict for gold, well-formedness only for
predictions)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any

from .records import EventFormatError, EventReadStats, Sentence

__all__ = ["Reader", "check_role", "check_span", "check_tokens", "finish", "json_lines", "kind", "list_field"]


def kind(value: Any) -> str:
    """A JSON value's kind, for messages ("an object", "a list", "a string", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string"}.get(type(value), type(value).__name__)


def list_field(record: dict[str, Any], key: str) -> list[Any] | None:
    """``record[key]`` as a list: ``[]`` when absent or null, ``None`` when it is something else."""
    value = record.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else None


def check_role(role: Any) -> str | None:
    """Why ``role`` is not a role name, or ``None``."""
    if isinstance(role, str) and role:
        return None
    return "no role" if role is None or role == "" else f"role is {kind(role)}, not a string"


def check_tokens(tokens: Any) -> tuple[str, str] | None:
    """``(reason, message)`` when ``tokens`` is not a non-empty list of strings, else ``None``."""
    if not isinstance(tokens, list) or not tokens:
        return "no-tokens", "no tokens" if tokens is None or tokens == [] else f"tokens are {kind(tokens)}, not a list"
    bad = next((i for i, t in enumerate(tokens) if not isinstance(t, str)), None)
    if bad is not None:
        return "bad-tokens", f"token {bad} is {kind(tokens[bad])}, not a string"
    return None


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
    """``(line number, record)`` of a JSON-lines file (lines end at ``\\n``); every non-blank line is
    a counted record, and a line that is not UTF-8 or not a JSON object raises (or is counted as
    skipped)."""

    def bad(reason: str, message: str, line_no: int, cause: BaseException | None = None) -> None:
        if not skip_invalid:
            raise EventFormatError(reason, message, path, line_no) from cause
        stats.skipped_sentences[reason] += 1

    with open(path, "rb") as f:
        for line_no, raw in enumerate(f, 1):
            if line_no == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                stats.records += 1
                bad("not-utf8", f"not UTF-8 (byte {raw[e.start]:#04x} at column {e.start + 1})", line_no, e)
                continue
            if not line.strip():
                continue
            stats.records += 1
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                bad("bad-json", f"not JSON ({e.msg})", line_no, e)
                continue
            except (ValueError, RecursionError) as e:  # e.g. an integer of more than 4300 digits, deep nesting
                bad("bad-json", f"not JSON ({type(e).__name__}: {str(e)[:80]})", line_no, e)
                continue
            if not isinstance(rec, dict):
                bad("bad-json", f"expected a JSON object, got {kind(rec)}", line_no)
                continue
            yield line_no, rec
