"""``amrgnn continual``, ``low-resource``, ``cross-domain`` and ``report``: the evaluation protocols.

Each protocol's options are its configuration dataclass's fields plus the event-extraction recipe's
(:class:`~amrgnn.tasks.ee.EEConfig`), declared once there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import add_options, from_namespace
from ..tasks.ee.config import EEConfig
from ..tasks.protocols.continual.config import EE_FIELDS_UNUSED, ContinualConfig
from ..tasks.protocols.crossdomain import CrossDomainConfig
from ..tasks.protocols.lowres import LowResourceConfig
from .command import Command, existing_path

__all__ = ["CONTINUAL", "CROSS_DOMAIN", "LOW_RESOURCE", "REPORT"]

#: recipe fields a protocol sets per run
PER_RUN = ("output_dir", "graphs", "seed", "resume")


def _recipe(args: argparse.Namespace, output_dir: str, **values: object) -> EEConfig:
    cfg = from_namespace(EEConfig, args, output_dir=output_dir, **values)
    existing_path(cfg.train, cfg.dev, cfg.test)
    return cfg


def _print_report(output_dir: str, what: str) -> None:
    print((Path(output_dir) / "report.md").read_text(encoding="utf-8"))
    print(f"wrote {output_dir} ({what})")


# ---------------------------------------------------------------------------- continual
def _add_continual(p: argparse.ArgumentParser) -> None:
    add_options(p, ContinualConfig)
    add_options(p, EEConfig, exclude=EE_FIELDS_UNUSED, defaults={"epochs": 30.0}, group="training recipe")


def _run_continual(args: argparse.Namespace) -> int:
    from ..tasks.protocols.continual.loop import run_continual

    cfg = from_namespace(ContinualConfig, args, base=_recipe(args, args.output_dir))
    existing_path(cfg.streams)
    run_continual(cfg)
    _print_report(cfg.output_dir, "runs/, report.md, continual.png")
    return 0


CONTINUAL = Command(
    "continual",
    "class-incremental event extraction: types learnt task by task (finetune, replay, replay-kd, joint)",
    _add_continual, _run_continual,
    description="Event types are split into tasks (--streams, or a seeded split into --tasks tasks) learnt in sequence; "
    "task t trains on its sentences labelled with its own types only; after every task the model is scored (micro-F1, "
    "trigger and argument classification) on all types seen so far. Every combination of --method, --graphs, task "
    "order (--orders) and --seeds is one run under OUTPUT_DIR/runs/; runs resume at the task they were in; "
    "OUTPUT_DIR/report.md and continual.png summarise them.",
    epilog="The published ACE2005 split (9/6/5/5/8 types): --streams data/streams/ace05-5tasks.json",
)


# ---------------------------------------------------------------------------- low-resource
def _add_low_resource(p: argparse.ArgumentParser) -> None:
    add_options(p, LowResourceConfig)
    add_options(p, EEConfig, exclude=PER_RUN, group="training recipe")


def _run_low_resource(args: argparse.Namespace) -> int:
    from ..tasks.protocols.lowres import run_low_resource

    cfg = from_namespace(LowResourceConfig, args, base=_recipe(args, args.output_dir))
    run_low_resource(cfg)
    _print_report(cfg.output_dir, "runs/, report.md, low_resource.png")
    return 0


LOW_RESOURCE = Command(
    "low-resource", "learning curve over training size (DEGREE document protocol), several seeds, with/without AMR",
    _add_low_resource, _run_low_resource,
    description="Trains on nested random subsets of the training documents (or sentences where the corpus has none) "
    "and scores the same dev/test sets. Sizes default to DEGREE's 1%%..75%% (5..400 of ACE's 529 documents), plus the "
    "full set. Finished runs are read back; OUTPUT_DIR/report.md and low_resource.png summarise them.",
)


# ---------------------------------------------------------------------------- cross-domain
def _add_cross_domain(p: argparse.ArgumentParser) -> None:
    add_options(p, CrossDomainConfig)
    add_options(p, EEConfig, exclude=PER_RUN, required=(), group="training recipe")


def _run_cross_domain(args: argparse.Namespace) -> int:
    from ..tasks.protocols.crossdomain import parse_domain, run_cross_domain

    values = {k: getattr(args, k) or "" for k in ("train", "dev")}
    cfg = from_namespace(CrossDomainConfig, args, base=_recipe(args, args.output_dir, **values))
    for d in map(parse_domain, cfg.domains):
        existing_path(d.train, d.dev, d.test)
    existing_path(cfg.domain_map)
    run_cross_domain(cfg)
    _print_report(cfg.output_dir, "runs/, report.md")
    return 0


CROSS_DOMAIN = Command(
    "cross-domain", "train on some domains, test on each other domain (ACE genres or separate corpora)",
    _add_cross_domain, _run_cross_domain,
    description="Genre mode (--train/--dev/--test of one corpus): domains are the ACE2005 genres read from document "
    "ids (or --domain-map); each --train-domains set (default: each genre alone) is a source. Corpus mode (--domain "
    "NAME=FORMAT:TRAIN,DEV,TEST, repeated): each corpus in turn is the source. Every domain's test set is scored; "
    "report.md gives in-domain, out-of-domain F1 and the gap.",
    epilog="Public data: --domain general=oneie:GENEVA_TRAIN,GENEVA_VAL,GENEVA_VAL "
    "--domain bio=phee:PHEE_TRAIN,PHEE_DEV,PHEE_TEST",
)


# ---------------------------------------------------------------------------- report
def _add_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("dirs", nargs="+", type=Path, help="protocol output directories")
    p.add_argument("--output-dir", type=Path, help="write report.md, results.csv and plots here")


def _run_report(args: argparse.Namespace) -> int:
    from ..tasks.protocols.report import collect_results, report_markdown, write_report

    existing_path(*args.dirs)
    text = write_report(args.dirs, args.output_dir) if args.output_dir else report_markdown(collect_results(args.dirs))
    print(text)
    return 0


REPORT = Command(
    "report", "gather protocol results (results.json) into one markdown table", _add_report, _run_report,
    description="Reads every results.json below the directories; prints markdown (mean ± 95%% Student-t interval over "
    "seeds and task orders) and, with --output-dir, writes report.md and plots.",
)
