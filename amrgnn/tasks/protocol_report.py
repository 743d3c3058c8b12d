"""``amrgnn report``: the ``results.json`` of continual, low-resource and cross-domain runs gathered
into markdown tables (mean and 95% Student-t interval over seeds / task orders) and plots."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .runinfo import mean_ci, read_json

__all__ = ["collect_results", "format_ci", "report_markdown", "write_report"]


def collect_results(dirs: Iterable[str | os.PathLike]) -> list[dict[str, Any]]:
    """Every run's ``results.json`` below ``dirs`` (with ``path`` added), in path order."""
    out = []
    for d in dirs:
        d = Path(d)
        if not d.exists():
            raise FileNotFoundError(f"{d}: no such directory")
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


def _split(r: dict[str, Any]) -> str:
    first = r["steps"][0]["scores"] if r["protocol"] == "continual" else r["scores"]
    return "test" if "test" in first else "dev"


def _group(rows: Iterable[dict[str, Any]], *keys: str) -> dict[tuple, list[dict[str, Any]]]:
    out: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def _continual(rows: list[dict[str, Any]]) -> list[str]:
    split = _split(rows[0])
    lines = [f"## Continual (class-incremental), {split} split: micro-F1 on the types seen so far", "",
             "| method | graphs | runs | avg Trig-C | final Trig-C | forgetting Trig-C | avg Arg-C | final Arg-C | forgetting Arg-C |",
             "|---|---|---|---|---|---|---|---|---|"]
    groups = _group(rows, "method", "graphs")
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
    split = _split(rows[0])
    labels = sorted({r["graphs"] for r in rows})
    unit = rows[0]["unit"]
    lines = [f"## Low-resource learning curve ({split} split; training {unit} sampled, several seeds)", "",
             f"| {unit} | fraction | " + " | ".join(f"Trig-C {g} | Arg-C {g}" for g in labels) + " |",
             "|---|---|" + "---|---|" * len(labels)]
    by = _group(rows, "size", "graphs")
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
    for (graphs, source), rs in _group(rows, "graphs", "source").items():
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


def _plot_continual(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    split = _split(rows[0])
    metrics = [m for m in ("trigger_cls", "arg_cls") if any(r["summary"][split][m]["final"] for r in rows)] or ["trigger_cls"]
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.2 * len(metrics), 3.8), squeeze=False)
    for ax, m in zip(axes[0], metrics, strict=True):
        for (method, graphs), rs in _group(rows, "method", "graphs").items():
            steps = min(len(r["steps"]) for r in rs)
            xs = list(range(1, steps + 1))
            stats = [mean_ci([r["summary"][split][m]["curve"][t] for r in rs]) for t in range(steps)]
            means = [s[0] for s in stats]
            line = ax.plot(xs, means, marker="o", label=f"{method} ({graphs})")[0]
            if len(rs) > 1:
                ax.fill_between(xs, [a - b for a, b in stats], [a + b for a, b in stats], color=line.get_color(), alpha=0.15)
        ax.set_xlabel("task")
        ax.set_ylabel(f"{m.replace('_', ' ')} F1 on seen types ({split})")
        ax.set_xticks(range(1, max(len(r["steps"]) for r in rows) + 1))
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _plot_low_resource(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    split = _split(rows[0])
    fig, axes = plt.subplots(1, 2, figsize=(10.4, 3.8))
    for ax, m in zip(axes, ("trigger_cls", "arg_cls"), strict=True):
        for g in sorted({r["graphs"] for r in rows}):
            by = _group([r for r in rows if r["graphs"] == g], "size")
            sizes = sorted(k[0] for k in by)
            stats = [mean_ci([r["scores"][split][m]["f1"] for r in by[(s,)]]) for s in sizes]
            line = ax.plot(sizes, [s[0] for s in stats], marker="o", label=g)[0]
            lo = [a - (0 if math.isnan(b) else b) for a, b in stats]
            hi = [a + (0 if math.isnan(b) else b) for a, b in stats]
            ax.fill_between(sizes, lo, hi, color=line.get_color(), alpha=0.15)
        ax.set_xscale("log")
        ax.set_xlabel(f"training {rows[0]['unit']}")
        ax.set_ylabel(f"{m.replace('_', ' ')} F1 ({split})")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(dirs: Iterable[str | os.PathLike], out: str | os.PathLike) -> str:
    """Write ``report.md`` (and ``continual.png`` / ``low_resource.png`` where those protocols ran)
    into ``out``; returns the markdown."""
    out = Path(out)
    results = collect_results(dirs)
    text = report_markdown(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(text, encoding="utf-8")
    cont = [r for r in results if r["protocol"] == "continual"]
    if cont:
        _plot_continual(cont, out / "continual.png")
    low = [r for r in results if r["protocol"] == "low-resource"]
    if low:
        _plot_low_resource(low, out / "low_resource.png")
    return text
