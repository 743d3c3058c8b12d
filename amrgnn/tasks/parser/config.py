"""The configuration of ``amrgnn train-parser`` (pure Python, read for ``--help`` without torch)."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UsageError
from ...options import option
from ..options import TrainingOptions

__all__ = ["ParserConfig"]


@dataclass(kw_only=True)
class ParserConfig(TrainingOptions):
    """One token-graph predictor training run. The defaults are the recommended recipe for the four
    public AMR files (about 2,600 graphs) on two CPU cores."""

    data: list[str] = option(help="AMR files, globs or an AMR 3.0 directory (gold graphs)", metavar="PATH")
    output_dir: str = option(help="where the model, logs and checkpoints go", metavar="DIR")
    backbone: str = option("offline", help="'offline' (all-MiniLM-L6-v2), a DeBERTa-v2/v3 or MLGM checkpoint directory")
    exclude: list[str] = option(default_factory=list, metavar="PATH",
                                help="AMR files whose sentences (same id or same words) never enter training")
    epochs: float = option(8.0, help="training epochs")
    learning_rate: float = option(1e-4, help="the pre-trained encoder's learning rate")
    batch_size: int = option(16, help="training batch size")
    eval_batch_size: int = option(32, help="prediction batch size")
    head_learning_rate: float | None = option(1e-3, help="the arc and relation scorers' learning rate (0: --learning-rate)")
    dev: list[str] = option(default_factory=list, metavar="PATH",
                            help="AMR files for model selection and the threshold (default: --dev-fraction of --data)")
    dev_fraction: float = option(0.1, help="graphs of --data held out by id for model selection and the threshold")
    train_fraction: float = option(1.0, help="train on this fraction of the training graphs (by id; for learning curves)")
    arc_size: int = option(256, help="width of the biaffine arc MLPs")
    label_size: int = option(128, help="width of the relation scorer's MLPs")
    arc_pos_weight: float | None = option(
        None, help="weight of edge pairs in the arc loss (default: sqrt(non-edges / edges) of the training graphs)"
    )
    align_missing: bool = option(True, flag="--no-align", help="do not align graphs that lack ISI alignments (their token graphs stay empty)")
    save_total_limit: int = option(2, help="checkpoints kept (the best one always)")
    eval_steps: int | None = option(None, help="evaluate (and checkpoint) every N steps (default: every epoch)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0.0 < self.train_fraction <= 1.0:
            raise UsageError(f"--train-fraction must be in (0, 1], got {self.train_fraction}")
        if not self.head_learning_rate:
            self.head_learning_rate = None
