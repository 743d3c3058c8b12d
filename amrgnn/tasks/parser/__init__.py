"""Graphs without a parser model: train :class:`~amrgnn.models.AMRDebertaForTokenGraph` on gold AMR
token graphs (:mod:`.train`), predict token graphs for any text (:mod:`.parse`) and
score them against gold AMRs (:mod:`.score`); decoding itself is
:mod:`amrgnn.data.token_graph_predictor`."""

from ...registry import lazy_exports
from .config import ParserConfig

_EXPORTS = {
    **dict.fromkeys(["TokenGraphTrainer", "best_threshold", "run_parser_training"], ".train"),
    **dict.fromkeys(["GraphScore", "score_graphs"], ".score"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "GraphScore",
    "ParserConfig",
    "TokenGraphTrainer",
    "best_threshold",
    "run_parser_training",
    "score_graphs",
]
