"""AMREE training: read the corpora, attach AMR graphs from the chosen source, train
:class:`~amrgnn.models.AMRDebertaForEventExtraction` on HF ``Trainer`` (model selection on the dev
split by argument-classification F1, configurable), and write predictions and scores.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from transformers import AutoTokenizer, TrainingArguments, set_seed

from ...data.ee import EECollator, EEDataset, EELabels, encode_sentences
from ...data.events import (
    ACE33_EVENT_TYPES,
    EventReadStats,
    Sentence,
    merge_time_roles,
    read_events,
)
from ...data.graphs import VOCAB_FILE, attach_graphs, parse_graph_source
from ...errors import UsageError
from ...models import AMRDebertaConfig, AMRDebertaForEventExtraction
from ...models.convert import convert_bert_to_deberta, offline_backbone_dir
from ...viz.curves import CurveScale
from ..training import AtomicCheckpointTrainer, MetricsLogger, device_args, last_complete_checkpoint
from .config import EEConfig
from .predict import predict_sentences, write_predictions
from .score import score_events, write_per_type_csv

logger = logging.getLogger(__name__)

#: the scorer reports F1 in percent
EE_CURVES = CurveScale("F1 (%)", (0, 100))

__all__ = ["EETrainer", "fit_event_model", "read_split", "resolve_ee_backbone", "run_event_extraction", "training_schedule"]


def read_split(path: str, cfg: EEConfig, what: str) -> tuple[list[Sentence], EventReadStats]:
    """Read one split as ``cfg`` says (format, skipping, Time-role merging, ACE33 filtering)."""
    stats = EventReadStats()
    sents = read_events(path, cfg.format, skip_invalid=cfg.skip_invalid, stats=stats)
    if cfg.merge_time_roles:
        merge_time_roles(sents)
    if cfg.ace33:
        allowed = set(ACE33_EVENT_TYPES)
        for s in sents:
            kept = [e for e in s.events if e.type in allowed]
            if len(kept) < len(s.events):
                stats.drop("not-ace33-type", s.id, len(s.events) - len(kept))
            s.events = kept
    logger.info("%s %s: %s", what, path, {k: v for k, v in stats.as_dict().items() if k != "examples"})
    return sents, stats


class EETrainer(AtomicCheckpointTrainer):
    """Evaluation = prediction on the dev sentences, scored by the shared scorer."""

    def __init__(self, *args: Any, eval_sentences: list[Sentence], candidates: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eval_sentences = eval_sentences
        self.candidates = candidates

    def evaluate(self, eval_dataset: Any = None, ignore_keys: Any = None, metric_key_prefix: str = "eval") -> dict[str, float]:
        dataset = eval_dataset or self.eval_dataset
        preds = predict_sentences(
            self.model, self.eval_sentences, dataset, self.data_collator,
            batch_size=self.args.per_device_eval_batch_size, candidates=self.candidates, device=self.args.device,
        )
        score = score_events(self.eval_sentences, preds)
        metrics = {}
        for name, prf in score.metrics.items():
            metrics[f"{metric_key_prefix}_{name}_f1"] = prf.f1
            metrics[f"{metric_key_prefix}_{name}_p"] = prf.p
            metrics[f"{metric_key_prefix}_{name}_r"] = prf.r
        metrics[f"{metric_key_prefix}_cls_mean_f1"] = score.cls_mean
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


def resolve_ee_backbone(name: str, out: Path) -> Path:
    """``offline`` converts the bundled MiniLM into ``out/backbone`` once; else the path itself."""
    if name == "offline":
        path = out / "backbone"
        if not (path / "config.json").is_file():
            convert_bert_to_deberta(offline_backbone_dir(), path)
        return path
    return Path(name)


def training_schedule(cfg: EEConfig, steps_per_epoch: int) -> tuple[float, int]:
    """``(epochs, eval_steps)``: ``cfg.epochs``, raised so that training runs at least
    ``cfg.min_steps`` steps (whole epochs), and a dev evaluation (and checkpoint) every epoch, or every
    few epochs so that about ``cfg.evaluations`` happen (epochs then rounded up to a multiple of
    that interval, so that the last one is evaluated)."""
    epochs = cfg.epochs
    if cfg.min_steps and cfg.max_steps <= 0 and epochs * steps_per_epoch < cfg.min_steps:
        epochs = float(math.ceil(cfg.min_steps / steps_per_epoch))
    every = 1
    if cfg.evaluations:
        total = cfg.max_steps if cfg.max_steps > 0 else math.ceil(epochs * steps_per_epoch)
        every = max(1, math.ceil(total / steps_per_epoch / cfg.evaluations))
        if cfg.max_steps <= 0:
            epochs = float(math.ceil(epochs / every) * every)  # the last epoch is evaluated too
    return epochs, every * steps_per_epoch


def run_event_extraction(cfg: EEConfig) -> dict[str, Any]:
    """Train, select on dev, predict dev (and test); returns the scores."""
    set_seed(cfg.seed)
    train, train_stats = read_split(cfg.train, cfg, "train")
    dev, dev_stats = read_split(cfg.dev, cfg, "dev")
    evals = {"test": read_split(cfg.test, cfg, "test")[0]} if cfg.test else {}
    return fit_event_model(cfg, train, dev, evals, read_stats={"train": train_stats.as_dict(), "dev": dev_stats.as_dict()})


def fit_event_model(
    cfg: EEConfig,
    train: Sequence[Sentence],
    dev: Sequence[Sentence],
    evals: Mapping[str, Sequence[Sentence]] | None = None,
    *,
    read_stats: dict[str, Any] | None = None,
    labels: EELabels | None = None,
) -> dict[str, Any]:
    """Train on ``train`` (model selection on ``dev``), then predict and score ``dev`` and each of
    ``evals`` (``predictions.NAME.jsonl``, ``scores.NAME.json``, ``scores.NAME.per_type.csv``).
    ``cfg.train`` / ``cfg.dev`` / ``cfg.test`` are only recorded; the sentences are the data.

    Returns:
        ``{"best_checkpoint": ..., "dev": scores, NAME: scores, ...}``.
    """
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    resume_from = last_complete_checkpoint(out) if cfg.resume else None
    if not cfg.resume and last_complete_checkpoint(out) is not None:
        raise UsageError(f"{out} already holds checkpoints: pass --resume to continue, or choose another --output-dir")
    if not train:
        raise UsageError("no training sentences")
    set_seed(cfg.seed)
    train, dev = list(train), list(dev)
    splits: dict[str, list[Sentence]] = {"train": train, "dev": dev, **{k: list(v) for k, v in (evals or {}).items()}}
    labels = labels or EELabels.from_sentences(train)
    backbone = resolve_ee_backbone(cfg.backbone, out)
    tokenizer = AutoTokenizer.from_pretrained(str(backbone))
    source = parse_graph_source(cfg.graphs)
    predicted = cfg.candidates == "predicted" or not any(s.entities for s in train)
    tagger = predicted or cfg.mention_tagger  # candidates for raw text: the model learns to find mentions
    scaffold = cfg.scaffold_weight > 0
    if scaffold and not source.uses_graphs:
        raise UsageError("--scaffold-weight needs --graphs: the token graphs the scaffold learns to predict")
    if cfg.argument_graph and not source.uses_graphs:
        raise UsageError("--argument-graph needs --graphs: the token graphs the argument head reads")
    encoder_reads_graph = source.uses_graphs and not scaffold and not cfg.argument_graph
    graph_stats = {}
    graph_lists = {}
    vocab = None
    for name, sents in splits.items():
        if scaffold and not cfg.argument_graph and name != "train":
            continue  # a scaffold needs graphs for training only
        graph_lists[name], graph_stats[name], vocab = attach_graphs(source, sents, tokenizer, vocab=vocab, backbone=backbone)
    relations = {"graph_num_relations": len(vocab.relations)} if vocab is not None else {}
    if vocab is not None:
        vocab.save(out / VOCAB_FILE)
    config = AMRDebertaConfig.from_pretrained(
        str(backbone),
        ee_trigger_labels=labels.trigger_bio,
        ee_role_labels=labels.roles,
        ee_entity_labels=labels.entity_bio if tagger else None,
        **relations,
        **({} if encoder_reads_graph else {"graph_attention": "none"}),
        **({"ee_scaffold_weight": cfg.scaffold_weight} if scaffold else {}),
        **({"ee_argument_graph": True} if cfg.argument_graph else {}),
        **cfg.graph_overrides,
    )
    model = AMRDebertaForEventExtraction.from_pretrained(str(backbone), config=config)
    enc = {}
    enc_stats = {}
    for name, sents in splits.items():
        examples, st = encode_sentences(
            sents, tokenizer, labels, max_seq_len=cfg.max_seq_len, graphs=graph_lists.get(name),
            candidates_from_arguments=(name == "train" and predicted),
        )
        enc[name], enc_stats[name] = EEDataset(examples), asdict(st)
    summary = {
        "labels": {"event_types": len(labels.event_types), "roles": len(labels.roles) - 1},
        "sentences": {k: len(v) for k, v in splits.items()},
        "read": read_stats or {},
        "encode": enc_stats,
        "graphs": graph_stats,
        "candidates": "predicted" if predicted else "given",
    }
    (out / "data_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (out / "ee_config.json").write_text(json.dumps(asdict(cfg), indent=2), encoding="utf-8")
    collator = EECollator(
        tokenizer.pad_token_id, config.graph_num_scales, config.graph_undirected, use_graph=source.uses_graphs,
        with_entities=tagger,
    )
    steps_per_epoch = max(1, -(-len(enc["train"]) // cfg.batch_size))
    epochs, eval_steps = training_schedule(cfg, steps_per_epoch)
    args = TrainingArguments(
        output_dir=str(out),
        num_train_epochs=epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.eval_batch_size,
        learning_rate=cfg.learning_rate,
        weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_steps,
        lr_scheduler_type="linear",
        eval_strategy="steps",
        eval_steps=eval_steps,
        save_strategy="steps",
        save_steps=eval_steps,
        save_total_limit=cfg.save_total_limit,
        load_best_model_at_end=True,
        metric_for_best_model=f"{cfg.select_metric}_f1",
        greater_is_better=True,
        logging_steps=max(1, steps_per_epoch // 4),
        report_to=cfg.report_to,
        seed=cfg.seed,
        dataloader_num_workers=cfg.workers,
        remove_unused_columns=False,
        disable_tqdm=not cfg.progress,
        **device_args(cfg.precision),
    )
    trainer = EETrainer(
        model=model,
        args=args,
        train_dataset=enc["train"],
        eval_dataset=enc["dev"],
        data_collator=collator,
        processing_class=tokenizer,
        callbacks=[MetricsLogger(out, curves=("trigger_cls_f1", "arg_cls_f1"), scale=EE_CURVES)],
        eval_sentences=dev,
        candidates="predicted" if predicted else "given",
    )
    trainer.head_learning_rate = cfg.head_learning_rate
    trainer.graph_learning_rate = cfg.graph_learning_rate
    trainer.train(resume_from_checkpoint=resume_from)
    trainer.save_model(str(out))
    results: dict[str, Any] = {"best_checkpoint": trainer.state.best_model_checkpoint}
    for name, sents in splits.items():
        if name == "train":
            continue
        # a split without entity mentions gets the tagger's candidates, as predict-ee gives it
        own = "predicted" if predicted or (tagger and not any(x.entities for x in sents)) else "given"
        preds = predict_sentences(trainer.model, sents, enc[name], collator, batch_size=cfg.eval_batch_size,
                                  candidates=own, device=args.device)
        write_predictions(preds, out / f"predictions.{name}.jsonl")
        score = score_events(sents, preds)
        write_per_type_csv(score, out / f"scores.{name}.per_type.csv")
        (out / f"scores.{name}.json").write_text(json.dumps(score.summary(), indent=2), encoding="utf-8")
        results[name] = score.summary()
    return results


