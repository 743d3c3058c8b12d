"""report.md and study.png of ``benchmarks/study.py``, from its JSON alone (so anyone can redraw them)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from amrgnn.stats import group_by, mean_ci
from amrgnn.tasks.protocols.continual.methods import CONTINUAL_METHODS

METRICS = (("trigger_cls", "Trig-C"), ("arg_cls", "Arg-C"))
ORDER = ("text", "mlgm", "graph", "amr", "scaffold")
# levers drawn beside the main conditions in study.png: the configuration the README recommends
PLOTTED_LEVERS = ("graph-arg",)


def _pct(size: str) -> float:
    return float(size.rstrip("%")) if size.endswith("%") else math.nan


def _fmt(values: list[float]) -> str:
    mean, half = mean_ci(values)
    if math.isnan(mean):
        return "–"
    return f"{mean:.1f}" if math.isnan(half) else f"{mean:.1f} ± {half:.1f}"


def _paired(rows: list[dict], base: list[dict], split: str, metric: str) -> list[float]:
    by_seed = {r["seed"]: r[split][metric]["f1"] for r in base if split in r}
    return [r[split][metric]["f1"] - by_seed[r["seed"]] for r in rows if split in r and r["seed"] in by_seed]


def _in_order(rows: list[dict], key: str, order: tuple[str, ...]) -> list[str]:
    """The values of ``key`` in ``rows``: those in ``order`` first, in that order, then the rest as met."""
    seen = list(dict.fromkeys(r[key] for r in rows))
    return [v for v in order if v in seen] + [v for v in seen if v not in order]


def _conditions(rows: list[dict]) -> list[str]:
    return _in_order(rows, "condition", ORDER)


def _methods(rows: list[dict]) -> list[str]:
    """Continual methods in registry order (lower bound, methods, upper bound), whatever order they ran in."""
    return _in_order(rows, "method", CONTINUAL_METHODS.names())


def lever_table(rows: list[dict], definitions: dict[str, dict]) -> list[str]:
    """Each lever against the condition it varies (on dev: what selection may look at; and on test)
    and against text (on dev, and on test, read once per run)."""
    lines = ["| lever | varies | size | seeds | dev Δ Trig-C vs varied | dev Δ Arg-C vs varied | dev Δ Trig-C vs text "
             "| dev Δ Arg-C vs text | test Δ Trig-C vs text | test Δ Arg-C vs text | test Δ Trig-C vs varied | test Δ Arg-C vs varied |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    levers = [c for c in _conditions(rows) if (definitions.get(c) or {}).get("lever_of")]
    for lever in levers:
        base_name = definitions[lever]["lever_of"]
        for size in sorted({r["size"] for r in rows if r["condition"] == lever}, key=_pct):
            at = [r for r in rows if r["size"] == size]
            cell = [r for r in at if r["condition"] == lever]
            base = [r for r in at if r["condition"] == base_name]
            text = [r for r in at if r["condition"] == "text"]
            cols = [_fmt(_paired(cell, ref, split, m)) for ref, split in ((base, "dev"), (text, "dev"), (text, "test"), (base, "test"))
                    for m, _ in METRICS]
            lines.append(f"| {lever} | {base_name} | {size} | {len(cell)} | {' | '.join(cols)} |")
    return lines if levers else []


CROSS = (("test", "trigger_cls", "in Trig-C"), ("test", "arg_cls", "in Arg-C"),
         ("target", "trigger_id", "out Trig-I"), ("target", "arg_span", "out Arg-I (untyped)"))


def crossdomain_rows(runs: list[dict]) -> dict[str, list[dict]]:
    """Rows per direction: GENEVA -> PHEE from the low-resource runs on all training documents
    (scored on PHEE test as ``target``), PHEE -> GENEVA from the cross-domain runs."""
    return {"GENEVA → PHEE": [r for r in runs if r["setting"] == "lowres" and "target" in r],
            "PHEE → GENEVA": [r for r in runs if r["setting"] == "crossdomain" and "target" in r]}


def crossdomain_table(runs: list[dict], definitions: dict[str, dict]) -> list[str]:
    """In-domain classification and out-of-domain identification F1 (the two share no event type),
    mean ± 95% interval, and the paired difference against text."""
    lines = ["| direction | condition | seeds | " + " | ".join(n for _, _, n in CROSS) + " | "
             + " | ".join(f"Δ {n}" for _, _, n in CROSS) + " |", "|---|---|---:|" + "---:|" * (2 * len(CROSS))]
    for direction, rows in crossdomain_rows(runs).items():
        text = [r for r in rows if r["condition"] == "text"]
        for cond in _conditions(rows):
            cell = [r for r in rows if r["condition"] == cond]
            vals = [_fmt([r[split][m]["f1"] for r in cell if m in r[split]]) for split, m, _ in CROSS]
            deltas = ["–" if cond == "text" or not text else _fmt(_paired(cell, text, split, m)) for split, m, _ in CROSS]
            lines.append(f"| {direction} | {cond} | {len(cell)} | {' | '.join(vals)} | {' | '.join(deltas)} |")
    return lines if len(lines) > 2 else []


def crossdomain_goal(runs: list[dict]) -> list[str]:
    """Graphs must not hurt across domains: Δ ≥ -0.5 on every in- and out-of-domain column that can
    move (GENEVA -> PHEE Arg-I is 0 by construction and is left out)."""
    out = []
    dirs = crossdomain_rows(runs)
    for cond in dict.fromkeys(c for rows in dirs.values() for c in _conditions(rows) if c != "text"):
        parts = []
        for direction, rows in dirs.items():
            cell = [r for r in rows if r["condition"] == cond]
            text = [r for r in rows if r["condition"] == "text"]
            if not cell or not text:
                continue
            cols = [c for c in CROSS if not (direction.startswith("GENEVA") and c[1] == "arg_span")]
            ds = {n: mean_ci(_paired(cell, text, split, m))[0] for split, m, n in cols}
            ok = all(v >= -0.5 for v in ds.values())
            parts.append(f"{direction}: " + ", ".join(f"Δ {n} {v:+.1f}" for n, v in ds.items()) + (" ✓" if ok else " ✗"))
        if parts:
            out.append(f"- **{cond}**: " + "; ".join(parts))
    return out


def continual_table(runs: list[dict]) -> list[str]:
    """Per method and condition: test F1 on the seen types, averaged over the tasks and after the
    last, and the paired difference of the average against text (same method, same seed)."""
    rows = [r for r in runs if r["setting"] == "continual" and "test" in r]
    if not rows:
        return []
    lines = ["| method | condition | seeds | avg Trig-C | final Trig-C | avg Arg-C | final Arg-C | Trig-C forgetting | "
             "Δ avg Trig-C vs text | Δ avg Arg-C vs text | Trig-C after each task (mean) | epochs per task |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for method in _methods(rows):
        at = [r for r in rows if r["method"] == method]
        text = {r["seed"]: r for r in at if r["condition"] == "text"}
        for cond in _conditions(at):
            cell = [r for r in at if r["condition"] == cond]

            def get(m: str, k: str, cell: list[dict] = cell) -> str:
                return _fmt([r["test"][m][k] for r in cell if r["test"][m][k] is not None])

            deltas = ["–" if cond == "text" else _fmt([r["test"][m]["average"] - text[r["seed"]]["test"][m]["average"]
                                                      for r in cell if r["seed"] in text]) for m in ("trigger_cls", "arg_cls")]
            epochs = "; ".join(",".join(str(e) for e in r.get("epochs", [])) for r in cell)
            curves = [r["test"]["trigger_cls"]["curve"] for r in cell]
            curve = " / ".join(f"{sum(c[i] for c in curves) / len(curves):.1f}" for i in range(min(map(len, curves))))
            lines.append(f"| {method} | {cond} | {len(cell)} | {get('trigger_cls', 'average')} | {get('trigger_cls', 'final')} | "
                         f"{get('arg_cls', 'average')} | {get('arg_cls', 'final')} | {get('trigger_cls', 'forgetting')} | "
                         f"{' | '.join(deltas)} | {curve} | {epochs} |")
    return lines


def draw_continual(runs: list[dict], path: Path) -> None:
    """Test F1 on the seen types after each task: a column per method, a row per metric (Trig-C,
    Arg-C), a line per condition (mean over seeds, with its 95% band where there are 2 or more)."""
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg"):
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    rows = [r for r in runs if r["setting"] == "continual" and "test" in r]
    methods = _methods(rows)
    colours = {c: f"C{i}" for i, c in enumerate(_conditions(rows))}
    fig, axes = plt.subplots(len(METRICS), len(methods), figsize=(4 * len(methods), 3.2 * len(METRICS)), squeeze=False)
    for col, method in enumerate(methods):
        at = [r for r in rows if r["method"] == method]
        for row, (metric, label) in enumerate(METRICS):
            ax = axes[row][col]
            for cond in _conditions(at):
                curves = [r["test"][metric]["curve"] for r in at if r["condition"] == cond]
                steps = range(min(map(len, curves)))
                stats = [mean_ci([c[i] for c in curves]) for i in steps]
                x = [i + 1 for i in steps]
                mean = [m for m, _ in stats]
                ax.plot(x, mean, marker="o", color=colours[cond], label=f"{cond} ({len(curves)} seed{'s' * (len(curves) > 1)})")
                if len(curves) > 1:
                    ax.fill_between(x, [m - h for m, h in stats], [m + h for m, h in stats], color=colours[cond], alpha=0.2)
            ax.set_title(f"{method}: {label}")
            ax.set_xlabel("tasks learned")
            ax.set_ylabel(f"{label} F1, seen types (test)")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def lowres_table(rows: list[dict], split: str) -> list[str]:
    """Mean ± 95% interval (Student t over seeds) per cell and the paired difference against text."""
    lines = ["| size | condition | seeds | Trig-C | Arg-C | Δ Trig-C vs text | Δ Arg-C vs text |",
             "|---|---|---:|---:|---:|---:|---:|"]
    sizes = sorted({r["size"] for r in rows}, key=_pct)
    for size in sizes:
        at = [r for r in rows if r["size"] == size and split in r]
        text = [r for r in at if r["condition"] == "text"]
        for cond in _conditions(at):
            cell = [r for r in at if r["condition"] == cond]
            vals = [_fmt([r[split][m]["f1"] for r in cell]) for m, _ in METRICS]
            deltas = ["–" if cond == "text" or not text else _fmt(_paired(cell, text, split, m)) for m, _ in METRICS]
            lines.append(f"| {size} | {cond} | {len(cell)} | {' | '.join(vals)} | {' | '.join(deltas)} |")
    return lines


def _text_only(definition: dict[str, Any]) -> bool:
    return bool(definition) and not definition.get("graphs") and not definition.get("scaffold") and definition.get("backbone", "plain") == "plain"


def _text_baseline(cond: str, definitions: dict[str, dict]) -> str | None:
    """The text condition a condition is judged against: the nearest text-only one it varies
    (``graph-arg-long`` -> ``text-long``), else ``text``; ``None`` for a text-only condition itself."""
    if cond == "text" or _text_only(definitions.get(cond) or {}):
        return None
    while cond in definitions and (cond := definitions[cond].get("lever_of")):
        if _text_only(definitions.get(cond) or {}):
            return cond
    return "text"


def goal_lines(rows: list[dict], split: str, definitions: dict[str, dict]) -> list[str]:
    """The issue's goal for ``amr`` (and every other condition with a graph or MLGM) against its text
    baseline (``_text_baseline``: trained the same way), cell by cell."""
    out = []
    for cond in _conditions(rows):
        if (baseline := _text_baseline(cond, definitions)) is None:
            continue
        parts = []
        for size in sorted({r["size"] for r in rows}, key=_pct):
            cell = [r for r in rows if r["condition"] == cond and r["size"] == size and split in r]
            text = [r for r in rows if r["condition"] == baseline and r["size"] == size and split in r]
            if not cell or not text:
                continue
            da = mean_ci(_paired(cell, text, split, "arg_cls"))[0]
            dt = mean_ci(_paired(cell, text, split, "trigger_cls"))[0]
            need = 2.0 if size in ("10%", "25%") else -0.5
            ok = da >= need and dt >= -0.5
            parts.append(f"{size}: Δ Arg-C {da:+.1f}, Δ Trig-C {dt:+.1f} {'✓' if ok else '✗'}")
        if parts:
            out.append(f"- **{cond}**{'' if baseline == 'text' else f' (against {baseline})'}: " + "; ".join(parts))
    return out


def _curve(rows: list[dict], cond: str, split: str, metric: str, text: list[dict] | None) -> tuple[list, list, list]:
    """x (size in %), mean and 95% half-width per size: of the F1 itself, or (``text`` given) of
    its paired difference against text."""
    pts = []
    for (size,), g in group_by([r for r in rows if r["condition"] == cond and split in r], "size").items():
        if text is None:
            values = [r[split][metric]["f1"] for r in g]
        else:
            values = _paired(g, [r for r in text if r["size"] == size], split, metric)
        if values:
            pts.append((_pct(size), *mean_ci(values)))
    pts.sort(key=lambda t: t[0])
    return [x for x, _, _ in pts], [m for _, m, _ in pts], [0.0 if math.isnan(h) else h for _, _, h in pts]


def draw(rows: list[dict], split: str, path: Path, dashed: tuple[str, ...] = ()) -> None:
    """Top: F1 per condition and size; bottom: the paired difference against text. ``dashed``:
    conditions drawn dashed (levers shown beside the main conditions)."""
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg"):
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    text = [r for r in rows if r["condition"] == "text"]
    colours = {cond: f"C{i}" for i, cond in enumerate(_conditions(rows))}  # the same in both rows
    fig, axes = plt.subplots(2, 2, figsize=(10, 7.5), sharex=True)
    for col, (metric, name) in enumerate(METRICS):
        for row, ax in enumerate(axes[:, col]):
            for cond in [c for c in colours if row == 0 or c != "text"]:
                xs, means, half = _curve(rows, cond, split, metric, text if row == 1 else None)
                ax.plot(xs, means, marker="o", label=cond, color=colours[cond], linestyle="--" if cond in dashed else "-")
                ax.fill_between(xs, [m - h for m, h in zip(means, half, strict=True)],
                                [m + h for m, h in zip(means, half, strict=True)], color=colours[cond], alpha=0.12)
            if row == 1:
                ax.axhline(0.0, color="grey", linewidth=0.8)
            ax.set_xscale("log")
            ax.set_xticks([10, 25, 50, 100], ["10%", "25%", "50%", "100%"])
            ax.set_ylabel(f"{name} F1 ({split})" if row == 0 else f"Δ {name} vs text, paired by seed")
            ax.grid(alpha=0.3)
        axes[1, col].set_xlabel("training documents")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("Low-resource GENEVA: mean over seeds, 95% interval shaded")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _describe(definition: dict[str, Any]) -> str:
    parts = [f"backbone {definition['backbone']}"] if definition.get("backbone", "plain") != "plain" else []
    parts += [f"{k}={v}" for k, v in {**definition.get("overrides", {}), **definition.get("train", {})}.items()]
    return ", ".join(parts) or "as the varied condition"


def write_study_report(data: dict[str, Any], out: Path) -> str:
    """Write ``out/report.md`` and ``out/study.png``; returns the markdown."""
    every = [r for r in data["runs"] if r["setting"] == "lowres"]
    definitions = data.get("conditions", {})
    rows = [r for r in every if not (definitions.get(r["condition"]) or {}).get("lever_of")]
    split = "test" if any("test" in r for r in rows) else "dev"
    rec = data.get("recipe", {})
    md = ["# Does AMR help? (benchmarks/study.py)", ""]
    md += [f"Recipe: {rec.get('epochs')} epochs (at least {rec.get('min_steps')} steps), {rec.get('evaluations')} dev "
           f"evaluations per run, selection by dev {rec.get('select_metric')}, batch {rec.get('batch_size')}, encoder lr "
           f"{rec.get('learning_rate')}, heads lr {rec.get('head_learning_rate')}, scaffold weight {rec.get('scaffold_weight')}.",
           f"Prerequisites: {data.get('prerequisites', {})}.", ""]
    if rows:
        md += [f"## Low-resource ({split}; mean ± 95% interval over seeds; Δ paired by seed)", ""]
        md += lowres_table(rows, split) + [""]
        md += ["Goal (amr: ≥ +2.0 Arg-C at 10% and 25%, Trig-C ≥ -0.5; elsewhere both ≥ -0.5):", ""]
        md += goal_lines(rows, split, definitions) + [""]
        if split == "test":
            md += ["### The same runs on dev (model selection)", ""] + lowres_table(rows, "dev") + [""]
        shown = [r for r in every if r["condition"] in PLOTTED_LEVERS]
        draw(rows + shown, split, out / "study.png", dashed=PLOTTED_LEVERS)
        md += ["![learning curves](study.png)", ""]
    if cross := crossdomain_table(data["runs"], definitions):
        md += ["## Cross-domain (GENEVA ↔ PHEE; test sets; Δ paired by seed against text)", "",
               "In domain: the source's own test set (Trig-C, Arg-C). Out of domain: the other corpus's test set; "
               "the two share no event type, so only identification transfers: Trig-I, and arguments matched by their "
               "span and their trigger's span without type or role (the scorer's arg_span). GENEVA models take "
               "GENEVA's given entity mentions as argument candidates and PHEE has none, so their out-of-domain "
               "argument score is 0 by construction; PHEE models predict their own candidates.", ""]
        md += cross + ["", "Goal (no worse than -0.5 on either side of the transfer):", ""] + crossdomain_goal(data["runs"]) + [""]
    if cont := continual_table(data["runs"]):
        md += ["## Continual (5 tasks of GENEVA types; each task trained until its dev score stops improving)", "",
               "Test F1 on the types seen so far, averaged over the 5 steps and after the last; forgetting: the mean "
               "drop of each earlier task's F1 from its best to the end.", ""]
        md += cont + [""]
        out.mkdir(parents=True, exist_ok=True)
        draw_continual(data["runs"], out / "continual.png")
        md += ["![continual curves](continual.png)", ""]
    if levers := lever_table(every, definitions):
        md += ["## Levers (low-resource; Δ paired by seed; mean ± 95% interval)", "",
               "Selection looks at the dev columns only; the test columns are read once per run.", ""]
        md += levers + [""]
        lever_rows = [r for r in every if r["condition"] == "text" or (definitions.get(r["condition"]) or {}).get("lever_of")]
        md += ["The goal, lever by lever (test, against text, or against the text lever trained the same way):", ""]
        md += goal_lines(lever_rows, "test", definitions) + [""]
        md += [f"- **{c}** ({d['lever_of']}): {_describe(d)}" for c, d in definitions.items() if d.get("lever_of")
               and any(r["condition"] == c for r in every)] + [""]
    if data["runs"]:
        md += [f"Runs: {len(data['runs'])}, {sum(r.get('minutes') or 0 for r in data['runs']):.0f} minutes in all.", ""]
    text = "\n".join(md)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(text, encoding="utf-8")
    return text
