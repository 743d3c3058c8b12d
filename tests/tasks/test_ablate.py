"""The GNN ablation task: graphs, masking, and a tiny end-to-end run writing its outputs."""

from __future__ import annotations

import csv

import torch
from torch_geometric.data import Batch

from amrgnn.cli import main
from amrgnn.tasks.ablate_gnn import _masked, concept_graphs, parse_layer_specs

from ..conftest import SAMPLE


def test_parse_layer_specs():
    assert parse_layer_specs("mlp,gcn,multiscale:1-3,powers:2") == [
        ("mlp", 0), ("gcn", 1), ("multiscale", 1), ("multiscale", 2), ("multiscale", 3), ("powers", 2),
    ]


def test_concept_graphs_have_both_directions():
    graphs, vocab = concept_graphs([SAMPLE])
    g = graphs[0]  # want-01 :ARG0 boy, :ARG1 go-02, go-02 :ARG0 boy
    e = int(g.fwd_mask.sum())
    assert e == 3 and g.edge_index.size(1) == 6
    assert torch.equal(g.edge_index[:, e:], g.edge_index[:, :e].flip(0))
    assert torch.equal(g.edge_type[e:], g.edge_type[:e] + vocab.num_relations)


def test_masking_removes_both_directions_of_held_out_edges():
    graphs, _ = concept_graphs([SAMPLE])
    batch = Batch.from_data_list(graphs)
    ei, et, pairs, gold = _masked(batch, 0.5, torch.Generator().manual_seed(0))
    kept = {tuple(p) for p in ei.t().tolist()}
    assert pairs.size(1) == gold.numel() > 0
    assert ei.size(1) == batch.edge_index.size(1) - 2 * pairs.size(1)
    for s, t in pairs.t().tolist():
        assert (s, t) not in kept and (t, s) not in kept


def test_tiny_run_writes_table_and_plot(tmp_path, capsys):
    argv = ["ablate-gnn", "--train", str(SAMPLE), "--eval", str(SAMPLE), "--out", str(tmp_path), "--layers", "mlp,multiscale:2,gcn", "--seeds", "2", "--epochs", "2"]
    assert main(argv) == 0
    rows = list(csv.DictReader(open(tmp_path / "results.csv")))
    assert len(rows) == 2 * 3 * 2  # tasks x layers x seeds
    assert all(0.0 <= float(r["accuracy"]) <= 1.0 for r in rows)
    assert (tmp_path / "results.png").read_bytes()[:4] == b"\x89PNG"
    assert "multiscale K=2" in (tmp_path / "results.md").read_text()
    assert "relation" in capsys.readouterr().out
