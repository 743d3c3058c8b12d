"""AMREE: event extraction (triggers and arguments) with the AMR-aware encoder, on HF ``Trainer``.

``run_event_extraction(EEConfig(...))`` reads the corpora, attaches AMR graphs from the chosen
source, trains :class:`~amrgnn.models.AMRDebertaForEventExtraction` (model selection on the dev
split by argument-classification F1, configurable), and writes predictions and scores.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import Tensor
from torch.utils.data import DataLoader
from transformers import AutoTokenizer, TrainingArguments, set_seed

from ..data.ee import EECollator, EEDataset, EELabels, bio_spans, encode_sentences
from ..data.events import (
    ACE33_EVENT_TYPES,
    Argument,
    EventMention,
    EventReadStats,
    Sentence,
    merge_time_roles,
    read_events,
)
from ..models import AMRDebertaConfig, AMRDebertaForEventExtraction
from ..models.convert import convert_bert_to_deberta, offline_backbone_dir
from .ee_graphs import GraphSource, attach_graphs
from .ee_score import score_events, write_per_type_csv
from .training import (
    AtomicCheckpointTrainer,
    MetricsLogger,
    device_args,
    last_complete_checkpoint,
)

logger = logging.getLogger(__name__)

__all__ = [
    "EEConfig",
    "EETrainer",
    "fit_event_model",
    "label_masks",
    "predict_file",
    "predict_sentences",
    "read_split",
    "run_event_extraction",
    "write_predictions",
]


@dataclass
class EEConfig:
    """One AMREE run (the ``amrgnn train-ee`` flags)."""

    train: str
    dev: str
    output_dir: str
    test: str | None = None
    format: str = "oneie"
    graphs: str = "none"
    backbone: str = "offline"
    epochs: float = 16.0
    max_steps: int = -1
    batch_size: int = 16
    eval_batch_size: int = 32
    learning_rate: float = 5e-5
    head_learning_rate: float | None = 1e-3
    weight_decay: float = 0.01
    warmup_steps: int = 0
    max_seq_len: int = 256
    seed: int = 42
    resume: bool = False
    precision: str = "auto"
    workers: int = 0
    skip_invalid: bool = False
    merge_time_roles: bool = False
    ace33: bool = False
    candidates: str = "given"
    select_metric: str = "arg_cls"
    save_total_limit: int = 2
    report_to: list[str] = field(default_factory=lambda: ["tensorboard"])
    progress: bool = True
    graph_overrides: dict[str, Any] = field(default_factory=dict)


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


def predict_sentences(
    model: AMRDebertaForEventExtraction,
    sentences: list[Sentence],
    dataset: EEDataset,
    collator: EECollator,
    *,
    batch_size: int = 32,
    candidates: str = "given",
    device: torch.device | None = None,
    allowed_types: Collection[str] | None = None,
    allowed_roles: Collection[str] | None = None,
) -> list[Sentence]:
    """Predicted events for ``sentences`` (triggers decoded from the BIO tags; each predicted
    trigger paired with every candidate; the argmax role, ``<none>`` dropped).

    ``allowed_types`` / ``allowed_roles`` restrict the decoding to those labels (the others' logits
    are masked, as class-incremental learning does for types not seen yet)."""
    config = model.config
    trig_labels = config.ee_trigger_labels
    roles = config.ee_role_labels
    device = device or next(model.parameters()).device
    trig_bias, role_bias = label_masks(config, allowed_types, allowed_roles, device)
    was_training = model.training
    model.eval()
    out: list[Sentence | None] = [None] * len(sentences)
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False, collate_fn=collator)
    with torch.no_grad():
        for batch in loader:
            graph = batch.get("graph")
            words, _ = model.word_states(
                batch["input_ids"].to(device),
                batch["word_index"].to(device),
                attention_mask=batch["attention_mask"].to(device),
                graph=graph.to(device) if graph is not None else None,
            )
            tags = (model.trigger_classifier(words).float() + trig_bias).argmax(-1).cpu()
            ent_tags = model.entity_classifier(words).argmax(-1).cpu() if model.entity_classifier is not None else None
            pairs, owners = [], []
            per_sent: list[tuple[int, list[EventMention], list[tuple[int, int, str | None]]]] = []
            for row, idx in enumerate(batch["index"].tolist()):
                s = sentences[idx]
                n = len(s.tokens)
                visible = batch["word_index"][row, :n] >= 0
                labels = [trig_labels[t] if visible[w] else "O" for w, t in enumerate(tags[row, :n].tolist())]
                events = [EventMention(t, a, b, [], text=" ".join(s.tokens[a:b])) for a, b, t in bio_spans(labels)]
                if candidates == "predicted" and ent_tags is not None:
                    ent_labels = [["O", "B-ENT", "I-ENT"][t] if visible[w] else "O" for w, t in enumerate(ent_tags[row, :n].tolist())]
                    cands = [(a, b, None) for a, b, _ in bio_spans(ent_labels)]
                else:
                    cands = [(e.start, e.end, e.id) for e in s.entities if bool(visible[e.start : e.end].all())]
                for k, ev in enumerate(events):
                    for c, (a, b, _) in enumerate(cands):
                        pairs.append((row, ev.start, ev.end, a, b))
                        owners.append((len(per_sent), k, c))
                per_sent.append((idx, events, cands))
            if pairs:
                logits = model.argument_logits(words, torch.tensor(pairs, dtype=torch.long, device=device))
                best = (logits.float() + role_bias).argmax(-1).tolist()
                for (j, k, c), r in zip(owners, best, strict=True):
                    if r == 0:
                        continue
                    _, events, cands = per_sent[j]
                    a, b, eid = cands[c]
                    s = sentences[per_sent[j][0]]
                    events[k].arguments.append(Argument(a, b, roles[r], eid, " ".join(s.tokens[a:b])))
            for idx, events, _ in per_sent:
                s = sentences[idx]
                out[idx] = Sentence(s.id, s.tokens, s.entities, events, s.doc_id, s.path, s.line, s.raw)
    model.train(was_training)
    return [s for s in out if s is not None]


def label_masks(
    config: AMRDebertaConfig,
    allowed_types: Collection[str] | None,
    allowed_roles: Collection[str] | None,
    device: torch.device | str | None = None,
) -> tuple[Tensor, Tensor]:
    """Additive logit masks ``([T], [R])`` over ``config.ee_trigger_labels`` and
    ``config.ee_role_labels``: ``0`` for ``O`` / ``<none>`` and the allowed labels, ``-inf`` for
    the rest (``None``: everything allowed)."""
    trig = torch.zeros(len(config.ee_trigger_labels), device=device)
    if allowed_types is not None:
        allowed = set(allowed_types)
        for i, lab in enumerate(config.ee_trigger_labels):
            if i and lab[2:] not in allowed:
                trig[i] = float("-inf")
    role = torch.zeros(len(config.ee_role_labels), device=device)
    if allowed_roles is not None:
        allowed = set(allowed_roles)
        for i, lab in enumerate(config.ee_role_labels):
            if i and lab not in allowed:
                role[i] = float("-inf")
    return trig, role


def write_predictions(sentences: list[Sentence], path: str | os.PathLike) -> None:
    """JSON lines: each input record with ``tokens`` and ``event_mentions`` replaced by the predictions
    (arguments carry ``start``/``end``, ``role`` and the ``entity_id`` where the candidate was one)."""
    with open(path, "w", encoding="utf-8") as f:
        for s in sentences:
            rec = dict(s.raw or {})
            if "wnd_id" not in rec and "sent_id" not in rec:
                rec["sent_id"] = s.id
            rec["tokens"] = s.tokens
            rec["event_mentions"] = [
                {
                    "id": f"{s.id}-EV{k}",
                    "event_type": ev.type,
                    "trigger": {"start": ev.start, "end": ev.end, "text": ev.text},
                    "arguments": [
                        {"start": a.start, "end": a.end, "role": a.role, "text": a.text, **({"entity_id": a.entity_id} if a.entity_id else {})}
                        for a in ev.arguments
                    ],
                }
                for k, ev in enumerate(s.events)
            ]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


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
        raise ValueError(f"{out} already holds checkpoints: pass --resume to continue, or choose another --output-dir")
    if cfg.candidates not in ("given", "predicted"):
        raise ValueError(f"candidates must be 'given' or 'predicted', got {cfg.candidates!r}")
    if not train:
        raise ValueError("no training sentences")
    set_seed(cfg.seed)
    train, dev = list(train), list(dev)
    splits: dict[str, list[Sentence]] = {"train": train, "dev": dev, **{k: list(v) for k, v in (evals or {}).items()}}
    labels = labels or EELabels.from_sentences(train)
    backbone = resolve_ee_backbone(cfg.backbone, out)
    tokenizer = AutoTokenizer.from_pretrained(str(backbone))
    source = GraphSource.parse(cfg.graphs)
    predicted = cfg.candidates == "predicted" or not any(s.entities for s in train)
    graph_stats = {}
    graph_lists = {}
    vocab = None
    for name, sents in splits.items():
        graph_lists[name], graph_stats[name], vocab = attach_graphs(source, sents, tokenizer, vocab=vocab, backbone=backbone)
    num_relations = len(vocab.relations) if vocab is not None else 160
    if vocab is not None:
        vocab.save(out / "amr_vocab.json")
    config = AMRDebertaConfig.from_pretrained(
        str(backbone),
        ee_trigger_labels=labels.trigger_bio,
        ee_role_labels=labels.roles,
        ee_entity_labels=labels.entity_bio if predicted else None,
        graph_num_relations=num_relations,
        **({"graph_attention": "none"} if source.kind == "none" else {}),
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
        tokenizer.pad_token_id, config.graph_num_scales, config.graph_undirected, use_graph=source.kind != "none",
        with_entities=predicted,
    )
    steps_per_epoch = max(1, -(-len(enc["train"]) // cfg.batch_size))
    args = TrainingArguments(
        output_dir=str(out),
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.eval_batch_size,
        learning_rate=cfg.learning_rate,
        weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_steps,
        lr_scheduler_type="linear",
        eval_strategy="steps",
        eval_steps=steps_per_epoch,
        save_strategy="steps",
        save_steps=steps_per_epoch,
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
        callbacks=[MetricsLogger(out, curves=("trigger_cls_f1", "arg_cls_f1"))],
        eval_sentences=dev,
        candidates="predicted" if predicted else "given",
    )
    trainer.head_learning_rate = cfg.head_learning_rate
    trainer.train(resume_from_checkpoint=resume_from)
    trainer.save_model(str(out))
    results: dict[str, Any] = {"best_checkpoint": trainer.state.best_model_checkpoint}
    for name, sents in splits.items():
        if name == "train":
            continue
        preds = predict_sentences(trainer.model, sents, enc[name], collator, batch_size=cfg.eval_batch_size,
                                  candidates="predicted" if predicted else "given", device=args.device)
        write_predictions(preds, out / f"predictions.{name}.jsonl")
        score = score_events(sents, preds)
        write_per_type_csv(score, out / f"scores.{name}.per_type.csv")
        (out / f"scores.{name}.json").write_text(json.dumps(score.summary(), indent=2), encoding="utf-8")
        results[name] = score.summary()
    return results


def predict_file(
    model_dir: str | os.PathLike,
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    fmt: str = "oneie",
    graphs: str | None = None,
    batch_size: int = 32,
    max_seq_len: int = 256,
    skip_invalid: bool = False,
) -> int:
    """Predict events for a file with a ``train-ee`` model; returns the number of sentences.
    Event types and roles the model does not know are counted in the input, never a crash."""
    model_dir = Path(model_dir)
    saved = json.loads((model_dir / "ee_config.json").read_text()) if (model_dir / "ee_config.json").is_file() else {}
    spec = graphs or saved.get("graphs", "none")
    model = AMRDebertaForEventExtraction.from_pretrained(str(model_dir)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    sents = read_events(input_path, fmt, skip_invalid=skip_invalid)
    trig = model.config.ee_trigger_labels
    labels = EELabels([t[2:] for t in trig[1::2]], list(model.config.ee_role_labels))
    source = GraphSource.parse(spec)
    graph_list, _, _ = attach_graphs(source, sents, tokenizer, backbone=model_dir)
    examples, _ = encode_sentences(sents, tokenizer, labels, max_seq_len=max_seq_len, graphs=graph_list)
    predicted = model.config.ee_entity_labels is not None and not any(s.entities for s in sents)
    collator = EECollator(
        tokenizer.pad_token_id, model.config.graph_num_scales, model.config.graph_undirected,
        use_graph=source.kind != "none", with_entities=model.config.ee_entity_labels is not None,
    )
    preds = predict_sentences(model, sents, EEDataset(examples), collator, batch_size=batch_size,
                              candidates="predicted" if predicted else "given")
    write_predictions(preds, output_path)
    return len(preds)
