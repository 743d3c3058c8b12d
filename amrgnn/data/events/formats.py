"""The event-format registry and :func:`read_events`.

A format is a reader ``(path, *, skip_invalid, stats, predictions) -> Iterator[Sentence]``
registered under a name; ``--format`` choices come from :data:`EVENT_FORMATS`. The built-in ones are
registered lazily below (one line each): a new format is one module plus one line here, or
``@EVENT_FORMATS.register("name")`` on a reader in your own code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from ...registry import Registry
from .records import EventFormatError, EventReadStats, Sentence

__all__ = ["EVENT_FORMATS", "EventReader", "read_events"]

EventReader = Callable[..., Iterator[Sentence]]

#: Event-corpus layouts by name (``--format``).
EVENT_FORMATS: Registry[EventReader] = Registry("event format")
EVENT_FORMATS.register("oneie", lazy="amrgnn.data.events.oneie:read_oneie")
EVENT_FORMATS.register("nlpcl", lazy="amrgnn.data.events.nlpcl:read_nlpcl")
EVENT_FORMATS.register("phee", lazy="amrgnn.data.events.phee:read_phee")


def read_events(
    path: str | os.PathLike,
    fmt: str = "oneie",
    *,
    skip_invalid: bool = False,
    stats: EventReadStats | None = None,
    predictions: bool = False,
) -> list[Sentence]:
    """All sentences of one file in the named layout (see :data:`EVENT_FORMATS`).

    Args:
        predictions: the file is system output: spans must be in range, but overlapping, repeated
            or same-word triggers are kept (the scorer counts duplicates once).

    Raises:
        EventFormatError: a bad record (unless ``skip_invalid``), or an empty file.
        UsageError: an unknown format.
    """
    reader = EVENT_FORMATS.get(fmt)
    stats = stats if stats is not None else EventReadStats()
    out = list(reader(path, skip_invalid=skip_invalid, stats=stats, predictions=predictions))
    if stats.records == 0:
        raise EventFormatError("empty-file", "no sentences", str(path), 1)
    return out
