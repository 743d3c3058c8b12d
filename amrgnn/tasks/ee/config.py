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

__all__ = ["CANDIDATES", "EEConfig", "SELECT_METRICS"]

CANDIDATES = ("given", "predicted")
#: dev metrics of model selection: a scorer metric, or ``cls_mean`` (the mean of Trig-C and Arg-C F1:
#: it still moves while Arg-C is 0, as with very little training data)
SELECT_METRICS = (*METRICS, "cls_mean")


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
    min_steps: int = option(
        0, help="train at least this many optimizer steps: small training sets get more epochs (0: --epochs as given)"
    )
    evaluations: int = option(
        0, help="dev evaluations (model selection) spread evenly over training, at epoch ends (0: after every epoch)"
    )
    batch_size: int = option(16, help="training batch size")
    eval_batch_size: int = option(32, help="prediction batch size")
    head_learning_rate: float | None = option(
        1e-3, help="the task heads' and new graph parameters' learning rate (as OneIE; 0: same as --learning-rate)"
    )
    graph_learning_rate: float | None = option(
        None, help="the graph terms' learning rate, new or MLGM-trained (default: --head-learning-rate for new ones, "
        "--learning-rate for pre-trained ones)",
    )
    merge_time_roles: bool = option(False, help="ACE: Time-* roles become Time")
    ace33: bool = option(False, help="ACE: keep the 33 standard event types only")
    candidates: str = option(
        "given", help="argument candidates: the given entity mentions, or spans a mention tagger predicts", choices=CANDIDATES
    )
    mention_tagger: bool = option(
        True, flag="--no-mention-tagger", help="do not train a mention tagger beside the heads when the training data has "
        "entity mentions (the tagger is what finds argument candidates in raw text; scoring uses --candidates either way)",
    )
    scaffold_weight: float = option(
        0.0, help="graph scaffold: predict the --graphs token graphs of the training sentences as an auxiliary loss of "
        "this weight; the encoder reads no graph, and none is needed at prediction (0: off)",
    )
    argument_graph: bool = option(
        False, help="the argument head reads the --graphs path between each trigger and candidate (hop distance, "
        "relations); the encoder and the trigger head read no graph",
    )
    select_metric: str = option(
        "arg_cls", help="dev metric of model selection (cls_mean: the mean of Trig-C and Arg-C F1)", choices=SELECT_METRICS
    )
    save_total_limit: int = option(2, help="checkpoints kept (the best one always)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.min_steps < 0 or self.evaluations < 0 or self.scaffold_weight < 0:
            raise UsageError("min_steps, evaluations and scaffold_weight must be >= 0")
        if self.graph_learning_rate is not None and self.graph_learning_rate <= 0:
            raise UsageError(f"graph_learning_rate must be > 0, got {self.graph_learning_rate}")
        if not self.head_learning_rate:
            self.head_learning_rate = None
        for name, value, allowed in (("candidates", self.candidates, CANDIDATES), ("select_metric", self.select_metric, SELECT_METRICS)):
            if value not in allowed:
                raise UsageError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
