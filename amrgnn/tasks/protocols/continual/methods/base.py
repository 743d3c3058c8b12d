"""What a continual-learning method decides: which tasks' data a step trains on, whether a replay
memory is kept, and whether the previous model teaches the new one."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, ClassVar

__all__ = ["ContinualMethod"]


class ContinualMethod:
    """The default: train on the current task's data alone (``finetune``, the lower bound).

    Subclasses override what differs; everything else (label masking, scoring, saving, resuming)
    is the protocol's and the same for every method.
    """

    name: ClassVar[str] = ""
    #: keep an exemplar memory (herding over trigger states) and replay it in later steps
    replays: ClassVar[bool] = False

    def training_tasks(self, order: Sequence[int], step: int) -> list[int]:
        """The tasks whose sentences step ``step`` trains on (labelled with their types)."""
        return [order[step]]

    def teacher(self, model: Any, step: int) -> Any | None:
        """A frozen copy of the model to distil from during step ``step``, or ``None``."""
        return None

    @staticmethod
    def frozen_copy(model: Any) -> Any:
        return copy.deepcopy(model)
