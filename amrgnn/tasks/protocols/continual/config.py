"""``amrgnn continual``'s configuration: the event-extraction recipe (:class:`EEConfig`) plus what
the protocol adds. Pure Python (read for ``--help`` without torch)."""

from __future__ import annotations

from dataclasses import dataclass

from ....errors import UsageError
from ....options import int_list, option
from ...ee.config import EEConfig
from .methods import CONTINUAL_METHODS

__all__ = ["ContinualConfig", "EE_FIELDS_UNUSED", "STOPPING"]

#: how long each task trains
STOPPING = ("dev", "epochs")

#: recipe fields the continual protocol sets itself (per run) or does not use
EE_FIELDS_UNUSED = ("output_dir", "graphs", "seed", "resume", "candidates", "select_metric", "save_total_limit", "warmup_steps")


def _split_commas(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@dataclass
class ContinualConfig:
    """An ``amrgnn continual`` invocation: every (method, graphs, order, seed) combination is a run."""

    base: EEConfig = option(help="the training recipe", cli=False)
    output_dir: str = option(help="runs/, report.md and continual.png go here", metavar="DIR")
    methods: list[str] = option(
        default_factory=lambda: ["replay"], flag="--method", action="append", metavar="METHOD",
        help=f"{' | '.join(CONTINUAL_METHODS.names())}, or a comma list; repeatable (default: replay)",
    )
    graphs: list[str] = option(
        default_factory=lambda: ["none"], action="append",
        help="none | penman:PATH | amrlib | predicted:DIR | tokengraph:PATH; repeat to compare (e.g. --graphs none --graphs penman:parses.txt: "
        "text-only and AMR runs side by side) (default: none)",
    )
    streams: str | None = option(None, help="JSON list of lists of event-type names, one list per task", metavar="FILE")
    tasks: int = option(5, help="tasks of the default seeded split")
    orders: int = option(1, help="task orders: the given one, then seeded permutations")
    seeds: list[int] | None = option(None, type=int_list, help="training seeds, e.g. 1,2,3 (default: the recipe's seed)")
    split_seed: int = option(0, help="seed of the type split, task orders and negatives")
    memory: int = option(20, help="replay exemplars per event type")
    kd_weight: float = option(1.0, help="weight of the distillation loss (replay-kd)")
    kd_temperature: float = option(2.0, help="distillation temperature (replay-kd)")
    arguments: bool = option(True, help="train and score argument roles (off: event detection only)")
    keep_models: bool = option(False, help="keep every task's model, not only the latest")
    stopping: str = option(
        "dev", choices=STOPPING,
        help="dev: each task trains until the dev score on the types it teaches (the current task's; all seen ones for "
        "joint) (mean of Trig-C and Arg-C F1; Trig-C with --no-arguments) has not improved for --patience epochs, at most --epochs, and keeps its best epoch; "
        "epochs: exactly --epochs per task",
    )
    patience: int = option(3, help="epochs without a better dev score before a task stops (--stopping dev)")

    def __post_init__(self) -> None:
        self.methods = _split_commas(self.methods)
        for m in self.methods:
            CONTINUAL_METHODS.get(m)
        if self.seeds is None:
            self.seeds = [self.base.seed]
        if self.stopping not in STOPPING:
            raise UsageError(f"stopping must be one of {', '.join(STOPPING)}, got {self.stopping!r}")
        if self.patience < 1:
            raise UsageError(f"patience must be >= 1, got {self.patience}")
        if not self.methods or not self.graphs or not self.seeds:
            raise UsageError("continual needs at least one method, graph source and seed")
