"""Every picture amrgnn draws, on :class:`~matplotlib.figure.Figure` objects (no pyplot state, no
backend switch): AMR graphs with their tokens, events over a sentence, token graphs (gold against predicted), learning curves and the
protocols' plots; and the HTML error-analysis page of event predictions (:mod:`.report`)."""

from ..registry import lazy_exports

_EXPORTS = {
    "draw_amr": ".amr",
    "draw_events": ".events",
    **dict.fromkeys(["ARC_COLOURS", "draw_token_graphs"], ".token_graphs"),
    **dict.fromkeys(["CurveScale", "curves_figure", "plot_curves", "read_metrics"], ".curves"),
    **dict.fromkeys(["continual_figure", "low_resource_figure"], ".protocols"),
    "ablation_figure": ".ablation",
    **dict.fromkeys(["ReportCounts", "detect_prediction_kind", "render_prediction_report", "report_counts",
                     "write_prediction_report"], ".report"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "ARC_COLOURS",
    "CurveScale",
    "ReportCounts",
    "ablation_figure",
    "continual_figure",
    "curves_figure",
    "detect_prediction_kind",
    "draw_amr",
    "draw_events",
    "draw_token_graphs",
    "low_resource_figure",
    "plot_curves",
    "read_metrics",
    "render_prediction_report",
    "report_counts",
    "write_prediction_report",
]
