"""Graphs without a parser model: train :class:`~amrgnn.models.AMRDebertaForTokenGraph` on gold AMR
token graphs (:mod:`.train`), predict token graphs for any text (:mod:`.predict`, :mod:`.parse`) and
score them against gold AMRs (:mod:`.score`)."""

from ...registry import lazy_exports
from .config import ParserConfig

_EXPORTS = {
    **dict.fromkeys(["TokenGraphTrainer", "best_threshold", "run_parser_training"], ".train"),
    **dict.fromkeys(["decode", "predict_candidates"], ".predict"),
    **dict.fromkeys(["GraphScore", "score_graphs"], ".score"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "GraphScore",
    "ParserConfig",
    "TokenGraphTrainer",
    "best_threshold",
    "decode",
    "predict_candidates",
    "run_parser_training",
    "score_graphs",
]
