"""A biaffine scorer over every ordered pair of positions (Dozat & Manning 2017)."""

from __future__ import annotations

import torch
from torch import Tensor, nn

__all__ = ["Biaffine"]


class Biaffine(nn.Module):
    r"""Biaffine arc scores :math:`s_{ij} = [\mathbf{h}_i; 1]^\top U [\mathbf{d}_j; 1]` for every
    ordered pair (``i`` the source, ``j`` the target).

    Shapes:
        head, dep: ``[B, W, D]``; output ``[B, W, W]``.
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(size + 1, size + 1))

    def forward(self, head: Tensor, dep: Tensor) -> Tensor:
        ones = head.new_ones(*head.shape[:-1], 1)
        h, d = torch.cat([head, ones], -1), torch.cat([dep, ones], -1)
        return torch.einsum("bid,de,bje->bij", h, self.weight.to(h.dtype), d)
