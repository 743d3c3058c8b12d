"""The configuration of one AMREE run: every field is also an ``amrgnn train-ee`` option
(:func:`amrgnn.options.add_options`), and the protocols reuse it as their training recipe.

Pure Python: the command line reads it for ``--help`` without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...data.events import EVENT_FORMATS
from ...errors import UsageError
from ...options import option
from .score import METRICS

__all__ = ["CANDIDATES", "PRECISIONS", "EEConfig"]

CANDIDATES = ("given", "predicted")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")


@dataclass
class EEConfig:
    """One AMREE run (the ``amrgnn train-ee`` flags)."""

    train: str = option(help="training sentences", metavar="FILE")
    dev: str = option(help="dev sentences (model selection)", metavar="FILE")
    output_dir: str = option(help="where the model, predictions and scores go", metavar="DIR")
    test: str | None = option(None, help="test sentences, predicted and scored once at the end", metavar="FILE")
    format: str = option("oneie", help="input layout", choices=EVENT_FORMATS.names)
    graphs: str = option("none", help="graph source: none | amrlib | penman:PATH (graphs matched by sentence id)")
    backbone: str = option("offline", help="'offline' (all-MiniLM-L6-v2), a DeBERTa-v2/v3 checkpoint or an MLGM output dir")
    epochs: float = option(16.0, help="training epochs")
    max_steps: int = option(-1, help="stop after this many optimizer steps (overrides --epochs)")
    batch_size: int = option(16, help="training batch size")
    eval_batch_size: int = option(32, help="prediction batch size")
    learning_rate: float = option(5e-5, help="the pre-trained encoder's learning rate")
    head_learning_rate: float | None = option(
        1e-3, help="the task heads' and new graph parameters' learning rate (as OneIE; 0: same as --learning-rate)"
    )
    weight_decay: float = option(0.01, help="AdamW weight decay")
    warmup_steps: int = option(0, help="linear warm-up steps")
    max_seq_len: int = option(256, help="sub-words per sentence (longer sentences are cut, and counted)")
    seed: int = option(42, help="random seed")
    resume: bool = option(False, help="continue from the last complete checkpoint in --output-dir")
    precision: str = option("auto", help="auto: bf16 where the GPU has it, else fp32", choices=PRECISIONS)
    workers: int = option(0, help="data-loader worker processes")
    skip_invalid: bool = option(False, help="skip (and count) bad records instead of stopping")
    merge_time_roles: bool = option(False, help="ACE: Time-* roles become Time")
    ace33: bool = option(False, help="ACE: keep the 33 standard event types only")
    candidates: str = option(
        "given", help="argument candidates: the given entity mentions, or spans a mention tagger predicts", choices=CANDIDATES
    )
    select_metric: str = option("arg_cls", help="dev metric of model selection", choices=METRICS)
    save_total_limit: int = option(2, help="checkpoints kept (the best one always)")
    report_to: list[str] = option(default_factory=lambda: ["tensorboard"], help="Trainer loggers", cli=False)
    progress: bool = option(True, help="progress bars")
    graph_overrides: dict[str, Any] = option(default_factory=dict, help="AMRDebertaConfig graph fields to override", cli=False)

    def __post_init__(self) -> None:
        if not self.head_learning_rate:
            self.head_learning_rate = None
        for name, value, allowed in (("candidates", self.candidates, CANDIDATES), ("precision", self.precision, PRECISIONS),
                                     ("select_metric", self.select_metric, METRICS)):
            if value not in allowed:
                raise UsageError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
