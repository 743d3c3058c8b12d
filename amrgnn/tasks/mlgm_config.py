"""The configuration of one MLGM run: every field is also an ``amrgnn pretrain`` option.

Pure Python: the command line reads it for ``--help`` without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..options import option
from .ee.config import PRECISIONS

__all__ = ["MLGMConfig"]

#: ``AMRDebertaConfig.graph_attention`` values (checked again by the config itself)
GRAPH_ATTENTION = ("multiscale", "relation", "none")


@dataclass
class MLGMConfig:
    """Everything one MLGM run needs (the command-line flags, one to one)."""

    data: list[str] = option(help="AMR files, globs or an AMR 3.0 directory", metavar="PATH")
    output_dir: str = option(help="where the model, logs and checkpoints go", metavar="DIR")
    backbone: str = option("offline", help="'offline' (all-MiniLM-L6-v2), a DeBERTa-v2/v3 or MLGM checkpoint directory "
                           "or hub id, or a weights file beside its config.json")
    model_config: str | None = option(None, help="a config.json (or its directory) overriding the backbone's")
    max_steps: int = option(-1, help="stop after N optimizer steps (overrides --epochs)")
    epochs: float = option(3.0, help="training epochs")
    batch_size: int = option(8, help="per device")
    eval_batch_size: int = option(16, help="validation batch size")
    gradient_accumulation_steps: int = option(1, flag="--gradient-accumulation", help="batches per optimizer step")
    learning_rate: float = option(5e-5, help="peak learning rate")
    head_learning_rate: float | None = option(
        None, help="learning rate of what the backbone checkpoint lacks (heads, graph terms; default: --learning-rate)"
    )
    weight_decay: float = option(0.01, help="AdamW weight decay")
    warmup_steps: int = option(0, help="linear warm-up steps")
    max_seq_len: int = option(256, help="sub-words per graph's sentence (longer ones are cut, and counted)")
    mask_text: float = option(0.15, help="fraction of words masked (whole words, 80/10/10)")
    mask_graph: float = option(0.3, help="fraction of related word pairs masked")
    negative_ratio: float = option(0.2, help="'no relation' pairs per masked pair")
    validation_fraction: float = option(0.1, help="graphs held out by id")
    save_steps: int = option(500, help="checkpoint every N steps")
    save_total_limit: int | None = option(3, help="checkpoints kept")
    eval_steps: int = option(200, help="validate every N steps")
    logging_steps: int = option(20, help="log every N steps")
    seed: int = option(42, help="random seed")
    resume: bool = option(False, help="continue from the last complete checkpoint")
    precision: str = option("auto", help="auto: bf16 where the GPU has it, else fp32", choices=PRECISIONS)
    workers: int = option(0, help="data-loader worker processes")
    align_missing: bool = option(True, flag="--no-align", help="do not align graphs that lack ISI alignments")
    skip_invalid: bool = option(False, help="skip malformed graphs (counted) instead of stopping")
    use_graph: bool = option(True, flag="--no-graph", help="text only: the encoder sees no graph (an ablation)")
    graph_attention: str | None = option(None, help="override the config's graph_attention", choices=GRAPH_ATTENTION)
    graph_overrides: dict[str, Any] = option(default_factory=dict, help="AMRDebertaConfig fields to override", cli=False)
    report_to: list[str] = option(default_factory=lambda: ["tensorboard"], help="Trainer loggers", cli=False)
    progress: bool = option(True, help="progress bars")
    do_train: bool = option(True, help="train (else only evaluate)", cli=False)

    def __post_init__(self) -> None:
        if self.graph_attention is not None:
            self.graph_overrides = {**self.graph_overrides, "graph_attention": self.graph_attention}
