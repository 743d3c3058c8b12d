"""Timing and peak-memory helpers shared by the benchmarks (loaded by path: benchmarks/ is not a
package)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import torch

__all__ = ["peak_bytes", "race", "sync", "timed"]


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(fn: Callable[[], object], device: torch.device) -> float:
    """Wall time of one call with the garbage collector paused (the same for every contender)."""
    gc.collect()
    sync(device)
    gc.disable()
    try:
        t0 = time.perf_counter()
        fn()
        sync(device)
        return time.perf_counter() - t0
    finally:
        gc.enable()


def race(contenders: dict[str, Callable[[], object]], repeat: int, device: torch.device) -> dict[str, list[float]]:
    """Times of each contender over ``repeat`` rounds (after one untimed warm-up round), run
    round-robin so that slow drifts of a noisy machine hit every contender alike."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, fn in contenders.items():
            times[name].append(timed(fn, device))
    return times


def peak_bytes(fn: Callable[[], object], device: torch.device) -> tuple[int, str]:
    """Peak tensor memory allocated by one call, above what was allocated before it (the
    gradients of the previous call are released first, so the new ones count)."""
    if hasattr(fn, "clear"):
        fn.clear()
    gc.collect()
    if device.type == "cuda":
        sync(device)
        torch.cuda.reset_peak_memory_stats(device)
        base = torch.cuda.memory_allocated(device)
        fn()
        sync(device)
        return torch.cuda.max_memory_allocated(device) - base, "torch.cuda.max_memory_allocated"
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        fn()
    try:  # allocations and frees in time order: the running maximum of live bytes
        events = [e for e in prof.profiler.kineto_results.events() if e.name() == "[memory]"]
        live = peak = 0
        for e in sorted(events, key=lambda e: e.start_ns()):
            live += e.nbytes()
            peak = max(peak, live)
        return peak, "torch.profiler peak of live tensor bytes"
    except AttributeError:  # no raw event stream: every allocation counted, none freed (an upper bound)
        total = sum(max(e.self_cpu_memory_usage, 0) for e in prof.events())
        return total, "torch.profiler sum of allocations (upper bound)"
