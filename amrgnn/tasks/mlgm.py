"""MLGM: masked language + masked AMR-relation pre-training with HF ``Trainer``.

``run_pretraining(MLGMConfig(...))`` reads the AMR corpora, splits them by graph id, loads the
backbone into :class:`~amrgnn.models.AMRDebertaForMaskedGraphModeling` and trains; the command
line (``amrgnn pretrain``, ``python -m amrgnn.run --task_name MLGM``) fills the config.
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch.nn import functional as F
from transformers import AutoTokenizer, TrainingArguments, set_seed

from ..data.graphs.attach import VOCAB_FILE
from ..data.mlgm import MaskingConfig, MLGMCollator, MLGMDataset, prepare_mlgm_examples, split_by_id
from ..errors import UsageError
from ..graph.vocab import AMRVocab
from ..models import AMRDebertaConfig, AMRDebertaForMaskedGraphModeling
from ..models.convert import convert_bert_to_deberta, offline_backbone_dir
from .mlgm_config import MLGMConfig
from .training import (
    AtomicCheckpointTrainer,
    EpochSetter,
    MetricsLogger,
    device_args,
    last_complete_checkpoint,
)

logger = logging.getLogger(__name__)

__all__ = ["Backbone", "MLGMConfig", "MLGMTrainer", "load_backbone", "resolve_backbone", "run_pretraining"]



@dataclass
class Backbone:
    """Where the weights come from, the tokenizer, and an MLGM checkpoint's relation vocabulary."""

    path: Path
    weights_file: Path | None
    tokenizer: Any
    vocab: AMRVocab | None


def resolve_backbone(name: str, output_dir: Path) -> Backbone:
    """``name``: ``offline`` (all-MiniLM-L6-v2, converted into ``output_dir/backbone``), a
    ``deberta-v2`` or ``amr-deberta-v2`` directory or hub id, or a weights file (``*.safetensors``,
    or ``*.bin`` read with ``weights_only=True``) beside its ``config.json``."""
    path = Path(name)
    if name == "offline":
        path = output_dir / "backbone"
        if not (path / "config.json").is_file():
            convert_bert_to_deberta(offline_backbone_dir(), path)
    weights_file = None
    if path.is_file():
        weights_file, path = path, path.parent
    vocab = AMRVocab.load(path / VOCAB_FILE) if (path / VOCAB_FILE).is_file() else None
    return Backbone(path, weights_file, AutoTokenizer.from_pretrained(str(path)), vocab)


def load_backbone(backbone: Backbone, num_relations: int, model_config: str | None = None, **graph: Any) -> AMRDebertaForMaskedGraphModeling:
    """The MLGM model on ``backbone``: the graph parameters and the relation head (and the LM head)
    initialised where it lacks them; any other missing, unexpected or mis-shaped tensor is an error
    naming the weights file."""
    config_source = model_config or str(backbone.path)
    config = AMRDebertaConfig.from_pretrained(config_source, graph_num_relations=num_relations, **graph)
    if backbone.weights_file is None:
        return AMRDebertaForMaskedGraphModeling.from_pretrained(str(backbone.path), config=config)
    return AMRDebertaForMaskedGraphModeling.from_weights_file(backbone.weights_file, config)


class MLGMTrainer(AtomicCheckpointTrainer):
    """Trainer with MLGM's evaluation: token and relation accuracy and perplexity, relation
    accuracy on "relation" and "no relation" pairs apart, and the majority-class baselines on the
    same pairs. Checkpoints also hold the relation vocabulary."""

    def evaluate(self, eval_dataset: Any = None, ignore_keys: Any = None, metric_key_prefix: str = "eval") -> dict[str, float]:
        loader = self.get_eval_dataloader(eval_dataset)
        model = self.model
        was_training = model.training
        model.eval()
        n_rel = model.config.graph_num_relations
        # token CE, token correct, token count, relation CE, correct, count, correct on relation pairs,
        # correct on no-relation pairs, then the label histogram
        sums = torch.zeros(8 + n_rel, dtype=torch.float64, device=self.args.device)
        start = time.perf_counter()
        with torch.no_grad():
            for batch in loader:
                batch = self._prepare_inputs(batch)
                with self.autocast_smart_context_manager():
                    out = model(**batch)
                labels = batch["labels"]
                target = labels[labels != -100]
                if target.numel():
                    logits = out.logits.float()
                    sums[0] += F.cross_entropy(logits, target, reduction="sum").double()
                    sums[1] += (logits.argmax(-1) == target).sum()
                    sums[2] += target.numel()
                rl = batch["relation_labels"]
                if rl.numel():
                    rlog = out.relation_logits.float()
                    hit = rlog.argmax(-1) == rl
                    sums[3] += F.cross_entropy(rlog, rl, reduction="sum").double()
                    sums[4] += hit.sum()
                    sums[5] += rl.numel()
                    sums[6] += (hit & (rl > 0)).sum()
                    sums[7] += (hit & (rl == 0)).sum()
                    sums[8:] += torch.bincount(rl, minlength=n_rel)[:n_rel].double()
        sums = self.accelerator.reduce(sums, reduction="sum")
        model.train(was_training)
        s = sums.tolist()
        hist = s[8:]
        tok_n, rel_n = max(s[2], 1.0), max(s[5], 1.0)
        rel_pos, rel_none = sum(hist[1:]), hist[0]
        metrics = {
            "loss": s[0] / tok_n + s[3] / rel_n,
            "accuracy": s[1] / tok_n,
            "perplexity": math.exp(min(s[0] / tok_n, 50.0)),
            "gm_accuracy": s[4] / rel_n,
            "gm_perplexity": math.exp(min(s[3] / rel_n, 50.0)),
            "gm_accuracy_majority": max(hist) / rel_n if s[5] else 0.0,
            "gm_accuracy_relation": s[6] / max(rel_pos, 1.0),
            "gm_accuracy_relation_majority": max(hist[1:]) / max(rel_pos, 1.0) if rel_pos else 0.0,
            "gm_accuracy_none": s[7] / max(rel_none, 1.0),
            "gm_accuracy_none_majority": 1.0 if rel_none else 0.0,
            "masked_tokens": s[2],
            "masked_pairs": s[5],
            "masked_relation_pairs": rel_pos,
            "runtime": time.perf_counter() - start,
        }
        metrics = {f"{metric_key_prefix}_{k}": v for k, v in metrics.items()}
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


def _write_json(path: Path, obj: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def run_pretraining(cfg: MLGMConfig) -> dict[str, Any]:
    """Train MLGM; returns the final evaluation metrics (also in ``metrics.jsonl``)."""
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    resume_from = last_complete_checkpoint(out) if cfg.resume else None
    if cfg.resume and resume_from is None:
        logger.warning("--resume: no complete checkpoint in %s, starting from the beginning", out)
    if not cfg.resume and last_complete_checkpoint(out) is not None:
        raise UsageError(f"{out} already holds checkpoints: pass --resume to continue, or choose another --output-dir")
    set_seed(cfg.seed)

    # The backbone first: its tokenizer, and an MLGM checkpoint's relation vocabulary.
    backbone = resolve_backbone(cfg.backbone, out)
    tokenizer = backbone.tokenizer
    examples, vocab, stats = prepare_mlgm_examples(
        cfg.data,
        tokenizer,
        vocab=backbone.vocab,
        max_seq_len=cfg.max_seq_len,
        align_missing=cfg.align_missing,
        skip_invalid=cfg.skip_invalid,
        progress=cfg.progress,
    )
    model = load_backbone(backbone, len(vocab.relations), cfg.model_config, **cfg.graph_overrides)
    if not examples:
        raise UsageError(f"no AMR graphs in {cfg.data}")
    train_ids, val_ids = split_by_id([e.id for e in examples], cfg.validation_fraction, cfg.seed)
    val_set = set(val_ids)
    train_ex = [e for e in examples if e.id not in val_set]
    val_ex = [e for e in examples if e.id in val_set]
    masking = MaskingConfig.for_tokenizer(
        tokenizer, mask_text=cfg.mask_text, mask_graph=cfg.mask_graph, negative_ratio=cfg.negative_ratio
    )
    stats.count_negatives(examples, masking)
    _write_json(out / "split.json", {"seed": cfg.seed, "train": train_ids, "validation": val_ids})
    _write_json(out / "data_summary.json", {**stats.as_dict(), "train": len(train_ex), "validation": len(val_ex)})
    vocab.save(out / VOCAB_FILE)
    _write_json(out / "mlgm_config.json", asdict(cfg))
    logger.info(
        "MLGM data: %d graphs read, %d skipped, %d truncated (%d edges dropped), %d without relations, "
        "%d unknown-relation edges; %d train / %d validation",
        stats.read, sum(stats.skipped.values()), stats.truncated, stats.edges_dropped_by_truncation,
        stats.no_relation + stats.no_relation_after_truncation, stats.unknown_relation_edges, len(train_ex), len(val_ex),
    )
    if stats.negatives_sampled < stats.negatives_requested:
        logger.warning(
            "MLGM negatives: %d of the %d 'no relation' pairs asked for per epoch (--negative-ratio %g) exist: "
            "%d sentences have too few unrelated word pairs",
            stats.negatives_sampled, stats.negatives_requested, cfg.negative_ratio, stats.examples_short_of_negatives,
        )

    train_ds = MLGMDataset(train_ex, masking, seed=cfg.seed)
    val_ds = MLGMDataset(val_ex, masking, seed=cfg.seed + 1)
    collator = MLGMCollator(
        tokenizer.pad_token_id, model.config.graph_num_scales, model.config.graph_undirected, use_graph=cfg.use_graph
    )
    args = TrainingArguments(
        output_dir=str(out),
        max_steps=cfg.max_steps,
        num_train_epochs=cfg.epochs,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.eval_batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        learning_rate=cfg.learning_rate,
        weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_steps,
        lr_scheduler_type="linear",
        optim="adamw_torch",
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=cfg.save_total_limit,
        eval_strategy="steps" if val_ex else "no",
        eval_steps=cfg.eval_steps,
        logging_steps=cfg.logging_steps,
        report_to=cfg.report_to,
        seed=cfg.seed,
        dataloader_num_workers=cfg.workers,
        remove_unused_columns=False,
        disable_tqdm=not cfg.progress,
        **device_args(cfg.precision),
    )
    trainer = MLGMTrainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=val_ds if val_ex else None,
        data_collator=collator,
        processing_class=tokenizer,
        callbacks=[EpochSetter(train_ds), MetricsLogger(out)],
        amr_vocab=vocab,
    )
    trainer.head_learning_rate = cfg.head_learning_rate
    if not cfg.do_train:
        return trainer.evaluate() if val_ex else {}
    trainer.train(resume_from_checkpoint=resume_from)
    evals = [r for r in trainer.state.log_history if "eval_accuracy" in r]
    if evals and evals[-1].get("step") == trainer.state.global_step:
        final = {k: v for k, v in evals[-1].items() if k.startswith("eval_")}
    else:
        final = trainer.evaluate() if val_ex else {}
    trainer.save_model(str(out))
    return final
