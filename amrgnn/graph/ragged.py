"""Tiny helpers for ragged (per-graph) lists turned into flat tensors with pointers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain

import torch
from torch import Tensor

__all__ = ["flat", "lengths", "ptr"]


def flat(lists: Iterable[Sequence], dtype: torch.dtype = torch.long) -> Tensor:
    """Concatenate Python lists into one 1-D tensor."""
    return torch.tensor(list(chain.from_iterable(lists)), dtype=dtype)


def lengths(lists: Iterable[Sequence]) -> Tensor:
    """``[len(x) for x in lists]`` as a LongTensor."""
    return torch.tensor([len(x) for x in lists], dtype=torch.long)


def ptr(counts: Tensor) -> Tensor:
    """CSR pointer ``[0, c0, c0 + c1, ...]`` of ``counts``."""
    out = torch.zeros(counts.numel() + 1, dtype=torch.long, device=counts.device)
    torch.cumsum(counts, 0, out=out[1:])
    return out
