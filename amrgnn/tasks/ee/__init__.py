"""AMREE: event extraction (triggers and arguments) with the AMR-aware encoder.

:mod:`.config` (the run's options, pure Python), :mod:`.train` (training on HF ``Trainer``),
:mod:`.predict` (prediction files), :mod:`.score` (the one scorer) and :mod:`.pipeline` (raw text in,
events out).
"""

from ...registry import lazy_exports
from .config import EEConfig

_EXPORTS = {
    **dict.fromkeys(["EETrainer", "fit_event_model", "read_split", "resolve_ee_backbone", "run_event_extraction"], ".train"),
    **dict.fromkeys(["label_masks", "predict_file", "predict_sentences", "write_predictions"], ".predict"),
    **dict.fromkeys(["METRICS", "EEScore", "PRF", "score_events", "write_per_type_csv"], ".score"),
    **dict.fromkeys(["PIPELINE_TASK", "EventExtractionPipeline"], ".pipeline"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "METRICS",
    "PIPELINE_TASK",
    "EEConfig",
    "EEScore",
    "EETrainer",
    "EventExtractionPipeline",
    "PRF",
    "fit_event_model",
    "label_masks",
    "predict_file",
    "predict_sentences",
    "read_split",
    "resolve_ee_backbone",
    "run_event_extraction",
    "score_events",
    "write_per_type_csv",
    "write_predictions",
]
