"""The configuration of one AMREE run: every field is also an ``amrgnn train-ee`` option
(:func:`amrgnn.options.add_options`), and the protocols reuse it as their training recipe.

Pure Python: the command line reads it for ``--help`` without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...data.events import EVENT_FORMATS
from ...errors import UsageError
from ...options import option
from ..options import TrainingOptions
from .score import METRICS

__all__ = ["CANDIDATES", "EEConfig"]

CANDIDATES = ("given", "predicted")


@dataclass(kw_only=True)
class EEConfig(TrainingOptions):
    """One AMREE run (the ``amrgnn train-ee`` flags)."""

    train: str = option(help="training sentences", metavar="FILE")
    dev: str = option(help="dev sentences (model selection)", metavar="FILE")
    output_dir: str = option(help="where the model, predictions and scores go", metavar="DIR")
    test: str | None = option(None, help="test sentences, predicted and scored once at the end", metavar="FILE")
    format: str = option("oneie", help="input layout", choices=EVENT_FORMATS.names)
    graphs: str = option("none", help="graph source: none | penman:PATH | amrlib | predicted:DIR | tokengraph:PATH (graphs matched by sentence id)")
    backbone: str = option("offline", help="'offline' (all-MiniLM-L6-v2), a DeBERTa-v2/v3 checkpoint or an MLGM output dir")
    epochs: float = option(16.0, help="training epochs")
    batch_size: int = option(16, help="training batch size")
    eval_batch_size: int = option(32, help="prediction batch size")
    head_learning_rate: float | None = option(
        1e-3, help="the task heads' and new graph parameters' learning rate (as OneIE; 0: same as --learning-rate)"
    )
    merge_time_roles: bool = option(False, help="ACE: Time-* roles become Time")
    ace33: bool = option(False, help="ACE: keep the 33 standard event types only")
    candidates: str = option(
        "given", help="argument candidates: the given entity mentions, or spans a mention tagger predicts", choices=CANDIDATES
    )
    select_metric: str = option("arg_cls", help="dev metric of model selection", choices=METRICS)
    save_total_limit: int = option(2, help="checkpoints kept (the best one always)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.head_learning_rate:
            self.head_learning_rate = None
        for name, value, allowed in (("candidates", self.candidates, CANDIDATES), ("select_metric", self.select_metric, METRICS)):
            if value not in allowed:
                raise UsageError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
