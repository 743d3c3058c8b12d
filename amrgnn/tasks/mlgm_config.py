"""The configuration of one MLGM run: every field is also an ``amrgnn pretrain`` option.

Pure Python: the command line reads it for ``--help`` without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..options import option
from .options import TrainingOptions

__all__ = ["MLGMConfig"]

#: ``AMRDebertaConfig.graph_attention`` values (checked again by the config itself)
GRAPH_ATTENTION = ("multiscale", "relation", "none")


@dataclass(kw_only=True)
class MLGMConfig(TrainingOptions):
    """Everything one MLGM run needs (the command-line flags, one to one)."""

    data: list[str] = option(help="AMR files, globs or an AMR 3.0 directory", metavar="PATH")
    output_dir: str = option(help="where the model, logs and checkpoints go", metavar="DIR")
    backbone: str = option("offline", help="'offline' (all-MiniLM-L6-v2), a DeBERTa-v2/v3 or MLGM checkpoint directory "
                           "or hub id, or a weights file beside its config.json")
    model_config: str | None = option(None, help="a config.json (or its directory) overriding the backbone's")
    epochs: float = option(3.0, help="training epochs")
    batch_size: int = option(8, help="per device")
    eval_batch_size: int = option(16, help="validation batch size")
    gradient_accumulation_steps: int = option(1, flag="--gradient-accumulation", help="batches per optimizer step")
    head_learning_rate: float | None = option(
        None, help="learning rate of what the backbone checkpoint lacks (heads, graph terms; default: --learning-rate)"
    )
    mask_text: float = option(0.15, help="fraction of words masked (whole words, 80/10/10)")
    mask_graph: float = option(0.3, help="fraction of related word pairs masked")
    negative_ratio: float = option(0.2, help="'no relation' pairs per masked pair")
    validation_fraction: float = option(0.1, help="graphs held out by id")
    save_steps: int = option(500, help="checkpoint every N steps")
    save_total_limit: int | None = option(3, help="checkpoints kept")
    eval_steps: int = option(200, help="validate every N steps")
    logging_steps: int = option(20, help="log every N steps")
    align_missing: bool = option(True, flag="--no-align", help="do not align graphs that lack ISI alignments")
    use_graph: bool = option(True, flag="--no-graph", help="text only: the encoder sees no graph (an ablation)")
    graph_attention: str | None = option(None, help="override the config's graph_attention", choices=GRAPH_ATTENTION)
    do_train: bool = option(True, help="train (else only evaluate)", cli=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.graph_attention is not None:
            self.graph_overrides = {**self.graph_overrides, "graph_attention": self.graph_attention}
