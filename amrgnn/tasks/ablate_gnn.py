"""Standalone GNN ablations on AMR-only tasks (no transformer).

Two tasks on concept graphs (nodes: concepts and constants, input = lemma ids only):

* ``relation``: masked relation prediction. A fraction of the AMR edges is held out (removed from
  the graph in both directions); their relation is predicted from the two end nodes' states.
* ``sense``: concept-sense prediction. The input has the lemma (``want``) but not the sense
  (``-01``); the sense id of every concept node is predicted from its context.

Each layer kind of :data:`amrgnn.nn.LAYER_KINDS` (plus ``mlp``: no message passing, the no-graph
baseline) is trained for each K and seed; accuracy is measured on an evaluation corpus. Results are
written as CSV, a markdown table (mean and standard deviation) and a bar plot.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor
from torch_geometric.data import Batch, Data
from torch_geometric.loader import DataLoader
from tqdm.auto import tqdm

from ..graph import AMRVocab, EncodeOptions, encode_amrs, exact_k_hop_typed, read_amr
from ..nn import build_layer
from ..viz.ablation import ablation_figure

__all__ = ["AblationConfig", "concept_graphs", "run_ablation", "parse_layer_specs", "seed_everything"]

TASKS = ("relation", "sense")


def seed_everything(seed: int) -> None:
    import random

    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass
class AblationConfig:
    train: list[str]
    eval: list[str]
    layers: list[tuple[str, int]] = field(
        default_factory=lambda: [("mlp", 0), ("gcn", 1), ("gat", 1), ("rgcn", 1)]
        + [("powers", k) for k in (1, 2, 3, 4)]
        + [("multiscale", k) for k in (1, 2, 3, 4)]
    )
    tasks: list[str] = field(default_factory=lambda: list(TASKS))
    seeds: list[int] = field(default_factory=lambda: [0, 1, 2])
    epochs: int = 20
    hidden: int = 64
    num_layers: int = 2
    lr: float = 5e-3
    batch_size: int = 64
    mask_rate: float = 0.15
    dropout: float = 0.1


def parse_layer_specs(spec: str) -> list[tuple[str, int]]:
    """``"gcn,multiscale:1-4,powers:2"`` -> ``[("gcn", 1), ("multiscale", 1), ..., ("powers", 2)]``."""
    out: list[tuple[str, int]] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, _, ks = part.partition(":")
        if not ks:
            out.append((kind, 0 if kind == "mlp" else 1))
        elif "-" in ks:
            lo, hi = ks.split("-")
            out.extend((kind, k) for k in range(int(lo), int(hi) + 1))
        else:
            out.append((kind, int(ks)))
    return out


def concept_graphs(paths: Iterable[str | os.PathLike], vocab: AMRVocab | None = None) -> tuple[list[Data], AMRVocab]:
    """Concept graphs as ``Data``: ``x`` lemma ids, ``sense``, ``is_constant``; edges in both
    directions (reverse edges have relation id + R, so direction stays visible); ``num_fwd`` marks
    the first edges as the forward AMR edges."""
    amrs = list(read_amr(paths))
    vocab = vocab or AMRVocab.build(amrs)
    cols = encode_amrs(amrs, vocab, options=EncodeOptions(max_k=0))
    r = vocab.num_relations
    out = []
    for i in range(len(cols)):
        h = cols.get(i)
        rel = h["concept", "rel", "concept"]
        e = rel.edge_index.size(1)
        out.append(
            Data(
                x=h["concept"].lemma,
                sense=h["concept"].sense,
                is_constant=h["concept"].is_constant,
                edge_index=torch.cat([rel.edge_index, rel.edge_index.flip(0)], 1),
                edge_type=torch.cat([rel.edge_type, rel.edge_type + r]),
                fwd_mask=torch.cat([torch.ones(e, dtype=torch.bool), torch.zeros(e, dtype=torch.bool)]),
            )
        )
    return out, vocab


class AblationNet(torch.nn.Module):
    """Lemma embedding -> ``num_layers`` graph layers (ReLU, residual) -> task heads."""

    def __init__(self, kind: str, k: int, vocab: AMRVocab, cfg: AblationConfig) -> None:
        super().__init__()
        self.kind, self.k = kind, k
        h = cfg.hidden
        self.emb = torch.nn.Embedding(vocab.num_concepts, h)
        rels = 2 * vocab.num_relations
        self.layers = torch.nn.ModuleList(
            [] if kind == "mlp" else [build_layer(kind, h, h, num_scales=k, num_relations=rels) for _ in range(cfg.num_layers)]
        )
        self.mlp = torch.nn.Sequential(torch.nn.Linear(h, h), torch.nn.ReLU()) if kind == "mlp" else None
        self.dropout = cfg.dropout
        self.sense_head = torch.nn.Linear(h, vocab.num_senses)
        self.rel_head = torch.nn.Sequential(torch.nn.Linear(2 * h, h), torch.nn.ReLU(), torch.nn.Linear(h, vocab.num_relations))

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor) -> Tensor:
        h = self.emb(x)
        if self.mlp is not None:
            return h + self.mlp(h)
        hops = exact_k_hop_typed(edge_index, edge_type, x.size(0), self.k) if self.kind == "multiscale" else None
        for layer in self.layers:
            h = h + F.dropout(F.relu(layer(h, edge_index, edge_type, hops=hops)), self.dropout, self.training)
        return h


def _masked(batch: Batch, rate: float, gen: torch.Generator) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Hold out a fraction of forward edges (and their reverses); returns the kept graph and the
    held-out (pairs, relations)."""
    fwd = batch.fwd_mask.nonzero().view(-1)
    e = fwd.numel()
    held = torch.rand(e, generator=gen) < rate
    if e and not held.any():
        held[torch.randint(e, (1,), generator=gen)] = True
    keep = torch.ones(batch.edge_index.size(1), dtype=torch.bool)
    keep[fwd[held]] = False
    keep[fwd[held] + e_offsets(batch)[held]] = False
    pairs = batch.edge_index[:, fwd[held]]
    return batch.edge_index[:, keep], batch.edge_type[keep], pairs, batch.edge_type[fwd[held]]


def e_offsets(batch: Batch) -> Tensor:
    """For each forward edge of a batch, the distance to its reverse (each graph stores ``e``
    forward edges then their ``e`` reverses)."""
    n_fwd = torch.bincount(batch.batch[batch.edge_index[0][batch.fwd_mask]], minlength=batch.num_graphs)
    return torch.repeat_interleave(n_fwd, n_fwd)


def _task_loss(model: AblationNet, batch: Batch, task: str, rate: float, gen: torch.Generator) -> tuple[Tensor, int, int]:
    if task == "sense":
        h = model(batch.x, batch.edge_index, batch.edge_type)
        nodes = ~batch.is_constant
        logits = model.sense_head(h[nodes])
        gold = batch.sense[nodes]
    else:
        ei, et, pairs, gold = _masked(batch, rate, gen)
        h = model(batch.x, ei, et)
        logits = model.rel_head(torch.cat([h[pairs[0]], h[pairs[1]]], -1))
    loss = F.cross_entropy(logits, gold) if gold.numel() else logits.sum() * 0
    return loss, int((logits.argmax(-1) == gold).sum()), int(gold.numel())


def _evaluate(model: AblationNet, data: Sequence[Data], task: str, cfg: AblationConfig) -> float:
    model.eval()
    gen = torch.Generator().manual_seed(1234)  # the same held-out edges for every model
    correct = total = 0
    with torch.no_grad():
        for batch in DataLoader(list(data), batch_size=cfg.batch_size):
            _, c, t = _task_loss(model, batch, task, cfg.mask_rate, gen)
            correct, total = correct + c, total + t
    return correct / max(total, 1)


def train_one(kind: str, k: int, task: str, seed: int, train: Sequence[Data], evaluation: Sequence[Data], vocab: AMRVocab, cfg: AblationConfig) -> dict:
    seed_everything(seed)
    model = AblationNet(kind, k, vocab, cfg)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    gen = torch.Generator().manual_seed(seed)
    loader = DataLoader(list(train), batch_size=cfg.batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))
    t0 = time.perf_counter()
    for _ in range(cfg.epochs):
        model.train()
        for batch in loader:
            loss, _, _ = _task_loss(model, batch, task, cfg.mask_rate, gen)
            opt.zero_grad()
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - t0
    return {
        "task": task,
        "layer": kind,
        "K": k,
        "seed": seed,
        "accuracy": _evaluate(model, evaluation, task, cfg),
        "train_seconds": round(seconds, 2),
        "parameters": sum(p.numel() for p in model.parameters()),
    }


def run_ablation(cfg: AblationConfig, out_dir: str | os.PathLike, *, progress: bool | None = None) -> list[dict]:
    """Train every (task, layer, K, seed); write ``results.csv``, ``results.md``, ``results.png`` and
    ``config.json`` into ``out_dir``; return the rows."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    train, vocab = concept_graphs(cfg.train)
    evaluation, _ = concept_graphs(cfg.eval, vocab)
    runs = [(t, kind, k, s) for t in cfg.tasks for kind, k in cfg.layers for s in cfg.seeds]
    rows = []
    bar = tqdm(runs, desc="ablation", disable=progress is False)
    for task, kind, k, seed in bar:
        bar.set_postfix_str(f"{task} {kind} K={k} seed={seed}")
        rows.append(train_one(kind, k, task, seed, train, evaluation, vocab, cfg))
    write_results(rows, out, cfg)
    return rows


def _label(kind: str, k: int) -> str:
    return f"{kind} K={k}" if kind in ("multiscale", "powers") else kind


def summarise(rows: list[dict]) -> list[dict]:
    import statistics

    groups: dict[tuple, list[float]] = {}
    for r in rows:
        groups.setdefault((r["task"], r["layer"], r["K"]), []).append(r["accuracy"])
    return [
        {"task": t, "layer": kind, "K": k, "mean": statistics.fmean(v), "std": statistics.stdev(v) if len(v) > 1 else 0.0, "seeds": len(v)}
        for (t, kind, k), v in groups.items()
    ]


def write_results(rows: list[dict], out: Path, cfg: AblationConfig) -> None:
    with open(out / "results.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    summary = summarise(rows)
    lines = ["| task | layer | mean accuracy | std | seeds |", "|---|---|---|---|---|"]
    lines += [f"| {s['task']} | {_label(s['layer'], s['K'])} | {100 * s['mean']:.2f} | {100 * s['std']:.2f} | {s['seeds']} |" for s in summary]
    (out / "results.md").write_text("\n".join(lines) + "\n")
    meta = {"config": asdict(cfg), "torch": torch.__version__, "python": platform.python_version()}
    (out / "config.json").write_text(json.dumps(meta, indent=2))
    for s in summary:
        s["label"] = _label(s["layer"], s["K"])
    ablation_figure(summary).savefig(out / "results.png", dpi=110)
