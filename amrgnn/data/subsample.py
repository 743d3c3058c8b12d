"""Low-resource training subsets: whole documents (the DEGREE protocol) or sentences.

DEGREE (Hsu et al., 2022) samples 5, 10, 15, 25, 50, 110, 160, 260 and 400 of the 529 ACE2005
training documents (1%, 2%, 3%, 5%, 10%, 20%, 30%, 50%, 75%). For a seed, the subsets are nested:
the units are shuffled once and each size takes a prefix, so a larger subset contains every smaller
one and the learning curve measures data, not sampling luck.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..errors import UsageError
from .events import Sentence

__all__ = ["DEGREE_ACE_DOCUMENTS", "DEGREE_FRACTIONS", "UNITS", "resolve_sizes", "sample_training", "training_units"]

#: what a subset is made of (``auto``: documents when every sentence has a ``doc_id``)
UNITS = ("auto", "documents", "sentences")

DEGREE_FRACTIONS = (0.01, 0.02, 0.03, 0.05, 0.10, 0.20, 0.30, 0.50, 0.75)
#: DEGREE's document counts for the 529-document ACE2005 training split, by fraction.
DEGREE_ACE_DOCUMENTS = (5, 10, 15, 25, 50, 110, 160, 260, 400)


def training_units(sentences: Sequence[Sentence], unit: str = "auto") -> tuple[str, list[list[int]]]:
    """The sampling units: ``documents`` (sentence indices grouped by ``doc_id``, in first-seen
    order) or ``sentences`` (one each). ``auto`` takes documents when every sentence has a
    ``doc_id`` and there are at least two documents."""
    if unit not in UNITS:
        raise UsageError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    if unit == "auto":
        ids = {s.doc_id for s in sentences}
        unit = "documents" if all(s.doc_id for s in sentences) and len(ids) > 1 else "sentences"
    if unit == "sentences":
        return unit, [[i] for i in range(len(sentences))]
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        if not s.doc_id:
            raise UsageError(f"{s.path}:{s.line}: sentence {s.id!r} has no doc_id; sample --unit sentences")
        groups.setdefault(s.doc_id, []).append(i)
    return unit, list(groups.values())


def resolve_sizes(spec: Sequence[str] | None, n_units: int) -> list[int]:
    """Subset sizes in units from ``spec`` entries: a count (``25``), a percentage (``5%``) or a
    fraction (``0.05``); ``None``: the DEGREE fractions (DEGREE's own counts for 529 documents).
    Sizes are at least 1, at most ``n_units``, sorted and distinct."""
    if spec is None:
        if n_units == 529:
            return list(DEGREE_ACE_DOCUMENTS)
        spec = [str(f) for f in DEGREE_FRACTIONS]
    sizes = set()
    for item in spec:
        item = str(item).strip()
        try:
            if item.endswith("%"):
                size = round(float(item[:-1]) / 100 * n_units)
            elif "." in item:
                size = round(float(item) * n_units)
            else:
                size = int(item)
        except ValueError:
            raise UsageError(f"size {item!r}: expected a count (25), a percentage (5%) or a fraction (0.05)") from None
        if size > n_units:
            raise UsageError(f"size {item!r} asks for {size} units, the training data has {n_units}")
        sizes.add(max(1, size))
    return sorted(sizes)


def sample_training(sentences: Sequence[Sentence], size: int, seed: int, unit: str = "auto") -> list[Sentence]:
    """``size`` units (documents or sentences) of ``sentences``, drawn by ``seed``; nested across
    sizes for one seed. Sentences keep their corpus order."""
    _, units = training_units(sentences, unit)
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    chosen = sorted(i for u in order[:size] for i in units[u])
    return [sentences[i] for i in chosen]
