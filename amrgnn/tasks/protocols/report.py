"""``amrgnn report``: the ``results.json`` of continual, low-resource and cross-domain runs gathered
into markdown tables (mean and 95% Student-t interval over seeds / task orders) and plots."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import MissingInputError
from ...stats import group_by, mean_ci
from ...viz.protocols import continual_figure, low_resource_figure
from .runinfo import read_json

__all__ = ["collect_results", "format_ci", "report_markdown", "results_frame", "write_report"]


def collect_results(dirs: Iterable[str | os.PathLike]) -> list[dict[str, Any]]:
    """Every run's ``results.json`` below ``dirs`` (with ``path`` added), in path order."""
    out = []
    for d in dirs:
        d = Path(d)
        if not d.exists():
            raise MissingInputError(f"{d}: no such directory")
        for p in sorted(d.rglob("results.json")):
            r = read_json(p)
            if isinstance(r, dict) and "protocol" in r:
                out.append({**r, "path": str(p)})
    return out


def format_ci(values: Sequence[float]) -> str:
    """``mean ± half-width`` (one decimal); the mean alone for a single value; ``–`` for none."""
    vals = [v for v in values if v is not None]
    if not vals:
        return "–"
    mean, half = mean_ci(vals)
    return f"{mean:.1f}" if math.isnan(half) else f"{mean:.1f} ± {half:.1f}"


def result_split(r: dict[str, Any]) -> str:
    first = r["steps"][0]["scores"] if r["protocol"] == "continual" else r["scores"]
    return "test" if "test" in first else "dev"


def _continual(rows: list[dict[str, Any]]) -> list[str]:
    split = result_split(rows[0])
    lines = [f"## Continual (class-incremental), {split} split: micro-F1 on the types seen so far", "",
             "| method | graphs | runs | avg Trig-C | final Trig-C | forgetting Trig-C | avg Arg-C | final Arg-C | forgetting Arg-C |",
             "|---|---|---|---|---|---|---|---|---|"]
    groups = group_by(rows, "method", "graphs")
    for (method, graphs), rs in groups.items():
        cells = []
        for m in ("trigger_cls", "arg_cls"):
            s = [r["summary"][split][m] for r in rs]
            cells += [format_ci([x["average"] for x in s]), format_ci([x["final"] for x in s]), format_ci([x["forgetting"] for x in s])]
        lines.append(f"| {method} | {graphs} | {len(rs)} | " + " | ".join(cells) + " |")
    steps = max(len(r["steps"]) for r in rows)
    lines += ["", f"Trig-C F1 after each task ({split}):", "",
              "| method | graphs | " + " | ".join(f"task {t + 1}" for t in range(steps)) + " |",
              "|---|---|" + "---|" * steps]
    for (method, graphs), rs in groups.items():
        cells = [format_ci([r["summary"][split]["trigger_cls"]["curve"][t] for r in rs if len(r["steps"]) > t]) for t in range(steps)]
        lines.append(f"| {method} | {graphs} | " + " | ".join(cells) + " |")
    return lines + [""]


def _low_resource(rows: list[dict[str, Any]]) -> list[str]:
    split = result_split(rows[0])
    labels = sorted({r["graphs"] for r in rows})
    unit = rows[0]["unit"]
    lines = [f"## Low-resource learning curve ({split} split; training {unit} sampled, several seeds)", "",
             f"| {unit} | fraction | " + " | ".join(f"Trig-C {g} | Arg-C {g}" for g in labels) + " |",
             "|---|---|" + "---|---|" * len(labels)]
    by = group_by(rows, "size", "graphs")
    for size in sorted({r["size"] for r in rows}):
        frac = next(r["fraction"] for r in rows if r["size"] == size)
        cells = []
        for g in labels:
            rs = by.get((size, g), [])
            cells += [format_ci([r["scores"][split]["trigger_cls"]["f1"] for r in rs]),
                      format_ci([r["scores"][split]["arg_cls"]["f1"] for r in rs])]
        lines.append(f"| {size} | {100 * frac:.0f}% | " + " | ".join(cells) + " |")
    return lines + [""]


def _cross_domain(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["## Cross-domain: train on the source domain(s), test on each domain", "",
             "| graphs | source | target | runs | shared types | Trig-I | Trig-C | Arg-C | gap Trig-I | gap Trig-C |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (graphs, source), rs in group_by(rows, "graphs", "source").items():
        targets = sorted(k[len("test."):] for k in rs[0]["scores"] if k.startswith("test."))
        targets.sort(key=lambda t: (t != source, t in rs[0]["source_domains"] and t != source, t))

        def f1(t: str, m: str, rs: list[dict[str, Any]] = rs) -> list[float]:
            return [r["scores"][f"test.{t}"][m]["f1"] for r in rs]

        for t in targets:
            if t != source and t in rs[0]["source_domains"]:
                continue  # a part of a multi-domain source: in-domain, shown as the source's row
            shared = rs[0]["shared_types"].get(t, ["?", "?"])
            gaps = []
            for m in ("trigger_id", "trigger_cls"):
                gaps.append("–" if t == source else format_ci([a - b for a, b in zip(f1(source, m), f1(t, m), strict=True)]))
            where = "in" if t == source else "out"
            lines.append(f"| {graphs} | {source} | {t} ({where}) | {len(rs)} | {shared[0]}/{shared[1]} | "
                         f"{format_ci(f1(t, 'trigger_id'))} | {format_ci(f1(t, 'trigger_cls'))} | {format_ci(f1(t, 'arg_cls'))} | "
                         f"{gaps[0]} | {gaps[1]} |")
    lines += ["", "Gap: in-domain minus out-of-domain F1 (per seed, then averaged). Where the target shares no "
              "event type with the source, classification cannot transfer and Trig-I is the comparable score.", ""]
    return lines


def report_markdown(results: list[dict[str, Any]]) -> str:
    """The markdown tables of every protocol present in ``results``."""
    parts = ["# amrgnn protocol report", ""]
    for name, fn in (("continual", _continual), ("low-resource", _low_resource), ("cross-domain", _cross_domain)):
        rows = [r for r in results if r["protocol"] == name]
        if rows:
            parts += fn(rows)
    if len(parts) == 2:
        parts.append("No finished runs (results.json) found.")
    return "\n".join(parts) + "\n"


def results_frame(results: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per (run, split, metric) with the run's identifying fields (protocol, method,
    graphs, size, source, seed...) and its F1: continual runs give their final and average F1 and
    forgetting, the others their scores. The long layout a user groups and pivots with pandas."""
    rows = []
    for r in results:
        ident = {k: v for k, v in r.items() if isinstance(v, (str, int, float)) and k not in ("path",)}
        ident["run"] = str(Path(r["path"]).parent)
        if r["protocol"] == "continual":
            for split, metrics in r["summary"].items():
                for m, v in metrics.items():
                    rows.append({**ident, "split": split, "metric": m, "f1": v["final"], "average_f1": v["average"],
                                 "forgetting": v["forgetting"]})
        else:
            for split, scores in r["scores"].items():
                for m, v in scores.items():
                    if isinstance(v, dict) and "f1" in v:
                        rows.append({**ident, "split": split, "metric": m, "p": v["p"], "r": v["r"], "f1": v["f1"]})
    return pd.DataFrame(rows)


def write_report(dirs: Iterable[str | os.PathLike], out: str | os.PathLike) -> str:
    """Write ``report.md``, ``results.csv`` (:func:`results_frame`) and ``continual.png`` /
    ``low_resource.png`` where those protocols ran into ``out``; returns the markdown."""
    out = Path(out)
    results = collect_results(dirs)
    text = report_markdown(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(text, encoding="utf-8")
    results_frame(results).to_csv(out / "results.csv", index=False)
    cont = [r for r in results if r["protocol"] == "continual"]
    if cont:
        continual_figure(cont, result_split(cont[0])).savefig(out / "continual.png", dpi=120)
    low = [r for r in results if r["protocol"] == "low-resource"]
    if low:
        low_resource_figure(low, result_split(low[0])).savefig(out / "low_resource.png", dpi=120)
    return text
