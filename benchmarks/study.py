"""Does AMR help? The chapter's central experiment on public data, resumable.

Conditions, identical in everything else (backbone, seeds, training subsets, recipe, selection on dev):

- ``text``: the plain backbone, no graph;
- ``mlgm``: the backbone after MLGM pre-training on the public AMR corpora, no graph at event time;
- ``graph``: the plain backbone with predicted token graphs in the attention;
- ``amr``: MLGM pre-training and predicted graphs (the chapter's system);
- ``scaffold``: no graph input; the predicted graphs of the training sentences as an auxiliary loss.

Settings: ``lowres`` (whole documents of the training set: 10% .. 100%; the 100% runs are also scored on
PHEE test) and ``crossdomain`` (GENEVA -> PHEE from those runs; PHEE -> GENEVA trained on PHEE). Each run is one directory
under ``OUTPUT/runs``; a finished run is read back (from ``--json`` or its ``results.json``), an
interrupted one resumes from its last checkpoint. What the conditions need is built once and cached
in OUTPUT (the converted backbone, the MLGM checkpoint, the token-graph predictor) unless given.

    python benchmarks/study.py                                  # the default matrix (GENEVA, ~3 h on 2 cores)
    python benchmarks/study.py --sizes 25% --seeds 1 --conditions text,graph   # a quick check
    python benchmarks/study.py --report-only                    # redraw report.md / study.png from --json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _study_report import write_study_report  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
GENEVA = SHARED / "geneva"
AMR_CORPORA = [
    SHARED / "little-prince-amr" / "amr-bank-struct-v3.0.txt",
    SHARED / "bio-amr" / "alignment-release-dev-bio.txt",
    SHARED / "qald9-amr" / "qald-9-amr-train.txt",
    SHARED / "qald9-amr" / "qald-9-amr-test.txt",
]
PHEE = SHARED / "phee"
SETTINGS = ("lowres", "crossdomain", "continual")
logger = logging.getLogger("study")


@dataclass(frozen=True)
class Condition:
    """What one condition changes against ``text``."""

    backbone: str = "plain"  # plain, or an MLGM variant of MLGM_VARIANTS
    graphs: bool = False  # predicted token graphs in the attention
    scaffold: bool = False  # predicted token graphs of the training sentences as an auxiliary loss
    overrides: dict[str, Any] = field(default_factory=dict)  # AMRDebertaConfig fields
    train: dict[str, Any] = field(default_factory=dict)  # EEConfig fields (train-ee options)
    lever_of: str | None = None  # a lever: the condition it varies (compared with it on dev)
    help: str = ""

    def __post_init__(self) -> None:
        if self.graphs and self.scaffold and not self.train.get("argument_graph"):
            raise ValueError("a condition has graph attention or the scaffold, not both: train-ee turns the graph "
                             "attention off under the scaffold, so it would be the scaffold condition again")

    def definition(self) -> dict[str, Any]:
        """What the runs depend on (recorded in the JSON: a changed definition invalidates them),
        with the MLGM variant's settings."""
        out = {k: v for k, v in asdict(self).items() if k != "help"}
        if self.backbone != "plain":
            out["mlgm"] = MLGM_VARIANTS[self.backbone]
        return out


#: MLGM pre-training variants: MLGMConfig fields over the study's MLGM recipe (see ensure_mlgm), or
#: ``{"interpolate": a}``: no training, the weights ``(1 - a) * plain + a * mlgm`` of the encoder the two
#: share (the MLGM-only graph terms and heads as MLGM left them), as in weight-space ensembling (WiSE-FT)
MLGM_VARIANTS: dict[str, dict[str, Any]] = {
    "mlgm": {},
    "mlgm-gentle": {"learning_rate": 3e-5, "epochs": 1.0},
    "mlgm-avg": {"interpolate": 0.5},
}

#: three times the study's training budget (--epochs 16, --min-steps 200)
LONG: dict[str, Any] = {"epochs": 48.0, "min_steps": 600}

CONDITIONS: dict[str, Condition] = {
    "text": Condition(help="the plain backbone, no graph"),
    "mlgm": Condition(backbone="mlgm", help="MLGM pre-training, no graph at event time"),
    "graph": Condition(graphs=True, help="plain backbone, predicted graphs in the attention"),
    "amr": Condition(backbone="mlgm", graphs=True, help="MLGM pre-training and predicted graphs (the chapter's system)"),
    "scaffold": Condition(scaffold=True, help="graph prediction as an auxiliary loss, no graph input"),
    # levers (run them by name; each is compared on dev with the condition it varies)
    "graph-slow": Condition(graphs=True, train={"graph_learning_rate": 5e-5}, lever_of="graph",
                            help="graph terms at the encoder's learning rate (5e-5) instead of the heads' (1e-3)"),
    "graph-top2": Condition(graphs=True, overrides={"graph_layers": [-2, -1]}, lever_of="graph",
                            help="graph terms in the top two layers only"),
    "graph-relation": Condition(graphs=True, overrides={"graph_attention": "relation"}, lever_of="graph",
                                help="relation mode (an embedding per relation, per token pair) instead of multi-scale"),
    "mlgm-gentle": Condition(backbone="mlgm-gentle", lever_of="mlgm",
                             help="MLGM at learning rate 3e-5 for 1 epoch (instead of 1e-4 for 3): less forgetting"),
    "scaffold-0.3": Condition(scaffold=True, train={"scaffold_weight": 0.3}, lever_of="scaffold",
                              help="scaffold loss weight 0.3 instead of 1.0"),
    "mlgm-avg": Condition(backbone="mlgm-avg", lever_of="mlgm",
                          help="the average of the plain and the MLGM encoder's weights (less forgetting, no training)"),
    "amr-avg": Condition(backbone="mlgm-avg", graphs=True, lever_of="amr",
                         help="the averaged encoder (mlgm-avg) with predicted graphs"),
    # (no "amr-slow": with an MLGM backbone the graph terms are pre-trained and already train at the
    # encoder's learning rate; graph_learning_rate=5e-5 reproduced the amr runs bit for bit, 3 seeds)
    "mlgm-avg-scaffold": Condition(backbone="mlgm-avg", scaffold=True, train={"scaffold_weight": 0.3}, lever_of="mlgm-avg",
                                   help="the averaged encoder with the scaffold loss at weight 0.3 (no graph at test time)"),
    "graph-arg": Condition(graphs=True, train={"argument_graph": True}, lever_of="graph",
                           help="predicted graphs in the argument head only (hop distance and relations between trigger "
                           "and candidate); the encoder and the trigger head read no graph"),
    "mlgm-avg-graph-arg": Condition(backbone="mlgm-avg", graphs=True, train={"argument_graph": True}, lever_of="mlgm-avg",
                                    help="the averaged encoder with predicted graphs in the argument head only"),
    # the training budget: the 16-epoch recipe stops while Arg-C is still rising (the 50% runs' dev
    # Arg-C peaks at one of their last two evaluations), so does the text path catch up when trained longer?
    "text-long": Condition(train=LONG, lever_of="text", help="3x the training budget: 48 epochs, at least 600 steps "
                           "(checkpoint chosen on dev among 8 evaluations, as always)"),
    "graph-arg-long": Condition(graphs=True, train={"argument_graph": True, **LONG}, lever_of="text-long",
                                help="graph-arg with 3x the training budget, compared with text-long"),
    "mlgm-avg-scaffold-graph-arg": Condition(backbone="mlgm-avg", graphs=True, scaffold=True,
                                             train={"scaffold_weight": 0.3, "argument_graph": True}, lever_of="mlgm-avg-scaffold",
                                             help="mlgm-avg-scaffold with predicted graphs in the argument head"),
}
MAIN_CONDITIONS = tuple(k for k, c in CONDITIONS.items() if c.lever_of is None)


def _read_ids(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def _documents(sentences: list, docs: Path | None, what: str) -> list:
    if docs is None:
        return sentences
    wanted = _read_ids(docs)
    kept = [s for s in sentences if s.doc_id in wanted]
    found = {s.doc_id for s in kept}
    if missing := wanted - found:
        raise SystemExit(f"{docs}: {len(missing)} documents of the {what} list are not in the data (e.g. {sorted(missing)[0]})")
    logger.info("%s: %d sentences of %d documents (%s)", what, len(kept), len(found), docs)
    return kept


def ensure_mlgm(args: argparse.Namespace, backbone: Path, variant: str = "mlgm") -> Path:
    """The MLGM checkpoint of a variant (``mlgm``: that of the ``mlgm`` and ``amr`` conditions, ``--mlgm``
    or built in OUTPUT/mlgm; another of MLGM_VARIANTS: built in OUTPUT/VARIANT)."""
    if args.mlgm and variant == "mlgm":
        return Path(args.mlgm)
    out = Path(args.output_dir) / variant
    if (out / "model.safetensors").is_file() and (out / "mlgm_done.json").is_file():
        return out
    if "interpolate" in MLGM_VARIANTS[variant]:
        return interpolate_checkpoint(backbone, ensure_mlgm(args, backbone), out, MLGM_VARIANTS[variant]["interpolate"])
    from amrgnn.tasks.mlgm import run_pretraining
    from amrgnn.tasks.mlgm_config import MLGMConfig
    from amrgnn.tasks.training import last_complete_checkpoint

    fields = {"epochs": args.mlgm_epochs, "learning_rate": 1e-4, **MLGM_VARIANTS[variant]}
    logger.info("building the MLGM checkpoint %s in %s (%s)", variant, out, fields)
    t0 = time.perf_counter()
    cfg = MLGMConfig(
        data=[str(p) for p in AMR_CORPORA if p.is_file()], output_dir=str(out), backbone=str(backbone),
        batch_size=16, warmup_steps=30, max_seq_len=128, eval_steps=100, save_steps=100,
        resume=last_complete_checkpoint(out) is not None, progress=args.progress, seed=42, **fields,
    )
    result = run_pretraining(cfg)
    (out / "mlgm_done.json").write_text(json.dumps({"seconds": time.perf_counter() - t0, "config": asdict(cfg),
                                                   "result": result}, indent=2, default=str), encoding="utf-8")
    return out


def interpolate_checkpoint(plain: Path, mlgm: Path, out: Path, alpha: float) -> Path:
    """Write ``(1 - alpha) * plain + alpha * mlgm`` for every encoder weight the two share (the plain
    backbone's names lack MLGM's ``deberta.`` prefix); MLGM's own weights (graph terms, heads) are kept."""
    import shutil

    from safetensors.torch import load_file, save_file

    base, tuned = load_file(str(plain / "model.safetensors")), load_file(str(mlgm / "model.safetensors"))
    mixed, shared = {}, 0
    for name, value in tuned.items():
        other = base.get(name.removeprefix("deberta."))
        if other is not None and other.shape == value.shape:
            value, shared = (1 - alpha) * other + alpha * value, shared + 1
        mixed[name] = value.contiguous()
    if shared != len(base):
        raise SystemExit(f"{plain} and {mlgm}: only {shared} of the backbone's {len(base)} weights have a counterpart")
    out.mkdir(parents=True, exist_ok=True)
    for f in mlgm.iterdir():
        if f.is_file() and f.suffix in (".json", ".txt") and f.name != "mlgm_done.json":
            shutil.copy2(f, out / f.name)
    save_file(mixed, str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "mlgm_done.json").write_text(json.dumps({"interpolate": alpha, "plain": str(plain), "mlgm": str(mlgm),
                                                   "shared_weights": shared}, indent=2), encoding="utf-8")
    logger.info("interpolated %d shared weights (alpha %.2f) into %s", shared, alpha, out)
    return out


def ensure_predictor(args: argparse.Namespace, backbone: Path) -> Path:
    """The token-graph predictor (``--predictor``, or trained with the defaults in OUTPUT/predictor)."""
    if args.predictor:
        return Path(args.predictor)
    out = Path(args.output_dir) / "predictor"
    if (out / "scores.dev.json").is_file():
        return out
    from amrgnn.tasks.parser.config import ParserConfig
    from amrgnn.tasks.parser.train import run_parser_training
    from amrgnn.tasks.training import last_complete_checkpoint

    logger.info("training the token-graph predictor in %s (the train-parser defaults)", out)
    run_parser_training(ParserConfig(data=[str(p) for p in AMR_CORPORA if p.is_file()], output_dir=str(out),
                                     backbone=str(backbone), resume=last_complete_checkpoint(out) is not None,
                                     progress=args.progress))
    return out


def _ee_defaults():
    from amrgnn.tasks.ee.config import EEConfig

    return EEConfig(train="", dev="", output_dir="")


def recipe(args: argparse.Namespace) -> dict[str, Any]:
    """Everything every run shares: a run of the JSON is reused only under the same recipe (the
    fields the study does not set are train-ee's defaults)."""
    defaults = _ee_defaults()
    return {"train": str(args.train), "dev": str(args.dev), "dev_docs": str(args.dev_docs), "test": str(args.test),
            "test_docs": str(args.test_docs), "format": args.format, "backbone": args.backbone, "epochs": args.epochs, "min_steps": args.min_steps,
            "evaluations": args.evaluations, "select_metric": args.select_metric, "scaffold_weight": args.scaffold_weight,
            "phee_sentences": args.phee_sentences, "phee_dev_sentences": args.phee_dev_sentences,
            "continual_epochs": args.continual_epochs, "mention_tagger": False, "mlgm_epochs": args.mlgm_epochs,
            "target_test": str(args.target_test), "target_format": args.target_format,
            **{k: getattr(defaults, k) for k in ("batch_size", "learning_rate", "head_learning_rate")}}


#: recipe fields added after runs were recorded, with the value those runs had
RECIPE_ADDED = {"backbone": "offline", "phee_sentences": 1200, "phee_dev_sentences": 300, "continual_epochs": 30.0, "mention_tagger": False,
                "mlgm_epochs": 3.0, "target_test": str(PHEE / "test.json"), "target_format": "phee"}


def _load(json_path: Path, rec: dict[str, Any], fresh: bool) -> dict[str, Any]:
    if json_path.is_file() and not fresh:
        data = json.loads(json_path.read_text(encoding="utf-8"))
        data["recipe"] = {**RECIPE_ADDED, **data.get("recipe", {})}
        if data["recipe"] != rec:
            raise SystemExit(f"{json_path}: its runs used another recipe ({data.get('recipe')}); pass --fresh to start "
                             "over, or another --json")
        return data
    return {"recipe": rec, "prerequisites": {}, "runs": []}


def _check_definitions(data: dict[str, Any], names: list[str]) -> None:
    """Record each condition's definition; refuse to mix runs of a condition whose definition changed."""
    recorded = data.setdefault("conditions", {})
    for name in names:
        now = CONDITIONS[name].definition()
        has_runs = any(r["condition"] == name for r in data["runs"])
        if name in recorded and "mlgm" in now and "mlgm" not in recorded[name]:
            recorded[name] = {**recorded[name], "mlgm": now["mlgm"]}  # recorded before the variant's settings were
        if name in recorded and recorded[name] != now and has_runs:
            raise SystemExit(f"condition {name!r} changed since its runs were recorded ({recorded[name]} -> {now}); "
                             "rename it, or drop its runs from the JSON")
        recorded[name] = json.loads(json.dumps(now))


def _save(json_path: Path, data: dict[str, Any]) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = json_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, json_path)


def _scores(summary: dict[str, Any]) -> dict[str, Any]:
    """The object ``amrgnn evaluate --json`` prints (P/R/F1 per metric)."""
    from amrgnn.tasks.ee.score import METRICS, SCHEMA_FREE_METRICS

    return {m: summary[m] for m in (*METRICS, *SCHEMA_FREE_METRICS) if m in summary}


def _key(row: dict[str, Any]) -> tuple:
    return row["setting"], row["condition"], row.get("size", row.get("source")), row["seed"]


def _base_config(args: argparse.Namespace, needs: dict[str, Any], **fields: Any):
    from amrgnn.tasks.ee.config import EEConfig

    return EEConfig(**{"train": str(args.train), "dev": str(args.dev), "test": str(args.test) if args.test else None,
                       "output_dir": str(args.output_dir), "format": args.format, "backbone": str(needs["backbone"]),
                       "epochs": args.epochs, "min_steps": args.min_steps, "evaluations": args.evaluations,
                       "select_metric": args.select_metric, "progress": args.progress, "report_to": [],
                       "mention_tagger": False, **fields})


def _condition_config(base, name: str, args: argparse.Namespace, needs: dict[str, Any]):
    """``base`` as condition ``name`` trains it, and its graph source."""
    cond = CONDITIONS[name]
    cfg = replace(base, backbone=str(needs["backbone"] if cond.backbone == "plain" else needs[cond.backbone]),
                  scaffold_weight=args.scaffold_weight if cond.scaffold else 0.0, graph_overrides=dict(cond.overrides))
    return replace(cfg, **cond.train), (needs["graphs"] if cond.graphs or cond.scaffold else "none")


def _fit(args: argparse.Namespace, data: dict[str, Any], row: dict[str, Any], cfg, graphs: str, run_dir: Path, **fit: Any) -> None:
    """One run through ``fit_run``; its row (``row`` plus scores per evaluation set) joins the JSON."""
    from amrgnn.tasks.protocols.runs import fit_run

    trains = not (run_dir / "results.json").is_file()
    t0 = time.perf_counter()
    result = fit_run(cfg, run_dir, graphs=graphs, seed=row["seed"], **fit)
    minutes = (time.perf_counter() - t0) / 60
    row = {**row, "train_sentences": result["train_sentences"], "train_documents": result["train_documents"],
           "minutes": round(minutes, 2) if trains else None}
    row.update({name: _scores(scores) for name, scores in result["scores"].items()})
    data["runs"].append(row)
    _save(args.json, data)
    logger.info("  dev Trig-C %.1f Arg-C %.1f (%.1f min)", row["dev"]["trigger_cls"]["f1"], row["dev"]["arg_cls"]["f1"], minutes)
    write_study_report(data, Path(args.output_dir))


def _target_test(args: argparse.Namespace, base) -> list:
    """PHEE test (``--target-test``): the out-of-domain set of GENEVA-trained runs ([] when absent)."""
    from amrgnn.tasks.ee.train import read_split

    if not args.target_test:
        return []
    return read_split(str(args.target_test), replace(base, format=args.target_format), "target test")[0]


def run_lowres(args: argparse.Namespace, data: dict[str, Any], needs: dict[str, Path], sizes_spec: list[str] | None = None) -> None:
    """The low-resource matrix; runs on the whole training set are also scored on ``--target-test``
    (the GENEVA -> PHEE cell of the cross-domain setting)."""
    from amrgnn.data.subsample import resolve_sizes, sample_training, training_units
    from amrgnn.tasks.ee.train import read_split

    base = _base_config(args, needs)
    train, _ = read_split(base.train, base, "train")
    dev = _documents(read_split(base.dev, base, "dev")[0], args.dev_docs, "dev")
    evals = {"test": _documents(read_split(base.test, base, "test")[0], args.test_docs, "test")} if args.test else {}
    unit, units = training_units(train, "auto")
    spec = sizes_spec or args.sizes
    sizes = resolve_sizes(spec, len(units))
    labels = dict(zip(sizes, spec, strict=True))
    done = {_key(r) for r in data["runs"]}
    plan = [(size, seed, c) for size in sizes for seed in args.seeds for c in args.conditions]
    todo = [p for p in plan if ("lowres", p[2], labels[p[0]], p[1]) not in done]
    logger.info("lowres: %d runs planned, %d finished, %d to go", len(plan), len(plan) - len(todo), len(todo))
    target = _target_test(args, base) if any(size == len(units) for size, _, _ in todo) else []
    for n, (size, seed, name) in enumerate(todo, 1):
        cfg, graphs = _condition_config(base, name, args, needs)
        run_dir = Path(args.output_dir) / "runs" / "lowres" / name / f"{unit}{size}-seed{seed}"
        describe = {"protocol": "study-lowres", "condition": name, "unit": unit, "size": size, "available": len(units)}
        logger.info("[%d/%d] lowres %s: %s (%d %s), seed %d", n, len(todo), name, labels[size], size, unit, seed)
        run_evals = {**evals, "target": target} if size == len(units) and target else evals
        row = {"setting": "lowres", "condition": name, "size": labels[size], "seed": seed, "units": size, "unit": unit}
        _fit(args, data, row, cfg, graphs, run_dir, train=lambda size=size, seed=seed: sample_training(train, size, seed, unit),
             dev=dev, evals=run_evals, describe=describe, data_files={"train": base.train, "dev": base.dev, "test": base.test,
                                                                      "target": str(args.target_test) if target else None})


def run_crossdomain(args: argparse.Namespace, data: dict[str, Any], needs: dict[str, Path]) -> None:
    """GENEVA -> PHEE: the low-resource runs on all of GENEVA's training documents, scored on PHEE test
    (run here if missing). PHEE -> GENEVA: ``--phee-sentences`` PHEE training sentences drawn by seed
    (selection on a fixed ``--phee-dev-sentences`` sample of PHEE dev), scored on PHEE test (in domain)
    and the study's GENEVA test documents (out of domain). The two share no event type, so only
    identification (Trig-I, Arg-I) transfers."""
    import random

    from amrgnn.data.subsample import sample_training
    from amrgnn.tasks.ee.train import read_split

    run_lowres(args, data, needs, ["100%"])
    untargeted = [r for r in data["runs"] if r["setting"] == "lowres" and r["size"] == "100%" and r["condition"] in args.conditions
                  and r["seed"] in args.seeds and "target" not in r]
    if untargeted:
        raise SystemExit(f"{len(untargeted)} runs on all training documents have no out-of-domain score (run without "
                         "--target-test): drop them from the JSON and their run directories, and run again")
    phee = {w: str(args.phee / f"{w}.json") for w in ("train", "dev", "test")}
    base = _base_config(args, needs, train=phee["train"], dev=phee["dev"], test=phee["test"], format="phee")
    done = {_key(r) for r in data["runs"]}
    todo = [(seed, c) for seed in args.seeds for c in args.conditions if ("crossdomain", c, "phee", seed) not in done]
    logger.info("crossdomain phee -> geneva: %d runs planned, %d to go", len(args.seeds) * len(args.conditions), len(todo))
    if not todo:
        return
    train = read_split(phee["train"], base, "phee train")[0]
    dev = read_split(phee["dev"], base, "phee dev")[0]
    dev = sorted(random.Random(0).sample(dev, min(args.phee_dev_sentences, len(dev))), key=lambda s: s.id)
    evals = {"test": read_split(phee["test"], base, "phee test")[0],
             "target": _documents(read_split(str(args.test), _base_config(args, needs), "geneva test")[0], args.test_docs, "test")}
    for n, (seed, name) in enumerate(todo, 1):
        cfg, graphs = _condition_config(base, name, args, needs)
        run_dir = Path(args.output_dir) / "runs" / "crossdomain" / name / f"phee{args.phee_sentences}-seed{seed}"
        logger.info("[%d/%d] crossdomain phee -> geneva %s, seed %d", n, len(todo), name, seed)
        describe = {"protocol": "study-crossdomain", "condition": name, "source": "phee", "target": "geneva"}
        row = {"setting": "crossdomain", "condition": name, "source": "phee", "target": "geneva", "seed": seed}
        _fit(args, data, row, cfg, graphs, run_dir, dev=dev, evals=evals, describe=describe,
             train=lambda seed=seed: sample_training(train, min(args.phee_sentences, len(train)), seed, "sentences"),
             data_files={**phee, "target": str(args.test)})


def _write_subset(sentences: list, path: Path) -> str:
    """The sentences' own records (one JSON line each) in ``path``: the dev / test documents of the
    study as files, for the continual protocol, which reads whole files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(s.raw, ensure_ascii=False) + "\n" for s in sentences)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return str(path)


def run_continual_setting(args: argparse.Namespace, data: dict[str, Any], needs: dict[str, Path]) -> None:
    """The class-incremental protocol (``amrgnn continual``: 5 tasks of GENEVA types, one order) per
    condition, method (``--continual-methods``) and seed, each task trained to convergence on dev
    (``--stopping dev``, at most ``--continual-epochs``), scored on the seen types of the study's test
    documents after every task."""
    from amrgnn.tasks.ee.train import read_split
    from amrgnn.tasks.protocols.continual import ContinualConfig, run_continual

    base = _base_config(args, needs)
    unsupported = [c for c in args.conditions if CONDITIONS[c].scaffold]
    if unsupported:
        logger.warning("continual: %s skipped (the continual trainer has no scaffold loss yet)", ", ".join(unsupported))
    names = [c for c in args.conditions if c not in unsupported]
    done = {(r["condition"], r["method"], r["seed"]) for r in data["runs"] if r["setting"] == "continual"}
    todo = [(c, m, k) for c in names for m in args.continual_methods for k in args.seeds if (c, m, k) not in done]
    logger.info("continual: %d runs planned, %d to go", len(names) * len(args.continual_methods) * len(args.seeds), len(todo))
    if not todo:
        return
    subsets = Path(args.output_dir) / "data"
    dev = _write_subset(_documents(read_split(base.dev, base, "dev")[0], args.dev_docs, "dev"), subsets / "dev.json")
    test = _write_subset(_documents(read_split(base.test, base, "test")[0], args.test_docs, "test"), subsets / "test.json")
    for n, (name, method, seed) in enumerate(todo, 1):
        cfg, graphs = _condition_config(replace(base, dev=dev, test=test, epochs=args.continual_epochs), name, args, needs)
        logger.info("[%d/%d] continual %s %s, seed %d", n, len(todo), name, method, seed)
        t0 = time.perf_counter()
        trains = not any((Path(args.output_dir) / "runs" / "continual" / name / "runs").glob(f"{method}-*/order0-seed{seed}/results.json"))
        (result,) = run_continual(ContinualConfig(base=cfg, output_dir=str(Path(args.output_dir) / "runs" / "continual" / name),
                                                  methods=[method], graphs=[graphs], seeds=[seed], stopping="dev"))
        summary = result["summary"]
        row = {"setting": "continual", "condition": name, "method": method, "seed": seed,
               "minutes": round((time.perf_counter() - t0) / 60, 2) if trains else None,
               "epochs": [s.get("stopping", {}).get("epochs") for s in result["steps"]],
               **{split: {m: summary[split][m] for m in ("trigger_cls", "arg_cls")} for split in summary}}
        data["runs"].append(row)
        _save(args.json, data)
        logger.info("  test average Trig-C %.1f Arg-C %.1f", row["test"]["trigger_cls"]["average"], row["test"]["arg_cls"]["average"])
        write_study_report(data, Path(args.output_dir))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="conditions: " + "; ".join(f"{k}: {c.help}" for k, c in CONDITIONS.items()))
    p.add_argument("--train", type=Path, default=GENEVA / "train-lr1200-s160.json", help="training sentences (default: GENEVA lr1200)")
    p.add_argument("--dev", type=Path, default=GENEVA / "val.json", help="model-selection sentences (default: GENEVA val)")
    p.add_argument("--dev-docs", type=Path, default=ROOT / "data" / "splits" / "geneva-val-dev-docs.txt",
                   help="keep these documents of --dev (default: the study's third of GENEVA val; 'none': all)")
    p.add_argument("--test", type=Path, default=GENEVA / "val.json", help="test sentences, scored once per run")
    p.add_argument("--test-docs", type=Path, default=ROOT / "data" / "splits" / "geneva-val-test-docs.txt",
                   help="keep these documents of --test (default: the other two thirds of GENEVA val; 'none': all)")
    p.add_argument("--format", default="oneie", help="layout of the event files")
    p.add_argument("--target-test", type=Path, default=PHEE / "test.json",
                   help="out-of-domain test set of the runs on all training documents (default: PHEE test; 'none': skip)")
    p.add_argument("--target-format", default="phee", help="layout of --target-test")
    p.add_argument("--phee", type=Path, default=PHEE, help="PHEE directory (train/dev/test.json) of the cross-domain setting")
    p.add_argument("--phee-sentences", type=int, default=1200, help="PHEE training sentences per cross-domain run (drawn by seed; GENEVA's lr1200 size)")
    p.add_argument("--phee-dev-sentences", type=int, default=300, help="PHEE dev sentences for model selection (a fixed sample)")
    p.add_argument("--sizes", nargs="+", default=["10%", "25%", "50%", "100%"], help="training-set sizes (documents)")
    p.add_argument("--seeds", default="1,2,3", help="comma-separated seeds")
    p.add_argument("--conditions", default=",".join(MAIN_CONDITIONS),
                   help=f"comma-separated, of {', '.join(MAIN_CONDITIONS)} and the levers {', '.join(k for k in CONDITIONS if k not in MAIN_CONDITIONS)}")
    p.add_argument("--settings", default="lowres", help=f"comma-separated, of {', '.join(SETTINGS)}")
    p.add_argument("--output-dir", type=Path, default=ROOT / "out" / "study", help="runs, caches, report.md, study.png")
    p.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "study.json", help="every run's scores")
    p.add_argument("--backbone", default="offline", help="'offline' (all-MiniLM-L6-v2, converted into OUTPUT/backbone) or a DeBERTa-v2/v3 directory")
    p.add_argument("--predictor", help="a train-parser model to predict the graphs (default: train one in OUTPUT/predictor)")
    p.add_argument("--graphs", help="another graph source for the graph conditions (penman:PATH, tokengraph:PATH...; "
                   "default: predicted:PREDICTOR)")
    p.add_argument("--mlgm", help="an MLGM checkpoint (default: pre-train one in OUTPUT/mlgm)")
    p.add_argument("--mlgm-epochs", type=float, default=3.0, help="MLGM epochs over the public AMR corpora")
    p.add_argument("--epochs", type=float, default=16.0, help="event-extraction epochs (the plain baseline's 16)")
    p.add_argument("--min-steps", type=int, default=200, help="at least this many steps: small training sets get more epochs")
    p.add_argument("--evaluations", type=int, default=8, help="dev evaluations per run (model selection)")
    p.add_argument("--select-metric", default="cls_mean", help="dev metric of model selection (cls_mean: mean of Trig-C and Arg-C)")
    p.add_argument("--scaffold-weight", type=float, default=1.0, help="weight of the scaffold's graph loss")
    p.add_argument("--continual-methods", default="finetune,replay,joint", help="continual methods (comma-separated)")
    p.add_argument("--continual-epochs", type=float, default=30.0, help="continual: at most this many epochs per task (dev stopping)")
    p.add_argument("--fresh", action="store_true", help="ignore the runs of --json (another recipe)")
    p.add_argument("--report-only", action="store_true", help="only redraw report.md and study.png from --json")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bars")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", datefmt="%H:%M:%S")
    for name in ("dev_docs", "test_docs", "target_test"):
        if str(getattr(args, name)) == "none":
            setattr(args, name, None)
    args.seeds = [int(s) for s in str(args.seeds).split(",") if s]
    args.conditions = [c for c in args.conditions.split(",") if c]
    args.settings = [s for s in args.settings.split(",") if s]
    args.continual_methods = [m for m in args.continual_methods.split(",") if m]
    if bad := [c for c in args.conditions if c not in CONDITIONS]:
        p.error(f"unknown conditions {bad}; choose from {', '.join(CONDITIONS)}")
    if bad := [s for s in args.settings if s not in SETTINGS]:
        p.error(f"unknown settings {bad}; choose from {', '.join(SETTINGS)} ")
    if args.report_only:
        data = json.loads(args.json.read_text(encoding="utf-8"))
        print(write_study_report(data, args.output_dir))
        return 0
    for path in (args.train, args.dev, args.test):
        if path is not None and not Path(path).is_file():
            raise SystemExit(f"{path}: no such file")
    if args.target_test is not None and not args.target_test.is_file():
        logger.warning("%s: no such file; the runs on all training documents get no out-of-domain score", args.target_test)
        args.target_test = None
    if "crossdomain" in args.settings and not all((args.phee / f"{w}.json").is_file() for w in ("train", "dev", "test")):
        raise SystemExit(f"{args.phee}: the cross-domain setting needs PHEE's train.json, dev.json and test.json")

    import torch

    torch.set_num_threads(min(torch.get_num_threads(), os.cpu_count() or 1))
    from amrgnn.tasks.ee.train import resolve_ee_backbone

    rec = recipe(args)
    data = _load(args.json, rec, args.fresh)
    _check_definitions(data, args.conditions)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    needs: dict[str, Any] = {"backbone": resolve_ee_backbone(args.backbone, args.output_dir)}
    for variant in dict.fromkeys(CONDITIONS[c].backbone for c in args.conditions if CONDITIONS[c].backbone != "plain"):
        needs[variant] = ensure_mlgm(args, needs["backbone"], variant)
        data["prerequisites"][variant] = {"path": str(needs[variant])}
    if args.graphs:
        needs["graphs"] = args.graphs
        data["prerequisites"]["graphs"] = args.graphs
    elif any(CONDITIONS[c].graphs or CONDITIONS[c].scaffold for c in args.conditions):
        needs["predictor"] = ensure_predictor(args, needs["backbone"])
        needs["graphs"] = f"predicted:{needs['predictor']}"
        scores = json.loads((needs["predictor"] / "scores.dev.json").read_text(encoding="utf-8"))
        data["prerequisites"]["predictor"] = {"path": str(needs["predictor"]), "dev_labelled_f1": scores.get("labelled_f1"),
                                              "dev_unlabelled_f1": scores.get("unlabelled_f1")}
    _save(args.json, data)
    if "lowres" in args.settings:
        run_lowres(args, data, needs)
    if "crossdomain" in args.settings:
        run_crossdomain(args, data, needs)
    if "continual" in args.settings:
        run_continual_setting(args, data, needs)
    print(write_study_report(data, args.output_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
