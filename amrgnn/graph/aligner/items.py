"""What the aligner aligns and to what: type aliases shared by its stages."""

from __future__ import annotations

Triple = tuple[str, str, str]
Span = tuple[int, ...]  # token positions
Item = str | Triple  # what gets aligned: a variable (its concept) or an attribute (its constant)
