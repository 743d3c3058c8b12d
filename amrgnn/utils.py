"""Small shared helpers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import torch

__all__ = ["bulk_mode", "gc_paused"]


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


@contextmanager
def bulk_mode() -> Iterator[None]:
    """Garbage collector paused and one intra-op torch thread, for bulk work on many small tensors.

    Ops on tensors of a few thousand elements gain nothing from a second thread, and when the other
    core is busy its barrier made them up to ten times slower. The thread count is restored on exit
    (it is process-wide: do not run other torch work in parallel Python threads meanwhile).
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with gc_paused():
            yield
    finally:
        torch.set_num_threads(threads)
