"""The training options every task shares (declared once; each task's configuration extends them).

Pure Python: the command line reads them for ``--help`` without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..options import option

__all__ = ["PRECISIONS", "TrainingOptions"]

PRECISIONS = ("auto", "fp32", "bf16", "fp16")


@dataclass(kw_only=True)
class TrainingOptions:
    """Options of any training run on the project's Trainer base."""

    max_steps: int = option(-1, help="stop after this many optimizer steps (overrides --epochs)")
    learning_rate: float = option(5e-5, help="the pre-trained encoder's learning rate")
    weight_decay: float = option(0.01, help="AdamW weight decay")
    warmup_steps: int = option(0, help="linear warm-up steps")
    max_seq_len: int = option(256, help="sub-words per sentence (longer sentences are cut, and counted)")
    seed: int = option(42, help="random seed")
    resume: bool = option(False, help="continue from the last complete checkpoint in --output-dir")
    precision: str = option("auto", help="auto: bf16 where the GPU has it, else fp32", choices=PRECISIONS)
    workers: int = option(0, help="data-loader worker processes")
    skip_invalid: bool = option(False, help="skip (and count) bad records instead of stopping")
    progress: bool = option(True, help="progress bars")
    report_to: list[str] = option(default_factory=lambda: ["tensorboard"], help="Trainer loggers", cli=False)
    graph_overrides: dict[str, Any] = option(default_factory=dict, help="AMRDebertaConfig graph fields to override", cli=False)

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise UsageError(f"precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}")
