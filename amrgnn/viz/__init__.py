"""Every picture amrgnn draws, on :class:`~matplotlib.figure.Figure` objects (no pyplot state, no
backend switch): AMR graphs with their tokens, events over a sentence, learning curves and the
protocols' plots."""

from ..registry import lazy_exports

_EXPORTS = {
    "draw_amr": ".amr",
    "draw_events": ".events",
    **dict.fromkeys(["CurveScale", "curves_figure", "plot_curves", "read_metrics"], ".curves"),
    **dict.fromkeys(["continual_figure", "low_resource_figure"], ".protocols"),
    "ablation_figure": ".ablation",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "CurveScale",
    "ablation_figure",
    "continual_figure",
    "curves_figure",
    "draw_amr",
    "draw_events",
    "low_resource_figure",
    "plot_curves",
    "read_metrics",
]
