"""Low-resource event extraction: a learning curve over training-set size (DEGREE's document
protocol, or sentences for corpora without documents), several seeds per size, the same dev and
test sets, with and without AMR graphs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.subsample import resolve_sizes, sample_training, training_units
from .ee import EEConfig, read_split
from .ee_graphs import graph_label
from .ee_runs import fit_run, shared_backbone
from .runinfo import write_json

logger = logging.getLogger(__name__)

__all__ = ["LowResourceConfig", "run_low_resource"]


@dataclass
class LowResourceConfig:
    """``amrgnn low-resource``: ``base`` is the training recipe (its ``output_dir``, ``graphs`` and
    ``seed`` are set per run)."""

    base: EEConfig
    output_dir: str
    unit: str = "auto"
    sizes: list[str] | None = None
    seeds: list[int] = field(default_factory=lambda: [1, 2, 3])
    graphs: list[str] = field(default_factory=lambda: ["none"])
    full: bool = True
    keep_models: bool = False


def run_low_resource(cfg: LowResourceConfig) -> list[dict[str, Any]]:
    """Every (graphs, size, seed) run (finished ones read back); writes ``OUTPUT/report.md`` and
    ``OUTPUT/low_resource.png``."""
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = shared_backbone(cfg.base, out)
    train, _ = read_split(base.train, base, "train")
    dev, _ = read_split(base.dev, base, "dev")
    evals = {"test": read_split(base.test, base, "test")[0]} if base.test else {}
    unit, units = training_units(train, cfg.unit)
    sizes = resolve_sizes(cfg.sizes, len(units))
    if cfg.full and len(units) not in sizes:
        sizes.append(len(units))
    write_json(out / "sizes.json", {"unit": unit, "available": len(units), "sizes": sizes})
    results = []
    for spec in cfg.graphs:
        label = graph_label(spec, cfg.graphs)
        for size in sizes:
            for seed in cfg.seeds:
                run_dir = out / "runs" / label / f"{unit}{size}-seed{seed}"
                describe = {"protocol": "low-resource", "graphs": label, "graph_source": spec, "unit": unit, "size": size,
                            "available": len(units), "fraction": size / len(units)}
                logger.info("low-resource %s: %d %s, seed %d", label, size, unit, seed)
                results.append(fit_run(
                    base, run_dir, graphs=spec, seed=seed,
                    train=lambda size=size, seed=seed: sample_training(train, size, seed, unit),
                    dev=dev, evals=evals, describe=describe,
                    data_files={"train": base.train, "dev": base.dev, "test": base.test}, keep_model=cfg.keep_models,
                ))
    from .protocol_report import write_report

    write_report([out], out)
    return results
