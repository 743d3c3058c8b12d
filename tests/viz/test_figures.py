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
from amrgnn.viz.token_graphs import draw_token_graphs
draw_token_graphs(["the", "boy", "runs"], [(2, 1, ":ARG0")], [(2, 1, ":ARG1")], out / "t.png")
assert matplotlib.get_backend() == "pdf", matplotlib.get_backend()
assert "matplotlib.pyplot" not in sys.modules
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert all((tmp_path / f).stat().st_size > 1000 for f in ("c.png", "e.png", "a.png", "l.png", "t.png"))


def test_token_graph_drawing_marks_each_predicted_arc(tmp_path):
    from matplotlib.colors import to_hex

    from amrgnn.viz.token_graphs import ARC_COLOURS, draw_token_graphs

    gold = [(1, 0, ":mod"), (2, 1, ":ARG0"), (2, 3, ":manner")]
    pred = [(2, 1, ":ARG0"), (2, 3, ":mod"), (0, 3, ":ARG1")]  # right, mislabelled, spurious
    fig = draw_token_graphs(["the", "boy", "runs", "fast"], gold, pred, tmp_path / "t.svg", title="x")
    ax = fig.axes[0]
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation"]
    colours = sorted(to_hex(a.arrow_patch.get_edgecolor()) for a in arrows)
    want = sorted([ARC_COLOURS["gold"]] * 3 + [ARC_COLOURS["correct"], ARC_COLOURS["relabel"], ARC_COLOURS["spurious"]])
    assert colours == want
    labels = [t.get_text() for t in ax.texts if type(t).__name__ == "Text"]
    assert ["the", "boy", "runs", "fast"] == labels[:4]
    assert sorted(labels[4:10]) == sorted([":mod", ":ARG0", ":manner", ":ARG0", ":mod", ":ARG1"])
    assert "predicted: 1 correct, 1 relabel, 1 spurious" in labels
    assert (tmp_path / "t.svg").stat().st_size > 1000
