"""Class-incremental (continual) event extraction: types learnt task by task.

:mod:`.config` (the options), :mod:`.methods` (the method registry), :mod:`.trainer` (herding,
distillation and the masked-loss trainer) and :mod:`.loop` (the protocol: data, runs, resuming).
"""

from ....registry import lazy_exports
from .config import ContinualConfig
from .methods import CONTINUAL_METHODS, ContinualMethod

_EXPORTS = {
    **dict.fromkeys(["forgetting", "run_continual", "summarize_run"], ".loop"),
    **dict.fromkeys(["ContinualTrainer", "distillation_loss", "herding_selection", "select_exemplars",
                     "trigger_features"], ".trainer"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "CONTINUAL_METHODS",
    "ContinualConfig",
    "ContinualMethod",
    "ContinualTrainer",
    "distillation_loss",
    "forgetting",
    "herding_selection",
    "run_continual",
    "select_exemplars",
    "summarize_run",
    "trigger_features",
]
