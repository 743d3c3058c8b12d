"""Library plotting draws on Figure objects: each task's metrics on their own scale, and no change
to the process's matplotlib backend."""

from __future__ import annotations

import subprocess
import sys

from amrgnn.viz.curves import ACCURACY, CurveScale, curves_figure

EE_RECORDS = [{"step": 4, "trigger_cls_f1": 12.5, "arg_cls_f1": 0.0}, {"step": 8, "trigger_cls_f1": 61.0, "arg_cls_f1": 33.3}]


def _visible(ax) -> bool:
    lo, hi = ax.get_ylim()
    return all(lo <= y <= hi for line in ax.lines for y in line.get_ydata())


def test_event_extraction_curves_show_f1_in_percent():
    fig = curves_figure(EE_RECORDS, ("trigger_cls_f1", "arg_cls_f1"), CurveScale("F1 (%)", (0, 100)))
    (ax,) = fig.axes
    assert len(ax.lines) == 2 and _visible(ax) and ax.get_ylabel() == "F1 (%)"
    assert [list(line.get_ydata()) for line in ax.lines] == [[12.5, 61.0], [0.0, 33.3]]


def test_fitted_scale_and_accuracy_scale():
    fig = curves_figure(EE_RECORDS, ("trigger_cls_f1",), CurveScale("F1"))
    assert _visible(fig.axes[0])
    mlgm = [{"step": 1, "gm_accuracy": 0.5, "gm_accuracy_majority": 0.4}]
    ax = curves_figure(mlgm, ("gm_accuracy",), ACCURACY).axes[0]
    assert ax.get_ylim() == (0.0, 1.0) and len(ax.lines) == 2 and _visible(ax)  # with the dashed majority line


def test_event_extraction_logger_uses_the_f1_scale():
    from amrgnn.tasks.ee import train

    assert train.EE_CURVES.limits == (0, 100)


def test_no_library_call_switches_the_backend(tmp_path):
    """Drawing every kind of picture leaves a user's backend (here pdf) as it was, and pyplot unloaded."""
    code = f"""
import matplotlib, sys
matplotlib.use("pdf")
from pathlib import Path
out = Path({str(tmp_path)!r})
from amrgnn.viz.curves import plot_curves
(out / "m.jsonl").write_text('{{"step": 1, "accuracy": 0.5}}\\n')
plot_curves(out / "m.jsonl", out / "c.png", ["accuracy"])
from amrgnn.data.events import read_events
from amrgnn.viz.events import draw_events
s = read_events({str(__import__("pathlib").Path(__file__).parents[1] / "fixtures" / "events" / "gold.oneie.jsonl")!r})[0]
draw_events(s, out / "e.png", s)
from amrgnn.graph.io import read_amr
from amrgnn.viz.amr import draw_amr
draw_amr(next(iter(read_amr({str(__import__("pathlib").Path(__file__).parents[2] / "data" / "samples" / "sample.amr.txt")!r}, progress=False))), out / "a.png")
from amrgnn.viz.protocols import low_resource_figure
rows = [{{"graphs": "text", "size": n, "unit": "sentences", "scores": {{"dev": {{"trigger_cls": {{"f1": 10.0 * n}}, "arg_cls": {{"f1": 5.0 * n}}}}}}}} for n in (1, 2)]
low_resource_figure(rows, "dev").savefig(out / "l.png")
assert matplotlib.get_backend() == "pdf", matplotlib.get_backend()
assert "matplotlib.pyplot" not in sys.modules
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert all((tmp_path / f).stat().st_size > 1000 for f in ("c.png", "e.png", "a.png", "l.png"))
