"""Graph layers over AMR graphs: disentangled multi-scale aggregation and its companions."""

from .multiscale import COMBINE_MODES, MultiScaleAggregation
from .transforms import AddExactKHop, hops_from
from .zoo import LAYER_KINDS, GraphLayer, build_layer

__all__ = [
    "COMBINE_MODES",
    "LAYER_KINDS",
    "AddExactKHop",
    "GraphLayer",
    "MultiScaleAggregation",
    "build_layer",
    "hops_from",
]
