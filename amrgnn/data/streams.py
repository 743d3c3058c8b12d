"""Class-incremental task streams: event types split into tasks, task orders, and the sentences
(labelled with one task's types only) that each task trains on.

The published continual protocol for ACE2005 (Yu et al., 2021, "Lifelong Event Detection with
Knowledge Transfer") splits the 33 types into 5 tasks of 9/6/5/5/8 types;
``data/streams/ace05-5tasks.json`` holds that split by type name.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, UsageError
from .events import Sentence

__all__ = ["StreamStats", "StreamsFormatError", "assign_tasks", "read_streams", "restrict_events", "split_types", "task_orders"]


class StreamsFormatError(InputError, ValueError):
    """A ``--streams`` file that is not a JSON list of disjoint, non-empty lists of type names."""


def read_streams(path: str | os.PathLike) -> list[list[str]]:
    """Read a streams file: a JSON list of lists of event-type names (one list per task)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except json.JSONDecodeError as e:
        raise StreamsFormatError(f"{path}:{e.lineno}: not JSON ({e.msg})") from e
    if not isinstance(data, list) or not data or not all(isinstance(t, list) for t in data):
        raise StreamsFormatError(f"{path}: expected a JSON list of lists of event-type names")
    seen: dict[str, int] = {}
    for k, task in enumerate(data):
        if not task:
            raise StreamsFormatError(f"{path}: task {k} has no event types")
        for t in task:
            if not isinstance(t, str):
                raise StreamsFormatError(f"{path}: task {k}: {t!r} is not an event-type name")
            if t in seen:
                raise StreamsFormatError(f"{path}: event type {t!r} is in task {seen[t]} and task {k}")
            seen[t] = k
    return data


def split_types(types: Iterable[str], n_tasks: int = 5, seed: int = 0) -> list[list[str]]:
    """A seeded split of ``types`` into ``n_tasks`` tasks whose sizes differ by at most one (the
    larger tasks first); each task's types sorted."""
    types = sorted(set(types))
    if not 1 <= n_tasks <= len(types):
        raise UsageError(f"cannot split {len(types)} event types into {n_tasks} tasks")
    random.Random(seed).shuffle(types)
    base, extra = divmod(len(types), n_tasks)
    out, start = [], 0
    for k in range(n_tasks):
        size = base + (k < extra)
        out.append(sorted(types[start : start + size]))
        start += size
    return out


def task_orders(n_tasks: int, n_orders: int, seed: int = 0) -> list[list[int]]:
    """``n_orders`` distinct task orders: the given order first, then seeded permutations."""
    import math

    if n_orders < 1:
        raise UsageError("n_orders must be at least 1")
    if n_orders > math.factorial(n_tasks):
        raise UsageError(f"{n_tasks} tasks have only {math.factorial(n_tasks)} orders, {n_orders} asked")
    rng = random.Random(seed)
    orders = [list(range(n_tasks))]
    while len(orders) < n_orders:
        perm = list(range(n_tasks))
        rng.shuffle(perm)
        if perm not in orders:
            orders.append(perm)
    return orders


def restrict_events(sentence: Sentence, types: Iterable[str]) -> Sentence:
    """A copy of ``sentence`` keeping only the events whose type is in ``types``."""
    keep = set(types)
    return Sentence(
        sentence.id, sentence.tokens, sentence.entities, [e for e in sentence.events if e.type in keep],
        sentence.doc_id, sentence.path, sentence.line, sentence.raw,
    )


@dataclass
class StreamStats:
    """How a corpus was divided among the tasks (counts reconcile: every event is in exactly one
    task or in ``events_outside_streams``; every sentence without a stream event is a negative of
    exactly one task)."""

    sentences: int = 0
    events: int = 0
    sentences_per_task: list[int] = field(default_factory=list)
    events_per_task: list[int] = field(default_factory=list)
    negatives_per_task: list[int] = field(default_factory=list)
    sentences_in_several_tasks: int = 0
    events_outside_streams: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "events_outside_streams": dict(self.events_outside_streams)}


def assign_tasks(
    sentences: Sequence[Sentence], streams: Sequence[Sequence[str]], seed: int = 0
) -> tuple[list[list[int]], StreamStats]:
    """Indices of the sentences each task trains on.

    A sentence belongs to every task whose types it mentions (it is then labelled with that task's
    types only, :func:`restrict_events`); a sentence with no event of any stream type (a negative)
    goes to one task, dealt round-robin after a seeded shuffle so every task sees negatives.
    """
    task_of = {t: k for k, task in enumerate(streams) for t in task}
    n = len(streams)
    stats = StreamStats(sentences=len(sentences), sentences_per_task=[0] * n, events_per_task=[0] * n, negatives_per_task=[0] * n)
    members: list[list[int]] = [[] for _ in range(n)]
    negatives = []
    for i, s in enumerate(sentences):
        tasks = set()
        for ev in s.events:
            stats.events += 1
            k = task_of.get(ev.type)
            if k is None:
                stats.events_outside_streams[ev.type] += 1
                continue
            stats.events_per_task[k] += 1
            tasks.add(k)
        if not tasks:
            negatives.append(i)
        stats.sentences_in_several_tasks += len(tasks) > 1
        for k in sorted(tasks):
            members[k].append(i)
    random.Random(seed).shuffle(negatives)
    for j, i in enumerate(negatives):
        members[j % n].append(i)
        stats.negatives_per_task[j % n] += 1
    for k in range(n):
        members[k].sort()
        stats.sentences_per_task[k] = len(members[k])
    return members, stats
