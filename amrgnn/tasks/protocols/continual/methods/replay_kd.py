"""``replay-kd``: replay, plus temperature-scaled distillation of the previous model's trigger and
role logits on the old labels (Li & Hoiem, 2016; iCaRL)."""

from typing import Any

from .replay import Replay


class ReplayKD(Replay):
    name = "replay-kd"

    def teacher(self, model: Any, step: int) -> Any | None:
        return self.frozen_copy(model) if step > 0 else None
