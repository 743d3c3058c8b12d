"""Small shared helpers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk job.

    Bulk conversion allocates many small objects while a large heap of parsed graphs is alive;
    every full collection rescans that heap, which made encoding several times slower. Reference
    counting still frees everything that is not in a cycle; the collector resumes on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
