"""The shared trainer: two learning rates, split by what from_pretrained had to initialise."""

from __future__ import annotations

import torch
from transformers import DebertaV2Config, DebertaV2Model, TrainingArguments

from amrgnn.models import AMRDebertaForEventExtraction
from amrgnn.tasks.training import AtomicCheckpointTrainer

from ..models.conftest import variant


def test_head_learning_rate_goes_to_initialised_parameters(tmp_path):
    DebertaV2Model(DebertaV2Config(**variant("bert-like"))).save_pretrained(tmp_path / "stock")
    model = AMRDebertaForEventExtraction.from_pretrained(
        tmp_path / "stock", ee_trigger_labels=["O", "B-X", "I-X"], ee_role_labels=["<none>", "A"], graph_num_relations=8
    )
    args = TrainingArguments(output_dir=str(tmp_path / "out"), learning_rate=5e-5, weight_decay=0.01, report_to=[], use_cpu=True)
    trainer = AtomicCheckpointTrainer(model=model, args=args)
    trainer.head_learning_rate = 1e-3
    opt = trainer.create_optimizer()
    lr_of = {id(p): (g["lr"], g["weight_decay"]) for g in opt.param_groups for p in g["params"]}
    names = dict(model.named_parameters())
    assert len(lr_of) == len(names)
    for name, p in names.items():
        lr, wd = lr_of[id(p)]
        fresh = name in model.initialised_parameters
        assert lr == (1e-3 if fresh else 5e-5), name
        assert wd == (0.01 if p.ndim >= 2 else 0.0), name
    fresh = set(model.initialised_parameters)
    assert any(n.startswith("trigger_classifier") for n in fresh) and any("graph_key_proj" in n for n in fresh)
    assert not any(n.startswith("deberta.embeddings") for n in fresh)
    assert isinstance(opt, torch.optim.AdamW)


def test_graph_learning_rate_overrides_both_rules_for_graph_terms(tmp_path):
    """--graph-learning-rate: every graph tensor (new here) gets it; heads keep 1e-3, the encoder 5e-5."""
    DebertaV2Model(DebertaV2Config(**variant("bert-like"))).save_pretrained(tmp_path / "stock")
    model = AMRDebertaForEventExtraction.from_pretrained(
        tmp_path / "stock", ee_trigger_labels=["O", "B-X", "I-X"], ee_role_labels=["<none>", "A"], graph_num_relations=8
    )
    args = TrainingArguments(output_dir=str(tmp_path / "out"), learning_rate=5e-5, report_to=[], use_cpu=True)
    trainer = AtomicCheckpointTrainer(model=model, args=args)
    trainer.head_learning_rate, trainer.graph_learning_rate = 1e-3, 2e-4
    lr_of = {id(p): g["lr"] for g in trainer.create_optimizer().param_groups for p in g["params"]}
    by_kind: dict[str, set[float]] = {}
    for name, p in model.named_parameters():
        kind = ("graph" if any(k in name for k in ("graph_states", "graph_key_proj", "graph_query_proj", "relation_embeddings"))
                else "head" if name in model.initialised_parameters else "encoder")
        by_kind.setdefault(kind, set()).add(lr_of[id(p)])
    assert by_kind == {"graph": {2e-4}, "head": {1e-3}, "encoder": {5e-5}}
