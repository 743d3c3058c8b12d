"""Graph layers over AMR graphs: disentangled multi-scale aggregation and its companions.

Names are imported on first use; :data:`LAYERS` (the layer registry) needs no torch.
"""

from ..registry import lazy_exports
from .registry import LAYERS

_EXPORTS = {
    **dict.fromkeys(["COMBINE_MODES", "MultiScaleAggregation"], ".multiscale"),
    **dict.fromkeys(["AddExactKHop", "hops_from"], ".transforms"),
    **dict.fromkeys(["LAYER_KINDS", "GraphLayer", "build_layer"], ".zoo"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "AddExactKHop",
    "COMBINE_MODES",
    "GraphLayer",
    "LAYERS",
    "LAYER_KINDS",
    "MultiScaleAggregation",
    "build_layer",
    "hops_from",
]
