"""Class-incremental (continual) event detection and extraction.

Event types are split into tasks learned in sequence; task ``t`` trains on its sentences labelled
with its own types only, and after every task the model is scored on all types seen so far. The
methods share everything but how each task's training set and loss are built:

=============  ================================================================================
``finetune``   the task's data alone (the lower bound)
``replay``     + a memory of ``memory`` exemplar sentences per old type (herding selection)
``replay-kd``  replay + distillation of the previous model's trigger and role logits on old labels
``joint``      the data of every task seen so far, with all their labels (the upper bound)
=============  ================================================================================

All methods mask the logits of types not seen yet (training and decoding) and continue from the
previous task's model with a fresh optimizer. Each (method, graphs, order, seed) run lives in its
own directory, writes its metadata first, and after every task its scores, memory, model
(safetensors) and ``state.json``; a killed run resumes at the task it was in.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoTokenizer, TrainingArguments, set_seed

from ....data.ee import NO_ROLE, EECollator, EEDataset, EELabels, encode_sentences
from ....data.events import Sentence
from ....data.graphs import attach_graphs, graph_label, parse_graph_source
from ....data.streams import assign_tasks, read_streams, restrict_events, split_types, task_orders
from ....errors import UsageError
from ....models import AMRDebertaConfig, AMRDebertaForEventExtraction
from ...ee.predict import label_masks, predict_sentences, write_predictions
from ...ee.score import score_events
from ...ee.train import read_split, resolve_ee_backbone
from ...training import MetricsLogger, device_args
from ..report import write_report
from ..runinfo import read_json, run_metadata, write_json
from .config import ContinualConfig
from .methods import CONTINUAL_METHODS, ContinualMethod
from .trainer import ContinualTrainer, DevStopping, select_exemplars, trigger_features

logger = logging.getLogger(__name__)

__all__ = ["forgetting", "run_continual", "summarize_run"]

SCORED = ("trigger_cls", "arg_cls")


def forgetting(matrix: Sequence[Sequence[float | None]]) -> float | None:
    """Average forgetting (Chaudhry et al., 2018): for each task but the last, its best score after
    any earlier step minus its score at the end. ``matrix[t][j]`` is task ``j``'s score after step
    ``t`` (``j <= t``). ``None`` with a single task."""
    steps = len(matrix)
    if steps < 2:
        return None
    drops = [max(matrix[t][j] for t in range(j, steps - 1)) - matrix[steps - 1][j] for j in range(steps - 1)]
    return sum(drops) / len(drops)


@dataclass
class _Split:
    sentences: list[Sentence]
    dataset: EEDataset


class _Protocol:
    """Data shared by every run of one invocation (read, split into tasks, tokenised, graphs attached)."""

    def __init__(self, cfg: ContinualConfig) -> None:
        self.cfg = cfg
        self.recipe = recipe = cfg.base
        out = Path(cfg.output_dir)
        self.train, self.train_stats = read_split(recipe.train, recipe, "train")
        self.evals = {"dev": read_split(recipe.dev, recipe, "dev")[0]}
        if recipe.test:
            self.evals["test"] = read_split(recipe.test, recipe, "test")[0]
        train_types = sorted({e.type for s in self.train for e in s.events})
        if cfg.streams:
            self.streams = read_streams(cfg.streams)
            missing = sorted({t for task in self.streams for t in task} - set(train_types))
            if missing:
                raise UsageError(f"{cfg.streams}: {len(missing)} event type(s) never occur in {recipe.train}: {missing[:10]}")
        else:
            self.streams = split_types(train_types, cfg.tasks, cfg.split_seed)
        self.members, self.stream_stats = assign_tasks(self.train, self.streams, cfg.split_seed)
        types = sorted(t for task in self.streams for t in task)
        roles = sorted({a.role for s in self.train for e in s.events if e.type in set(types) for a in e.arguments})
        self.labels = EELabels(types, [NO_ROLE, *roles])
        self.roles_of: dict[str, set[str]] = {}
        for s in self.train:
            for e in s.events:
                self.roles_of.setdefault(e.type, set()).update(a.role for a in e.arguments)
        self.index_of = {s.id: i for i, s in enumerate(self.train)}
        if len(self.index_of) < len(self.train):
            dup = next(s for i, s in enumerate(self.train) if self.index_of[s.id] != i)
            raise UsageError(f"{dup.path}:{dup.line}: sentence id {dup.id!r} repeats; the replay memory keys sentences by id")
        self.backbone = resolve_ee_backbone(recipe.backbone, out)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.backbone))
        self.predicted = not any(s.entities for s in self.train)
        self.orders = task_orders(len(self.streams), cfg.orders, cfg.split_seed)
        self._graphs: dict[str, tuple[dict[str, Any], dict[str, _Split], dict[str, Any], dict[str, Any]]] = {}

    def graphs(self, spec: str) -> tuple[dict[str, Any], dict[str, _Split], dict[str, Any], dict[str, Any]]:
        """(train graphs by sentence id, encoded eval splits, config overrides for the relation
        vocabulary, attach stats) of a source."""
        if spec not in self._graphs:
            source = parse_graph_source(spec)
            vocab = None
            stats = {}
            glist, stats["train"], vocab = attach_graphs(source, self.train, self.tokenizer, vocab=vocab, backbone=self.backbone)
            by_id = {s.id: (glist[i] if glist is not None else None) for i, s in enumerate(self.train)}
            splits = {}
            for name, sents in self.evals.items():
                g, stats[name], vocab = attach_graphs(source, sents, self.tokenizer, vocab=vocab, backbone=self.backbone)
                examples, _ = encode_sentences(sents, self.tokenizer, self.labels, max_seq_len=self.recipe.max_seq_len, graphs=g)
                splits[name] = _Split(sents, EEDataset(examples))
            relations = {"graph_num_relations": len(vocab.relations)} if vocab is not None else {}
            self._graphs[spec] = (by_id, splits, relations, stats)
        return self._graphs[spec]

    def roles(self, types: Sequence[str]) -> set[str]:
        return set().union(*(self.roles_of.get(t, set()) for t in types)) if types else set()


def _training_set(proto: _Protocol, method: ContinualMethod, order: list[int], step: int,
                  memory: dict[str, list[list[Any]]]) -> tuple[list[Sentence], int]:
    """The sentences of step ``step`` (each labelled with the union of the types it is shown for)
    and how many came from the memory."""
    allowed: dict[int, set[str]] = {}
    for k in method.training_tasks(order, step):
        for i in proto.members[k]:
            allowed.setdefault(i, set()).update(proto.streams[k])
    replayed = 0
    if method.replays:
        for entries in memory.values():
            for sid, k in entries:
                i = proto.index_of[sid]
                replayed += i not in allowed
                allowed.setdefault(i, set()).update(proto.streams[k])
    return [restrict_events(proto.train[i], allowed[i]) for i in sorted(allowed)], replayed


def _score_step(proto: _Protocol, model: AMRDebertaForEventExtraction, splits: dict[str, _Split], collator: EECollator,
                order: list[int], step: int, task_dir: Path) -> dict[str, Any]:
    """Scores on the seen types (overall and per seen task) of every eval split; the predictions
    are written to ``task_dir/predictions.SPLIT.jsonl``."""
    seen_tasks = order[: step + 1]
    seen = [t for k in seen_tasks for t in proto.streams[k]]
    roles = proto.roles(seen) if proto.cfg.arguments else set()
    out = {}
    for name, split in splits.items():
        preds = predict_sentences(model, split.sentences, split.dataset, collator, batch_size=proto.recipe.eval_batch_size,
                                  candidates="predicted" if proto.predicted else "given",
                                  allowed_types=seen, allowed_roles=roles)
        write_predictions(preds, task_dir / f"predictions.{name}.jsonl")
        gold = [restrict_events(s, seen) for s in split.sentences]
        overall = score_events(gold, preds)
        per_task = {}
        for k in seen_tasks:
            types = proto.streams[k]
            sc = score_events([restrict_events(s, types) for s in gold], [restrict_events(s, types) for s in preds])
            per_task[str(k)] = {m: sc.metrics[m].f1 for m in SCORED}
        out[name] = {**overall.as_dict(), "per_task": per_task}
    return out


def _dev_score(proto: _Protocol, model: AMRDebertaForEventExtraction, dev: _Split, collator: EECollator,
               seen: Sequence[str], taught: Sequence[str]) -> float:
    """The stopping score after an epoch: the model predicts the ``seen`` types on the dev
    sentences, and is scored on the types the step teaches (``taught``: the current task's, all
    seen ones for joint training; so stopping never looks at how well old tasks are remembered),
    the mean of Trig-C and Arg-C F1 (Trig-C alone without arguments)."""
    roles = proto.roles(seen) if proto.cfg.arguments else set()
    preds = predict_sentences(model, dev.sentences, dev.dataset, collator, batch_size=proto.recipe.eval_batch_size,
                              candidates="predicted" if proto.predicted else "given", allowed_types=seen, allowed_roles=roles)
    score = score_events([restrict_events(s, taught) for s in dev.sentences], [restrict_events(s, taught) for s in preds])
    return score.cls_mean if proto.cfg.arguments else score.metrics["trigger_cls"].f1


def summarize_run(steps: Sequence[dict[str, Any]], order: Sequence[int]) -> dict[str, Any]:
    """Per split and metric: F1 on the seen types after each step, their average, the final F1 and
    the average forgetting (from the per-task F1 after each step)."""
    out: dict[str, Any] = {}
    for split in steps[0]["scores"]:
        out[split] = {}
        for m in SCORED:
            curve = [s["scores"][split][m]["f1"] for s in steps]
            matrix = [[s["scores"][split]["per_task"][str(order[j])][m] for j in range(t + 1)] for t, s in enumerate(steps)]
            out[split][m] = {"curve": curve, "average": sum(curve) / len(curve), "final": curve[-1],
                             "forgetting": forgetting(matrix) if len(steps) == len(order) else None}
    return out


def _save_model(model: AMRDebertaForEventExtraction, tokenizer: Any, path: Path) -> None:
    staging = path.with_name(f".{path.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    if path.exists():
        shutil.rmtree(path)
    staging.rename(path)


def _run_one(proto: _Protocol, method: ContinualMethod, spec: str, order_id: int, seed: int, run_dir: Path) -> dict[str, Any]:
    cfg, recipe = proto.cfg, proto.recipe
    order = proto.orders[order_id]
    n_steps = len(order)
    state = read_json(run_dir / "state.json") if (run_dir / "state.json").is_file() else {"completed": 0}
    done = state["completed"]
    if done == n_steps and (run_dir / "results.json").is_file():
        return read_json(run_dir / "results.json")
    by_id, splits, relations, graph_stats = proto.graphs(spec)
    source = parse_graph_source(spec)
    if not (run_dir / "run.json").is_file():
        meta = run_metadata(
            {"protocol": "continual", **asdict(cfg), "method": method.name, "graphs": spec, "order": order, "order_id": order_id,
             "streams": proto.streams, "stream_stats": proto.stream_stats.as_dict(), "read": proto.train_stats.as_dict(),
             "graph_stats": graph_stats},
            {"train": recipe.train, "dev": recipe.dev, "test": recipe.test, "streams": cfg.streams}, seed)
        write_json(run_dir / "run.json", meta)
    if done:
        model = AMRDebertaForEventExtraction.from_pretrained(str(run_dir / f"task{done - 1}" / "model"))
        logger.info("%s: resuming after step %d of %d", run_dir, done, n_steps)
    else:
        config = AMRDebertaConfig.from_pretrained(
            str(proto.backbone), ee_trigger_labels=proto.labels.trigger_bio, ee_role_labels=proto.labels.roles,
            ee_entity_labels=proto.labels.entity_bio if proto.predicted else None, **relations,
            **({} if source.uses_graphs and not recipe.argument_graph else {"graph_attention": "none"}),
            **({"ee_argument_graph": True} if source.uses_graphs and recipe.argument_graph else {}),
            **(recipe.graph_overrides if source.uses_graphs else {}))
        set_seed(seed)
        model = AMRDebertaForEventExtraction.from_pretrained(str(proto.backbone), config=config)
    memory: dict[str, list[list[Any]]] = read_json(run_dir / f"task{done - 1}" / "memory.json") if done else {}
    steps = [read_json(run_dir / f"task{t}" / "result.json") for t in range(done)]
    collator = EECollator(proto.tokenizer.pad_token_id, model.config.graph_num_scales, model.config.graph_undirected,
                          use_graph=source.uses_graphs, with_entities=proto.predicted)
    for step in range(done, n_steps):
        started = time.perf_counter()
        task = order[step]
        task_dir = run_dir / f"task{step}"
        seen = [t for k in order[: step + 1] for t in proto.streams[k]]
        old = [t for k in order[:step] for t in proto.streams[k]]
        train, replayed = _training_set(proto, method, order, step, memory)
        examples, enc_stats = encode_sentences(train, proto.tokenizer, proto.labels, max_seq_len=recipe.max_seq_len,
                                               graphs=[by_id[s.id] for s in train],
                                               candidates_from_arguments=proto.predicted)
        trig_bias, role_bias = label_masks(model.config, seen, proto.roles(seen) if cfg.arguments else ())
        old_trig = old_roles = None
        teacher = method.teacher(model, step)
        if teacher is not None:
            old_bias, old_role_bias = label_masks(model.config, old, proto.roles(old))
            old_trig = torch.nonzero(old_bias == 0).flatten()
            old_roles = torch.nonzero(old_role_bias == 0).flatten()
        set_seed(seed + step)
        model.initialised_parameters = None  # head learning rate by parameter name, the same on resume
        args = TrainingArguments(
            output_dir=str(task_dir / "trainer"), num_train_epochs=recipe.epochs, max_steps=recipe.max_steps,
            per_device_train_batch_size=recipe.batch_size, learning_rate=recipe.learning_rate,
            weight_decay=recipe.weight_decay,
            lr_scheduler_type="linear", eval_strategy="no", save_strategy="no", logging_steps=10, report_to=[],
            seed=seed + step, dataloader_num_workers=recipe.workers, remove_unused_columns=False,
            disable_tqdm=not recipe.progress, **device_args(recipe.precision),
        )
        trainer = ContinualTrainer(
            model=model, args=args, train_dataset=EEDataset(examples), data_collator=collator, processing_class=proto.tokenizer,
            callbacks=[MetricsLogger(task_dir)], trigger_bias=trig_bias, role_bias=role_bias, teacher=teacher,
            old_trigger_classes=old_trig, old_role_classes=old_roles, kd_weight=cfg.kd_weight,
            kd_temperature=cfg.kd_temperature, arguments=cfg.arguments,
        )
        trainer.head_learning_rate = recipe.head_learning_rate
        trainer.graph_learning_rate = recipe.graph_learning_rate
        stopping = None
        if cfg.stopping == "dev":
            taught = [t for k in method.training_tasks(order, step) for t in proto.streams[k]]
            stopping = DevStopping(lambda m, seen=seen, taught=taught: _dev_score(proto, m, splits["dev"], collator, seen, taught), cfg.patience)
            trainer.add_callback(stopping)
        trainer.train()
        model = trainer.model
        if stopping is not None:
            stopping.restore(model)
        del trainer, teacher
        if method.replays:
            current = [restrict_events(proto.train[i], proto.streams[task]) for i in proto.members[task]]
            cur_examples, _ = encode_sentences(current, proto.tokenizer, proto.labels, max_seq_len=recipe.max_seq_len,
                                               graphs=[by_id[s.id] for s in current])
            feats = trigger_features(model, current, EEDataset(cur_examples), collator, proto.streams[task], recipe.eval_batch_size)
            for t, picked in select_exemplars(feats, cfg.memory).items():
                memory[t] = [[current[i].id, task] for i in picked]
        task_dir.mkdir(parents=True, exist_ok=True)
        scores = _score_step(proto, model, splits, collator, order, step, task_dir)
        result = {
            "step": step, "task": task, "types": proto.streams[task], "train_sentences": len(train), "replayed": replayed,
            "memory_sentences": len({sid for entries in memory.values() for sid, _ in entries}),
            "encode": asdict(enc_stats), "seconds": time.perf_counter() - started, "scores": scores,
        }
        if stopping is not None:
            result["stopping"] = {"best_epoch": stopping.best_epoch, "epochs": len(stopping.history), "dev_curve": stopping.history}
        write_json(task_dir / "memory.json", memory)
        write_json(task_dir / "result.json", result)
        _save_model(model, proto.tokenizer, task_dir / "model")
        write_json(run_dir / "state.json", {"completed": step + 1})
        if step and not cfg.keep_models:
            shutil.rmtree(run_dir / f"task{step - 1}" / "model", ignore_errors=True)
        steps.append(result)
        logger.info("%s step %d/%d (task %d): trigger_cls %.1f arg_cls %.1f (%.0f s)", run_dir.name, step + 1, n_steps, task,
                    scores["dev"]["trigger_cls"]["f1"], scores["dev"]["arg_cls"]["f1"], result["seconds"])
    results = {
        "protocol": "continual", "method": method.name, "graphs": graph_label(spec, cfg.graphs), "graph_source": spec,
        "order_id": order_id, "order": order, "seed": seed, "steps": steps, "summary": summarize_run(steps, order),
    }
    write_json(run_dir / "results.json", results)
    return results


def run_continual(cfg: ContinualConfig) -> list[dict[str, Any]]:
    """Every (method, graphs, order, seed) run of ``cfg`` (finished runs are read back, interrupted
    ones resume); writes ``OUTPUT/report.md`` and ``OUTPUT/continual.png``."""
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    proto = _Protocol(cfg)
    write_json(out / "streams.json", proto.streams)
    results = []
    for spec in cfg.graphs:
        label = graph_label(spec, cfg.graphs)
        for method in (CONTINUAL_METHODS.get(m)() for m in cfg.methods):
            for order_id in range(len(proto.orders)):
                for seed in cfg.seeds:
                    run_dir = out / "runs" / f"{method.name}-{label}" / f"order{order_id}-seed{seed}"
                    results.append(_run_one(proto, method, spec, order_id, seed, run_dir))
    write_report([out], out)
    return results
