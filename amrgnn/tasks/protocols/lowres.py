"""Low-resource event extraction: a learning curve over training-set size (DEGREE's document
protocol, or sentences for corpora without documents), several seeds per size, the same dev and
test sets, with and without AMR graphs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...data.graphs import graph_label
from ...data.subsample import UNITS, resolve_sizes, sample_training, training_units
from ...options import int_list, option
from ..ee.config import EEConfig
from .runinfo import write_json

logger = logging.getLogger(__name__)

__all__ = ["LowResourceConfig", "run_low_resource"]


@dataclass
class LowResourceConfig:
    """``amrgnn low-resource``: ``base`` is the training recipe (its ``output_dir``, ``graphs`` and
    ``seed`` are set per run)."""

    base: EEConfig = option(help="the training recipe", cli=False)
    output_dir: str = option(help="runs/, report.md and low_resource.png go here", metavar="DIR")
    unit: str = option("auto", help="what is sampled (auto: documents when every sentence has a doc_id)", choices=UNITS)
    sizes: list[str] | None = option(
        None, metavar="SIZE", help="counts (25), percentages (5%%) or fractions (0.05) (default: DEGREE's 1%%..75%%: "
        "5..400 of ACE's 529 documents)",
    )
    seeds: list[int] = option(default_factory=lambda: [1, 2, 3], type=int_list, help="seeds per size, e.g. 1,2,3")
    graphs: list[str] = option(default_factory=lambda: ["none"], action="append",
                               help="none | penman:PATH | amrlib | predicted:DIR | tokengraph:PATH; repeat to compare (default: none)")
    full: bool = option(True, help="also train on the whole training set")
    keep_models: bool = option(False, help="keep every run's model")


def run_low_resource(cfg: LowResourceConfig) -> list[dict[str, Any]]:
    """Every (graphs, size, seed) run (finished ones read back); writes ``OUTPUT/report.md`` and
    ``OUTPUT/low_resource.png``."""
    from ..ee.train import read_split
    from .report import write_report
    from .runs import fit_run, shared_backbone

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
    write_report([out], out)
    return results
