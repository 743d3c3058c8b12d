"""``amrgnn train-parser``: train :class:`~amrgnn.models.AMRDebertaForTokenGraph` on gold AMR token
graphs, on the project's Trainer base (atomic checkpoints, ``--resume``, ``metrics.jsonl``, curves).

Class imbalance is the crux: most ordered word pairs have no relation (about 3% are edges). Two
deliberate choices handle it: the arc loss weights edge pairs by ``sqrt(non-edges / edges)`` (the
loss sees the rare class without the scores being pushed to predict edges everywhere), and the
decision threshold is not 0.5 but the arc probability that maximises labelled F1 on the dev graphs,
chosen after every evaluation and saved in the model's config (``tg_arc_threshold``).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import TrainingArguments, set_seed

from ...data.graphs.attach import VOCAB_FILE
from ...data.mlgm import split_by_id
from ...data.token_graph_predictor import decode, predict_candidates
from ...data.token_graphs import (
    TokenGraphCollator,
    TokenGraphExample,
    WordGraph,
    encode_word_graphs,
    gold_word_graphs,
    named_triples,
)
from ...errors import UsageError
from ...graph.io import ReadStats, read_amr
from ...graph.vocab import AMRVocab
from ...models import AMRDebertaConfig
from ...models.token_graph import AMRDebertaForTokenGraph
from ...viz.curves import CurveScale
from ..mlgm import resolve_backbone
from ..training import AtomicCheckpointTrainer, MetricsLogger, device_args, last_complete_checkpoint
from .config import ParserConfig
from .score import GraphScore, score_graphs

logger = logging.getLogger(__name__)

__all__ = ["THRESHOLDS", "GraphSelection", "TokenGraphTrainer", "best_threshold", "run_parser_training", "select_graphs"]

#: arc-probability thresholds tried on dev
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 20))
PARSER_CURVES = CurveScale("F1 (%)", (0, 100))


def best_threshold(
    candidates: list[list[tuple[int, int, float, int]]], gold: list[WordGraph], relations: list[str]
) -> tuple[float, GraphScore]:
    """The threshold of :data:`THRESHOLDS` with the best labelled F1 (ties: the lower one) and its score."""
    gold_triples = [(g.id, named_triples(g, relations)) for g in gold]
    best: tuple[float, GraphScore] | None = None
    for t in THRESHOLDS:
        pred = {g.id: [(i, j, relations[r]) for i, j, r in decode(c, t)] for g, c in zip(gold, candidates, strict=True)}
        score = score_graphs(gold_triples, pred)
        if best is None or score.labelled.f1 > best[1].labelled.f1:
            best = (t, score)
    return best


class TokenGraphTrainer(AtomicCheckpointTrainer):
    """Evaluation = decoding the dev graphs at every threshold; the best one is kept in the model's
    config (so each checkpoint carries its own). Checkpoints also hold the relation vocabulary."""

    def __init__(self, *args: Any, dev_graphs: list[WordGraph], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dev_graphs = dev_graphs

    def evaluate(self, eval_dataset: Any = None, ignore_keys: Any = None, metric_key_prefix: str = "eval") -> dict[str, float]:
        dataset = eval_dataset or self.eval_dataset
        cands = predict_candidates(self.model, dataset, self.data_collator, batch_size=self.args.per_device_eval_batch_size,
                                   device=self.args.device)
        threshold, score = best_threshold(cands, self.dev_graphs, self.amr_vocab.relations)
        self.model.config.tg_arc_threshold = threshold
        metrics = {f"{metric_key_prefix}_threshold": threshold}
        for name, prf in (("labelled", score.labelled), ("unlabelled", score.unlabelled), ("instance", score.instance)):
            metrics.update({f"{metric_key_prefix}_{name}_f1": prf.f1, f"{metric_key_prefix}_{name}_p": prf.p,
                            f"{metric_key_prefix}_{name}_r": prf.r})
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


def _excluded(paths: list[str]) -> tuple[set[str], set[tuple[str, ...]]]:
    ids, sentences = set(), set()
    for a in read_amr(paths, progress=False):
        ids.add(a.id)
        sentences.add(tuple(t.lower() for t in a.tokens))
    return ids, sentences


def _pos_weight(examples: list[TokenGraphExample]) -> float:
    pairs = sum(e.num_words * (e.num_words - 1) for e in examples)
    edges = sum(int(torch.unique(e.edges[:, 0] * max(e.num_words, 1) + e.edges[:, 1]).numel()) for e in examples if e.edges.numel())
    return math.sqrt(max(pairs - edges, 1) / max(edges, 1))


@dataclass
class GraphSelection:
    """The gold graphs of one ``train-parser`` run: read, de-duplicated by id, excluded, split."""

    train: list[Any]
    dev: list[Any]
    train_ids: list[str]
    dev_ids: list[str]
    read: ReadStats
    duplicates: int
    excluded: int


def select_graphs(cfg: ParserConfig) -> GraphSelection:
    """Read ``cfg.data``, drop repeated ids and the sentences of ``cfg.exclude`` (same id or same
    words), split off the dev graphs (``cfg.dev`` or ``cfg.dev_fraction`` by id) and keep
    ``cfg.train_fraction`` of the rest (by id)."""
    read = ReadStats()
    amrs, seen, duplicates = [], set(), 0
    for a in read_amr(cfg.data, skip_invalid=cfg.skip_invalid, stats=read, progress=cfg.progress):
        if a.id in seen:
            duplicates += 1
            continue
        seen.add(a.id)
        amrs.append(a)
    excluded = 0
    if cfg.exclude:
        ids, sentences = _excluded(cfg.exclude)
        kept = [a for a in amrs if a.id not in ids and tuple(t.lower() for t in a.tokens) not in sentences]
        excluded, amrs = len(amrs) - len(kept), kept
    if not amrs:
        raise UsageError(f"no AMR graphs to train on in {cfg.data}")
    if cfg.dev:
        dev_amrs = list(read_amr(cfg.dev, skip_invalid=cfg.skip_invalid, progress=False))
        train_amrs, train_ids, dev_ids = amrs, [a.id for a in amrs], [a.id for a in dev_amrs]
    else:
        train_ids, dev_ids = split_by_id([a.id for a in amrs], cfg.dev_fraction, cfg.seed)
        held = set(dev_ids)
        train_amrs, dev_amrs = [a for a in amrs if a.id not in held], [a for a in amrs if a.id in held]
    if cfg.train_fraction < 1.0:
        _, kept_ids = split_by_id(train_ids, cfg.train_fraction, cfg.seed + 1)
        keep = set(kept_ids)
        train_amrs, train_ids = [a for a in train_amrs if a.id in keep], kept_ids
    if not dev_amrs:
        raise UsageError("no dev graphs: model selection and the threshold need them (--dev or --dev-fraction)")
    return GraphSelection(train_amrs, dev_amrs, train_ids, dev_ids, read, duplicates, excluded)


def run_parser_training(cfg: ParserConfig) -> dict[str, Any]:
    """Read the gold graphs, split by id, train with dev selection; returns the final dev scores
    (written to ``scores.dev.json``)."""
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    resume_from = last_complete_checkpoint(out) if cfg.resume else None
    if not cfg.resume and last_complete_checkpoint(out) is not None:
        raise UsageError(f"{out} already holds checkpoints: pass --resume to continue, or choose another --output-dir")
    set_seed(cfg.seed)
    sel = select_graphs(cfg)
    train_amrs, dev_amrs, train_ids, dev_ids = sel.train, sel.dev, sel.train_ids, sel.dev_ids
    backbone = resolve_backbone(cfg.backbone, out)
    vocab = backbone.vocab or AMRVocab.build(train_amrs)
    train_graphs, sources = gold_word_graphs(train_amrs, vocab, align_missing=cfg.align_missing)
    dev_graphs, dev_sources = gold_word_graphs(dev_amrs, vocab, align_missing=cfg.align_missing)
    train_ex, train_stats = encode_word_graphs(train_graphs, backbone.tokenizer, max_seq_len=cfg.max_seq_len)
    dev_ex, dev_stats = encode_word_graphs(dev_graphs, backbone.tokenizer, max_seq_len=cfg.max_seq_len)
    pos_weight = cfg.arc_pos_weight if cfg.arc_pos_weight is not None else _pos_weight(train_ex)
    config = AMRDebertaConfig.from_pretrained(
        str(backbone.path), graph_attention="none", tg_num_relations=len(vocab.relations), tg_arc_size=cfg.arc_size,
        tg_label_size=cfg.label_size, tg_arc_pos_weight=pos_weight, **cfg.graph_overrides,
    )
    model = AMRDebertaForTokenGraph.from_pretrained(str(backbone.path), config=config)
    vocab.save(out / VOCAB_FILE)
    summary = {
        "read": {"graphs": sel.read.read, "skipped": dict(sel.read.skipped), "duplicate_ids": sel.duplicates,
                 "excluded": sel.excluded},
        "graphs": {"train": len(train_graphs), "dev": len(dev_graphs)}, "alignments": {"train": sources, "dev": dev_sources},
        "encode": {"train": asdict(train_stats), "dev": asdict(dev_stats)}, "relations": len(vocab.relations),
        "arc_pos_weight": pos_weight,
    }
    (out / "data_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (out / "parser_config.json").write_text(json.dumps(asdict(cfg), indent=2), encoding="utf-8")
    (out / "split.json").write_text(json.dumps({"train": train_ids, "dev": dev_ids}), encoding="utf-8")
    steps_per_epoch = max(1, -(-len(train_ex) // cfg.batch_size))
    every = cfg.eval_steps or steps_per_epoch
    args = TrainingArguments(
        output_dir=str(out), num_train_epochs=cfg.epochs, max_steps=cfg.max_steps, per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.eval_batch_size, learning_rate=cfg.learning_rate, weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_steps, lr_scheduler_type="linear", eval_strategy="steps", eval_steps=every,
        save_strategy="steps", save_steps=every, save_total_limit=cfg.save_total_limit, load_best_model_at_end=True,
        metric_for_best_model="labelled_f1", greater_is_better=True, logging_steps=max(1, min(every, steps_per_epoch) // 4),
        report_to=cfg.report_to, seed=cfg.seed, dataloader_num_workers=cfg.workers, remove_unused_columns=False,
        disable_tqdm=not cfg.progress, **device_args(cfg.precision),
    )
    collator = TokenGraphCollator(backbone.tokenizer.pad_token_id, num_relations=len(vocab.relations))
    trainer = TokenGraphTrainer(
        model=model, args=args, train_dataset=train_ex, eval_dataset=dev_ex, data_collator=collator,
        processing_class=backbone.tokenizer, dev_graphs=dev_graphs, amr_vocab=vocab,
        callbacks=[MetricsLogger(out, curves=("labelled_f1", "unlabelled_f1"), scale=PARSER_CURVES)],
    )
    trainer.head_learning_rate = cfg.head_learning_rate
    trainer.train(resume_from_checkpoint=resume_from)
    final = trainer.evaluate()  # re-tunes the threshold of the best checkpoint on dev
    trainer.save_model(str(out))
    scores = {k[len("eval_"):]: v for k, v in final.items() if k.startswith("eval_")}
    scores["best_checkpoint"] = trainer.state.best_model_checkpoint
    (out / "scores.dev.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
    return scores
