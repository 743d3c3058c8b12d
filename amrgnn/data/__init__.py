"""Task data: MLGM examples and masking (event-extraction readers come with the AMREE task)."""

from .mlgm import (
    MaskingConfig,
    MLGMCollator,
    MLGMDataset,
    MLGMExample,
    MLGMPrepStats,
    mask_example,
    prepare_mlgm_examples,
    split_by_id,
)

__all__ = [
    "MLGMCollator",
    "MLGMDataset",
    "MLGMExample",
    "MLGMPrepStats",
    "MaskingConfig",
    "mask_example",
    "prepare_mlgm_examples",
    "split_by_id",
]
