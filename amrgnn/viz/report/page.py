"""The page: overall and per-type scores (with gold) or predicted counts per type (without), then
every sentence with its drawings (predicted and gold stacked, sharing word positions when their
words agree) and its errors listed; the styles and the filters (event type, error kind, sentences
without events, token graph) and counter are inline CSS and JavaScript. With JavaScript off the page
still renders in full and the "sentences without events" toggle still works (CSS ``:has``); nothing
is fetched from the network."""

from __future__ import annotations

import html
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from ...data.events.score import METRICS, EEScore
from .matching import ERROR_KINDS, ReportCounts
from .model import Row
from .records import Report, build_report
from .svg import PALETTE, label_widths, sentence_svg, word_slots

__all__ = ["render_prediction_report", "report_counts", "write_prediction_report"]

#: The scorer's metrics as the page names them.
METRIC_LABELS = {"trigger_id": "Trig-I", "trigger_cls": "Trig-C", "arg_id": "Arg-I", "arg_cls": "Arg-C",
                 "arg_id_plus": "Arg-I+", "arg_cls_plus": "Arg-C+"}

CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a202c;background:#fff}
header,#summary,main{padding:0 1.2rem}
h1{font-size:1.3rem;margin:.8rem 0 .2rem}
h2{font-size:1.05rem;margin:1rem 0 .4rem}
.files{color:#4a5568;margin:.1rem 0}
.note{background:#fffbea;border:1px solid #f6e05e;padding:.4rem .6rem;border-radius:4px;display:inline-block}
table{border-collapse:collapse;margin:.3rem 1.5rem .6rem 0;vertical-align:top}
.tables{display:flex;flex-wrap:wrap;align-items:flex-start}
.type-box{max-height:22em;overflow-y:auto}
th,td{border-bottom:1px solid #e2e8f0;padding:.15rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
tr[data-type]{cursor:pointer}tr[data-type]:hover{background:#f7fafc}
#controls{position:sticky;top:0;z-index:2;background:#f7fafc;border-bottom:1px solid #cbd5e0;padding:.4rem 1.2rem;
 display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:center}
#controls fieldset{border:0;margin:0;padding:0;display:inline}
.legend span{display:inline-block;padding:0 .4rem;margin-right:.3rem;border-radius:3px;border:2px solid}
.sent{border-bottom:1px solid #e2e8f0;padding:.5rem 0}
.sent h3{font-size:.9rem;margin:0;font-weight:600}.sent h3 small{font-weight:400;color:#718096}
.sent .text{margin:.1rem 0 .2rem;color:#2d3748}
.filtered{display:none}
body.hide-empty .sent.empty{display:none}
body:has(#show-empty:not(:checked)) .sent.empty{display:none}
body.hide-graph g.tg{display:none}
body:has(#show-graph:not(:checked)) g.tg{display:none}
figure.view{margin:.2rem 0;overflow-x:auto}
figure.view figcaption{font-size:.75rem;color:#718096;text-transform:uppercase;letter-spacing:.05em}
ul.errors{margin:.2rem 0;padding-left:1.2rem;font-size:.85rem}
li.err-missed,li.err-spurious{color:#c53030}li.err-wrong-type,li.err-wrong-role{color:#b7791f}
svg.ee text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
svg.ee text.w{font-size:14px;text-anchor:middle;fill:#1a202c}
svg.ee text.lab{font-size:11px;text-anchor:middle;fill:#2d3748}
svg.ee text.tg-lab{font-size:10px;text-anchor:middle;fill:#a0aec0}
svg.ee .arc text.lab,svg.ee text.tg-lab{paint-order:stroke;stroke:#fff;stroke-width:6px;stroke-linejoin:round}
svg.ee rect.trig{stroke:#4a5568;stroke-width:1}
svg.ee rect.argbox{fill:#f7fafc;stroke:#718096;stroke-width:1.2}
svg.ee .arc path.line{fill:none;stroke:#4a5568;stroke-width:1.3}svg.ee .arc path.head{fill:#4a5568}
svg.ee .tg path.line{fill:none;stroke:#cbd5e0;stroke-width:1}svg.ee .tg path.head{fill:#cbd5e0}
svg.ee rect.st-correct{stroke:#2f855a;stroke-width:2}
svg.ee .arc.st-correct path.line{stroke:#2f855a}svg.ee .arc.st-correct path.head{fill:#2f855a}
svg.ee rect.st-spurious,svg.ee rect.st-missed{stroke:#c53030;stroke-width:2;stroke-dasharray:4 2}
svg.ee .arc.st-spurious path.line,svg.ee .arc.st-missed path.line{stroke:#c53030;stroke-dasharray:4 2}
svg.ee .arc.st-spurious path.head,svg.ee .arc.st-missed path.head{fill:#c53030}
svg.ee rect.st-wrong-type,svg.ee rect.st-wrong-role{stroke:#d69e2e;stroke-width:2.5}
svg.ee .arc.st-wrong-role path.line{stroke:#d69e2e;stroke-width:2}svg.ee .arc.st-wrong-role path.head{fill:#d69e2e}
svg.ee .st-spurious text.lab,svg.ee .st-missed text.lab{fill:#c53030}
svg.ee .st-wrong-type text.lab,svg.ee .st-wrong-role text.lab{fill:#b7791f}
"""

JS = """
(function () {
  var sents = Array.prototype.slice.call(document.querySelectorAll("section.sent"));
  var type = document.getElementById("f-type");
  var errs = Array.prototype.slice.call(document.querySelectorAll("input.f-err"));
  var empty = document.getElementById("show-empty");
  var graph = document.getElementById("show-graph");
  var shown = document.getElementById("shown");
  function has(list, x) { return (" " + list + " ").indexOf(" " + x + " ") >= 0; }
  function apply() {
    var t = type ? type.value : "", on = {}, n = 0;
    var showEmpty = !empty || empty.checked;
    errs.forEach(function (e) { on[e.value] = e.checked; });
    document.body.classList.toggle("hide-empty", !showEmpty);
    if (graph) { document.body.classList.toggle("hide-graph", !graph.checked); }
    sents.forEach(function (s) {
      var ok = !t || has(s.getAttribute("data-types") || "", t);
      if (ok && errs.length) {
        var es = (s.getAttribute("data-errors") || "").split(" ").filter(Boolean);
        ok = es.length ? es.some(function (e) { return on[e]; }) : !!on.none;
      }
      s.classList.toggle("filtered", !ok);
      if (ok && (showEmpty || !s.classList.contains("empty"))) { n += 1; }
    });
    if (shown) { shown.textContent = String(n); }
  }
  [type, empty, graph].concat(errs).forEach(function (el) { if (el) { el.addEventListener("change", apply); } });
  Array.prototype.forEach.call(document.querySelectorAll("tr[data-type]"), function (row) {
    row.addEventListener("click", function () {
      if (type) { type.value = row.getAttribute("data-type"); apply(); }
    });
  });
  apply();
})();
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _token(t: str) -> str:
    """An event type as one word of ``data-types`` and the type filter's value: whitespace and ``%``
    percent-encoded, so that distinct types stay distinct (``Life Die`` is not ``Life_Die``)."""
    return re.sub(r"[\s%]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), t)


def _scores_html(score: EEScore) -> str:
    rows = "".join(
        f'<tr data-metric="{m}"><th>{METRIC_LABELS[m]}</th><td class="p">{score.metrics[m].p:.2f}</td>'
        f'<td class="r">{score.metrics[m].r:.2f}</td><td class="f1">{score.metrics[m].f1:.2f}</td>'
        f'<td class="n">{score.metrics[m].match}/{score.metrics[m].pred}/{score.metrics[m].gold}</td></tr>'
        for m in METRICS)
    return ('<table id="metrics"><thead><tr><th>metric</th><th>P</th><th>R</th><th>F1</th><th>match/pred/gold</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>")


def _per_type_html(score: EEScore) -> str:
    items = sorted(score.per_type.items(), key=lambda kv: (-kv[1]["trigger_cls"].gold, kv[0]))
    rows = "".join(
        f'<tr data-type="{_esc(_token(t))}"><td>{_esc(t)}</td><td class="gold">{v["trigger_cls"].gold}</td>'
        f'<td class="pred">{v["trigger_cls"].pred}</td><td class="trig-f1">{v["trigger_cls"].f1:.2f}</td>'
        f'<td class="arg-f1">{v["arg_cls"].f1:.2f}</td></tr>'
        for t, v in items)
    return ('<table id="per-type"><thead><tr><th>event type</th><th>gold</th><th>predicted</th><th>Trig-C F1</th>'
            f"<th>Arg-C F1</th></tr></thead><tbody>{rows}</tbody></table>")


def _predicted_types_html(rows: Sequence[Row]) -> str:
    """Without gold: predicted triggers and arguments per type (and mean trigger score, if any)."""
    n: dict[str, list] = defaultdict(lambda: [0, 0, []])
    for row in rows:
        for t in row.pred.triggers if row.pred else ():
            n[t.type][0] += 1
            n[t.type][1] += len(t.args)
            if t.score is not None:
                n[t.type][2].append(t.score)
    body = "".join(
        f'<tr data-type="{_esc(_token(t))}"><td>{_esc(t)}</td><td class="pred">{c}</td><td class="args">{a}</td>'
        f'<td class="score">{f"{sum(s) / len(s):.2f}" if s else "&ndash;"}</td></tr>'
        for t, (c, a, s) in sorted(n.items(), key=lambda kv: (-kv[1][0], kv[0])))
    return ('<table id="per-type"><thead><tr><th>event type</th><th>predicted</th><th>arguments</th>'
            f"<th>mean score</th></tr></thead><tbody>{body}</tbody></table>")


def _counts_html(c: ReportCounts) -> str:
    names = [("correct_trigger", "correct triggers"), ("missed_trigger", "missed triggers"),
             ("spurious_trigger", "spurious triggers"), ("wrong_type", "wrong types"),
             ("correct_argument", "correct arguments"), ("missed_argument", "missed arguments"),
             ("spurious_argument", "spurious arguments"), ("wrong_role", "wrong roles")]
    rows = "".join(f'<tr data-count="{k}"><td>{label}</td><td>{getattr(c, k)}</td></tr>' for k, label in names)
    return f'<table id="errors"><thead><tr><th>items</th><th>count</th></tr></thead><tbody>{rows}</tbody></table>'


def _controls_html(types: Sequence[str], gold: bool, graph: bool, shown: int, total: int) -> str:
    opts = "".join(f'<option value="{_esc(_token(t))}">{_esc(t)}</option>' for t in types)
    out = ['<div id="controls"><label>event type <select id="f-type"><option value="">all types</option>'
           f"{opts}</select></label>"]
    if gold:
        boxes = "".join(f'<label><input type="checkbox" class="f-err" value="{k}" checked> {k.replace("-", " ")}</label> '
                        for k in ERROR_KINDS)
        out.append(f'<fieldset><legend hidden>errors</legend>{boxes}<label><input type="checkbox" class="f-err" '
                   'value="none" checked> no errors</label></fieldset>')
    out.append('<label><input type="checkbox" id="show-empty"> sentences without events</label>')
    if graph:
        out.append('<label><input type="checkbox" id="show-graph" checked> token graph</label>')
    out.append(f'<span class="counter"><span id="shown">{shown}</span> of {total} sentences shown</span></div>')
    return "".join(out)


def _legend_html(gold: bool) -> str:
    if not gold:
        return ""
    return ('<p class="legend"><span style="border-color:#2f855a">correct</span>'
            '<span style="border-color:#c53030;border-style:dashed">missed / spurious</span>'
            '<span style="border-color:#d69e2e">wrong type / role</span> '
            "boxes: triggers (filled, type below) and arguments (grey); arcs: trigger \u2192 argument, with the role</p>")


def _row_html(k: int, row: Row, colours: dict[str, str], gold: bool) -> str:
    types = " ".join(_token(t) for t in row.types)
    attrs = f' data-types="{_esc(types)}"'
    if gold:
        kinds = [e for e in ERROR_KINDS if any(err.kind == e for err in row.errors)]
        attrs += f' data-errors="{" ".join(kinds)}"'
    cls = "sent empty" if row.empty else "sent"
    ref = row.pred or row.gold
    assert ref is not None
    same = row.pred is not None and row.gold is not None and row.pred.tokens == row.gold.tokens
    shared = word_slots(ref.tokens, label_widths([row.pred, row.gold])) if same else None
    note = f' <small class="note-row">({_esc(row.note)})</small>' if row.note else ""
    out = [f'<section class="{cls}" id="s{k}"{attrs}><h3>{_esc(row.id)} <small>{_esc(row.where)}</small>{note}</h3>'
           f'<p class="text">{_esc(" ".join(ref.tokens))}</p>']
    views = [("predicted", "pred", row.pred), ("gold", "gold", row.gold)]
    if gold and row.empty and shared is not None:
        views = [("no events, predicted or gold", "both", row.pred)]
    for caption, cls, view in views:
        if view is not None:
            slots = shared or word_slots(view.tokens, label_widths([view]))
            out.append(f'<figure class="view {cls}">' + (f"<figcaption>{caption}</figcaption>" if gold else "")
                       + sentence_svg(view, slots, colours, f"{caption}: {row.id}") + "</figure>")
    if row.errors:
        items = "".join(f'<li class="err err-{e.kind}" data-item="{e.item}">{_esc(e.text)}</li>' for e in row.errors)
        out.append(f'<ul class="errors">{items}</ul>')
    out.append("</section>")
    return "".join(out)


def _page(report: Report, title: str) -> str:
    rows, c, gold = report.rows, report.counts, report.score is not None
    types = sorted({t for r in rows for t in r.types})
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
    graph = any(r.pred and r.pred.graph for r in rows)
    files = f"predictions: {_esc(report.pred_path)}" + (f" &middot; gold: {_esc(report.gold_path)}" if report.gold_path else "")
    head = [f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{_esc(title)}</title><style>{CSS}</style></head><body>',
            f'<header><h1>{_esc(title)}</h1><p class="files">{files} &middot; {c.sentences} sentences, '
            f"{c.predicted_trigger} predicted triggers, {c.predicted_argument} predicted arguments</p></header>",
            '<div id="summary">']
    if gold:
        s = report.score
        assert s is not None
        head.append(f'<section id="scores"><h2>Scores</h2><div class="tables">{_scores_html(s)}{_counts_html(c)}'
                    f'<div class="type-box">{_per_type_html(s)}</div></div><p class="files">{s.sentences} gold sentences, '
                    f"{s.missing_predictions} "
                    f"without a prediction, {len(s.unmatched_predictions)} predicted sentences not in gold. Triggers "
                    "match on span (+ type), arguments on span + event type (+ role), as amrgnn evaluate scores them."
                    "</p></section>")
    else:
        why = ("the text pipeline's records have no gold" if report.kind == "text" else "no --gold given")
        head.append(f'<p class="note no-gold">No gold ({why}): predictions only'
                    + (", with the model's scores" if report.kind == "text" else "") + ".</p>"
                    f'<section id="pred-types"><h2>Predicted events</h2>{_predicted_types_html(rows)}</section>')
    head.append(_legend_html(gold) + "</div>")
    shown = sum(1 for r in rows if not r.empty)
    body = [_controls_html(types, gold, graph, shown, len(rows)), "<main>"]
    body += [_row_html(k, r, colours, gold) for k, r in enumerate(rows)]
    body.append(f"</main><script>{JS}</script></body></html>\n")
    return "".join(head + body)


def _title(report: Report, title: str | None) -> str:
    if title:
        return title
    name = Path(report.pred_path).name
    return f"Event predictions: {name}" + (f" against {Path(report.gold_path).name}" if report.gold_path else "")


def render_prediction_report(pred_path: str | os.PathLike, gold_path: str | os.PathLike | None = None,
                             fmt: str = "oneie", title: str | None = None) -> str:
    """The HTML page of ``pred_path``'s events (against ``gold_path``, read as ``fmt``).

    Raises:
        EventFormatError: a bad record (naming the file and line).
        MissingInputError: a file that is not there.
        UsageError: ``gold_path`` with text-pipeline records.
    """
    report = build_report(pred_path, gold_path, fmt)
    return _page(report, _title(report, title))


def report_counts(pred_path: str | os.PathLike, gold_path: str | os.PathLike | None = None,
                  fmt: str = "oneie") -> dict[str, int]:
    """The page's counts: sentences, correct and wrong items by kind (as :mod:`.matching` defines them)."""
    return build_report(pred_path, gold_path, fmt).counts.as_dict()


def write_prediction_report(pred_path: str | os.PathLike, out_path: str | os.PathLike,
                            gold_path: str | os.PathLike | None = None, fmt: str = "oneie",
                            title: str | None = None) -> ReportCounts:
    """Write the page to ``out_path`` (one read of the inputs); returns its counts."""
    report = build_report(pred_path, gold_path, fmt)
    Path(out_path).write_text(_page(report, _title(report, title)), encoding="utf-8")
    return report.counts
