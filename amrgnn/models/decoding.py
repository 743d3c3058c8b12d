"""Decoding event-extraction outputs: BIO trigger spans, candidate spans, the role of each (trigger,
candidate) pair, label masks. Shared by ``predict-ee``, the protocols and the pipeline through
:meth:`~amrgnn.models.AMRDebertaForEventExtraction.decode`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import torch
from torch import Tensor

__all__ = ["DecodedArgument", "DecodedEvent", "bio_spans", "label_masks"]


@dataclass
class DecodedArgument:
    """A role filled by a candidate span (words ``[start, end)``); ``candidate`` indexes the
    sentence's candidate list; ``score``: the role's probability."""

    start: int
    end: int
    role: str
    score: float
    candidate: int


@dataclass
class DecodedEvent:
    """A trigger span (words ``[start, end)``) of an event type; ``score``: the mean probability of
    its BIO labels over its words."""

    type: str
    start: int
    end: int
    score: float
    arguments: list[DecodedArgument] = field(default_factory=list)


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` spans of a BIO sequence (an ``I-t`` after something else starts a span)."""
    spans = []
    start, kind = None, None
    for i, lab in enumerate([*labels, "O"]):
        tag, _, t = lab.partition("-")
        if start is not None and (tag != "I" or t != kind):
            spans.append((start, i, kind))
            start, kind = None, None
        if tag == "B" or (tag == "I" and start is None):
            start, kind = i, t
    return spans


def label_masks(
    config,
    allowed_types: Collection[str] | None,
    allowed_roles: Collection[str] | None,
    device: torch.device | str | None = None,
) -> tuple[Tensor, Tensor]:
    """Additive logit masks ``([T], [R])`` over ``config.ee_trigger_labels`` and
    ``config.ee_role_labels``: ``0`` for ``O`` / ``<none>`` and the allowed labels, ``-inf`` for
    the rest (``None``: everything allowed)."""
    trig = torch.zeros(len(config.ee_trigger_labels), device=device)
    if allowed_types is not None:
        allowed = set(allowed_types)
        for i, lab in enumerate(config.ee_trigger_labels):
            if i and lab[2:] not in allowed:
                trig[i] = float("-inf")
    role = torch.zeros(len(config.ee_role_labels), device=device)
    if allowed_roles is not None:
        allowed = set(allowed_roles)
        for i, lab in enumerate(config.ee_role_labels):
            if i and lab not in allowed:
                role[i] = float("-inf")
    return trig, role
