"""Projecting a word-level token graph onto the sub-word tokens of a HuggingFace tokenizer."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from ..errors import UsageError
from .projection import project_edges, unique_typed_edges

__all__ = ["project_to_subwords", "word_ids_tensor", "load_tokenizer"]


def word_ids_tensor(word_ids: Sequence[int | None]) -> Tensor:
    """``BatchEncoding.word_ids()`` as a LongTensor with ``-1`` for special tokens."""
    return torch.tensor([-1 if w is None else w for w in word_ids], dtype=torch.long)


def project_to_subwords(
    edge_index: Tensor, edge_type: Tensor, word_ids: Tensor, num_words: int | None = None
) -> tuple[Tensor, Tensor]:
    """Every sub-word inherits its word's edges: word edge ``(i, j, r)`` becomes ``(a, b, r)`` for
    every sub-word ``a`` of ``i`` and ``b`` of ``j``.

    Args:
        edge_index: ``[2, E]`` word-level edges.
        edge_type: ``[E]`` relation ids.
        word_ids: ``[S]`` word index of each sub-word position, ``-1`` for special tokens (sub-words
            of one word need not be contiguous). Words without sub-words (truncated away) lose their
            edges.
        num_words: number of words (default: inferred).

    Returns:
        ``edge_index`` ``[2, E']`` over sub-word positions and ``edge_type`` ``[E']``, sorted by
        ``(source, target, type)``.
    """
    device = edge_index.device
    word_ids = word_ids.to(device)
    if num_words is None:
        hi = [int(word_ids.max()) + 1 if word_ids.numel() else 0]
        if edge_index.numel():
            hi.append(int(edge_index.max()) + 1)
        num_words = max(hi)
    valid = word_ids >= 0
    wid = word_ids[valid]
    order = torch.sort(wid, stable=True).indices
    members = torch.arange(word_ids.numel(), device=device)[valid][order]  # sub-words grouped by word
    ptr = torch.zeros(num_words + 1, dtype=torch.long, device=device)
    torch.cumsum(torch.bincount(wid, minlength=num_words), 0, out=ptr[1:])
    ei, et = project_edges(edge_index, edge_type, ptr, members)
    return unique_typed_edges(ei, et, word_ids.numel(), drop_self_loops=False)


def load_tokenizer(name_or_path: str):
    """A fast HuggingFace tokenizer from a local directory or a (cached) hub id."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(name_or_path, use_fast=True)
    if not tok.is_fast:
        raise UsageError(f"{name_or_path}: a fast tokenizer is needed for word_ids()")
    return tok
