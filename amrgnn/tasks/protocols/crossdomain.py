"""Multi-domain event extraction: train on one set of domains, test on each domain.

Two ways to name domains:

* **genres** of one corpus (ACE2005: ``bn``, ``nw``, ``bc``, ``cts``, ``wl``, ``un``, read from the
  document id by :func:`~amrgnn.data.domains.ace_genre`, or a ``--domain-map`` JSON of document id
  (or id prefix) to domain). Each source set trains on its genres' train/dev sentences; every genre's
  test sentences are scored.
* **corpora**: ``NAME=FORMAT:TRAIN,DEV,TEST`` per domain (e.g. GENEVA ``general`` and PHEE ``bio``);
  each domain in turn is the source, every domain's test set is scored.

The in-domain score is the source's own test set; the gap is in-domain minus out-of-domain F1.
Where source and target share no event type, only identification metrics can transfer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...data.domains import ace_genre, split_by_domain
from ...data.events import EVENT_FORMATS, Sentence
from ...data.graphs import graph_label
from ...errors import UsageError
from ...options import int_list, option
from ..ee.config import EEConfig
from .runinfo import read_json

logger = logging.getLogger(__name__)

__all__ = ["CorpusDomain", "CrossDomainConfig", "domain_mapper", "parse_domain", "run_cross_domain"]


@dataclass
class CorpusDomain:
    """A domain given as its own corpus."""

    name: str
    format: str
    train: str
    dev: str
    test: str


def parse_domain(spec: str) -> CorpusDomain:
    """``NAME=FORMAT:TRAIN,DEV,TEST`` (``FORMAT``: a registered event format)."""
    name, eq, rest = spec.partition("=")
    fmt, colon, files = rest.partition(":")
    parts = files.split(",")
    if not eq or not colon or not name or len(parts) != 3 or not all(parts):
        raise UsageError(f"domain {spec!r}: expected NAME=FORMAT:TRAIN,DEV,TEST")
    if fmt not in EVENT_FORMATS:
        raise UsageError(f"domain {spec!r}: format must be one of {', '.join(EVENT_FORMATS.names())}, not {fmt!r}")
    return CorpusDomain(name, fmt, *parts)


def domain_mapper(path: str | None) -> Callable[[str], str]:
    """The domain of a document id: by ``path`` (JSON object of document id or id prefix -> domain;
    the longest matching prefix wins), else the ACE2005 genre."""
    if path is None:
        return ace_genre
    table: dict[str, str] = read_json(path)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise UsageError(f"{path}: expected a JSON object of document id (or prefix) -> domain name")
    keys = sorted(table, key=len, reverse=True)

    def domain(doc_id: str) -> str:
        for k in keys:
            if doc_id.startswith(k):
                return table[k]
        raise UsageError(f"document id {doc_id!r} is not in {path}")

    return domain


@dataclass
class CrossDomainConfig:
    """``amrgnn cross-domain``: ``base`` is the training recipe (its files are the genre-mode corpus)."""

    base: EEConfig = option(help="the training recipe", cli=False)
    output_dir: str = option(help="runs/ and report.md go here", metavar="DIR")
    domains: list[str] = option(default_factory=list, flag="--domain", action="append",
                                help="NAME=FORMAT:TRAIN,DEV,TEST (corpus mode); repeat for each domain")
    train_domains: list[str] = option(default_factory=list, action="append",
                                      help="genres trained on together, e.g. bn,nw; repeatable (default: each genre alone)")
    domain_map: str | None = option(None, metavar="JSON", help="document id (or id prefix) -> domain, instead of ACE genres")
    seeds: list[int] | None = option(None, type=int_list, help="training seeds, e.g. 1,2,3 (default: the recipe's seed)")
    graphs: list[str] = option(default_factory=lambda: ["none"], action="append",
                               help="none | penman:PATH | amrlib | predicted:DIR | tokengraph:PATH; repeat to compare (default: none)")
    keep_models: bool = option(False, help="keep every run's model")

    def __post_init__(self) -> None:
        if self.seeds is None:
            self.seeds = [self.base.seed]
        if not self.domains and not (self.base.train and self.base.dev and self.base.test):
            raise UsageError("give --domain NAME=FORMAT:TRAIN,DEV,TEST (twice or more), or --train/--dev/--test of one corpus")
        if self.domains and len(self.domains) < 2:
            raise UsageError("corpus mode needs at least two --domain entries")


def _types(sents: Sequence[Sentence]) -> set[str]:
    return {e.type for s in sents for e in s.events}


def run_cross_domain(cfg: CrossDomainConfig) -> list[dict[str, Any]]:
    """Every (graphs, source, seed) run; writes ``OUTPUT/report.md``."""
    from ..ee.train import read_split
    from .report import write_report
    from .runs import fit_run, shared_backbone

    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = shared_backbone(cfg.base, out)
    sources: list[tuple[str, list[Sentence], list[Sentence], dict[str, str | None]]] = []
    tests: dict[str, list[Sentence]] = {}
    if cfg.domains:
        for d in map(parse_domain, cfg.domains):
            rd = replace(base, format=d.format)
            train, dev, test = (read_split(p, rd, f"{d.name} {w}")[0] for p, w in ((d.train, "train"), (d.dev, "dev"), (d.test, "test")))
            sources.append((d.name, train, dev, {"train": d.train, "dev": d.dev, "test": d.test}))
            tests[d.name] = test
        names = [s[0] for s in sources]
        if len(set(names)) != len(names):
            raise UsageError(f"domain names repeat: {names}")
        in_domain = {name: [name] for name in names}
    else:
        if not base.test:
            raise UsageError("genre mode scores each genre's test sentences: pass --test")
        mapper = domain_mapper(cfg.domain_map)
        by = {w: split_by_domain(read_split(p, base, w)[0], mapper) for w, p in (("train", base.train), ("dev", base.dev), ("test", base.test))}
        tests = by["test"]
        sets = [[g.strip() for g in s.split(",") if g.strip()] for s in cfg.train_domains] or [[g] for g in sorted(by["train"])]
        in_domain = {}
        for genres in sets:
            unknown = [g for g in genres if g not in by["train"]]
            if unknown:
                raise UsageError(f"no training sentences of domain(s) {unknown}; the training data has {sorted(by['train'])}")
            name = "+".join(genres)
            train = [s for g in genres for s in by["train"][g]]
            dev = [s for g in genres for s in by["dev"].get(g, [])]
            if not dev:
                raise UsageError(f"no dev sentences of domain(s) {genres}: model selection needs them")
            sources.append((name, train, dev, {"train": base.train, "dev": base.dev, "test": base.test, "domain_map": cfg.domain_map}))
            in_domain[name] = genres
        tests = {k: v for k, v in tests.items() if v}
        for name, genres in in_domain.items():
            tests.setdefault(name, [s for g in genres for s in tests.get(g, [])])
    results = []
    for spec in cfg.graphs:
        label = graph_label(spec, cfg.graphs)
        for name, train, dev, files in sources:
            targets = {t: s for t, s in tests.items() if t == name or "+" not in t}
            shared = {t: [len(_types(train) & _types(s)), len(_types(s))] for t, s in targets.items()}
            for seed in cfg.seeds:
                run_dir = out / "runs" / label / f"{name}-seed{seed}"
                describe = {"protocol": "cross-domain", "graphs": label, "graph_source": spec, "source": name,
                            "in_domain": name, "source_domains": in_domain[name], "shared_types": shared}
                logger.info("cross-domain %s: train on %s, seed %d", label, name, seed)
                results.append(fit_run(
                    base, run_dir, graphs=spec, seed=seed, train=train, dev=dev,
                    evals={f"test.{t}": s for t, s in targets.items()}, describe=describe, data_files=files,
                    keep_model=cfg.keep_models,
                ))
    write_report([out], out)
    return results
