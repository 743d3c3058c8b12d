"""Tiny helpers for ragged (per-graph) lists turned into flat tensors with pointers."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import chain

import torch
from torch import Tensor

__all__ = ["bool_tensor", "flat", "lengths", "long_tensor", "ptr"]


def long_tensor(values: Iterable[int]) -> Tensor:
    """``[N]`` LongTensor of Python ints, through an ``array('q')`` buffer (no copy): about 3x faster
    than ``torch.tensor(list)``, which converts element by element."""
    buf = array("q", values)
    return torch.frombuffer(buf, dtype=torch.long) if buf else torch.empty(0, dtype=torch.long)


def bool_tensor(values: Iterable[bool]) -> Tensor:
    """``[N]`` BoolTensor of Python bools (see :func:`long_tensor`)."""
    buf = array("B", values)
    return torch.frombuffer(buf, dtype=torch.bool) if buf else torch.empty(0, dtype=torch.bool)


def flat(lists: Iterable[Sequence], dtype: torch.dtype = torch.long) -> Tensor:
    """Concatenate Python lists into one 1-D tensor."""
    if dtype == torch.long:
        return long_tensor(chain.from_iterable(lists))
    if dtype == torch.bool:
        return bool_tensor(chain.from_iterable(lists))
    return torch.tensor(list(chain.from_iterable(lists)), dtype=dtype)


def lengths(lists: Iterable[Sequence]) -> Tensor:
    """``[len(x) for x in lists]`` as a LongTensor."""
    return torch.tensor([len(x) for x in lists], dtype=torch.long)


def ptr(counts: Tensor) -> Tensor:
    """CSR pointer ``[0, c0, c0 + c1, ...]`` of ``counts``."""
    out = torch.zeros(counts.numel() + 1, dtype=torch.long, device=counts.device)
    torch.cumsum(counts, 0, out=out[1:])
    return out
