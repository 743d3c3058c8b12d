"""Graph layers over AMR graphs: disentangled multi-scale aggregation and its companions."""

from .multiscale import COMBINE_MODES, MultiScaleAggregation
from .transforms import AddExactKHop, hops_from

__all__ = ["COMBINE_MODES", "AddExactKHop", "MultiScaleAggregation", "hops_from"]
