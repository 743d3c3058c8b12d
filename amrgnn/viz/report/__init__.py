"""One self-contained HTML page of event predictions (against gold) for error analysis, as
``amrgnn view`` writes it: the scores, then every sentence drawn as inline SVG with each missed,
spurious, wrong-type and wrong-role item marked and listed, matched as :mod:`amrgnn.data.events.score`
scores them. Modules, in import order: :mod:`.model` (the data drawn), :mod:`.matching` (a
predicted sentence against its gold one; :class:`ReportCounts`), :mod:`.records` (reading both kinds
of prediction files), :mod:`.svg` (the drawings) and :mod:`.page` (the HTML, CSS and JavaScript)."""

from .matching import ReportCounts
from .page import render_prediction_report, report_counts, write_prediction_report
from .records import detect_prediction_kind

__all__ = ["ReportCounts", "detect_prediction_kind", "render_prediction_report", "report_counts",
           "write_prediction_report"]
