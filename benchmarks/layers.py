#!/usr/bin/env python
"""Forward + backward time and peak memory of MultiScaleAggregation, MixHopConv and the reference.

One run times, on the same batch of real AMR token graphs (Bio AMR dev, read with ``read_amr``,
token graphs from ``token_graph``, batched as one disjoint union) with random node features of
width C and K scales, the forward pass, ``out.sum()`` and ``.backward()`` of:

* ``MultiScaleAggregation(C, C, K, num_relations)`` with the exact-k-hop pairs precomputed by
  ``AddExactKHop`` and passed as ``hops=hops_from(batch, K)`` (the fast path);
* the same layer computing the k-hop structure inside ``forward`` (its per-batch cache is cleared
  before every call, so the k-hop time is included);
* PyG's ``MixHopConv(C, C, powers=[0..K])`` followed by ``Linear((K + 1) * C, C)`` (same channels,
  same number of hops);
* the reference approach, written here: per graph a dense L x L matrix of relation names, exact-k
  sets from ``clamp((A + I)^k) - clamp((A + I)^(k-1))`` and last-edge relations by recursive
  enumeration of simple paths in Python (``reference_k_hop`` of ``benchmarks/prepare.py``), run in
  every batch; then, per graph and scale, ``h_k = D^-1/2 A_k D^-1/2 (X + E_k[R_k]) W_k`` with dense
  ``[L, L, C]`` relation-embedding tensors, concatenated and projected by a linear layer. The
  relation-name matrices are built once, before timing (data preparation, in the reference's
  favour). It is slow, so it runs on the first ``--reference-graphs`` graphs only, and the layer
  and MixHopConv are timed on that same sub-batch too: ratios there are per graph on the same
  graphs.

Contenders run round-robin (best of ``--repeat`` rounds, the garbage collector paused, CUDA
synchronised). Peak memory is measured in one extra, untimed call: on CUDA
``torch.cuda.max_memory_allocated`` above what was allocated before the call; on the CPU the
running maximum of the tensor allocations and frees recorded by ``torch.profiler`` with
``profile_memory=True`` (tensor memory only: the reference's Python lists are not counted). The
number of k-hop pairs is printed next to ``tokens x tokens x K`` to show what the memory grows with.

The reference is checked against the layer: with the layer's weights copied into it and fed the
layer's own k-hop pairs it must give the same output, and its own k-hop pairs must equal ours.

    python benchmarks/layers.py [--device cpu|cuda] [--channels 128] [--scales 4] [--graphs 500]
                                [--reference-graphs 64] [--repeat 5] [--dtype float32|bfloat16]
                                [--json PATH] [--profile]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from torch import Tensor
from torch.nn import Embedding, Module, Parameter
from torch_geometric.data import Batch, Data
from torch_geometric.nn import MixHopConv
from torch_geometric.nn.dense.linear import Linear

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from amrgnn.graph import AMRVocab, KHop, read_amr, token_graph  # noqa: E402
from amrgnn.nn.multiscale import MultiScaleAggregation  # noqa: E402
from amrgnn.nn.transforms import AddExactKHop, hops_from  # noqa: E402

# the reference's k-hop stage, shared with benchmarks/prepare.py (loaded by path: benchmarks/ is
# not a package)
_spec = importlib.util.spec_from_file_location("_amrgnn_bench_prepare", BENCH / "prepare.py")
_prepare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_prepare)
reference_k_hop = _prepare.reference_k_hop
reference_token_matrix = _prepare.reference_token_matrix

DEFAULT_DATA = ROOT.parent / "shared" / "data"
CORPUS = Path("bio-amr") / "alignment-release-dev-bio.txt"
TARGET_VS_REFERENCE = 100.0  # the layer is at least this many times faster than the reference
TARGET_VS_MIXHOP = 1.5  # and at most this many times slower than MixHopConv + Linear
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


# ------------------------------------------------------------------------------------- reference
class DenseReference(Module):
    """The reference approach: per graph, k-hop sets and last-edge relations recomputed from the
    dense relation-name matrix (Python path enumeration), then dense per-graph aggregation with
    ``[L, L, C]`` relation-embedding tensors. Same parameters (shapes and roles) as
    ``MultiScaleAggregation(C, C, K, R)`` with ``combine="cat"``."""

    def __init__(self, channels: int, num_scales: int, num_relations: int, vocab: AMRVocab) -> None:
        super().__init__()
        self.num_scales = num_scales
        self.num_relations = num_relations
        self.vocab = vocab
        self.weight = Parameter(torch.empty(num_scales, channels, channels))
        self.rel_emb = Embedding(num_scales * num_relations, channels)
        self.lin_self = Linear(channels, channels, bias=False)
        self.lin_out = Linear((num_scales + 1) * channels, channels, bias=False)
        self.bias = Parameter(torch.empty(channels))

    def copy_from(self, layer: MultiScaleAggregation) -> DenseReference:
        with torch.no_grad():
            self.weight.copy_(layer.weight)
            self.rel_emb.weight.copy_(layer.rel_emb.weight)
            self.lin_self.weight.copy_(layer.lin_self.weight)
            self.lin_out.weight.copy_(layer.lin_out.weight)
            self.bias.copy_(layer.bias)
        return self

    def dense_hops(self, pairs: list[list[tuple[int, int, str]]], n: int, device) -> list[tuple[Tensor, Tensor]]:
        """Per scale: the dense adjacency ``A_k[v, u] = 1`` for a path ``u -> v`` of exact length
        ``k`` and the dense relation ids ``R_k[v, u]`` of its last edge, both ``[L, L]``."""
        out = []
        for k, ps in enumerate(pairs):
            a = torch.zeros(n, n, device=device)
            r = torch.zeros(n, n, dtype=torch.long, device=device)
            if ps:
                u = torch.tensor([p[0] for p in ps], device=device)
                v = torch.tensor([p[1] for p in ps], device=device)
                rid = torch.tensor([self.vocab.relation_id(p[2]) for p in ps], device=device)
                a[v, u] = 1.0
                r[v, u] = rid + k * self.num_relations
            out.append((a, r))
        return out

    def forward(
        self,
        x: Tensor,
        matrices: list[list[list[str]]],
        ptr: list[int],
        pairs: list[list[list[tuple[int, int, str]]]] | None = None,
    ) -> Tensor:
        outs = []
        for g, matrix in enumerate(matrices):
            xg = x[ptr[g] : ptr[g + 1]]
            n = xg.size(0)
            # what the reference does in every batch: exact-k sets and path enumeration, in Python
            exact = reference_k_hop(matrix, self.num_scales) if pairs is None else pairs[g]
            hs = [self.lin_self(xg)]
            for k, (a, r) in enumerate(self.dense_hops(exact, n, x.device)):
                a = a.to(x.dtype)
                d_in, d_out = a.sum(1), a.sum(0)
                s_in = torch.where(d_in > 0, d_in.clamp(min=1).rsqrt(), torch.zeros_like(d_in))
                s_out = torch.where(d_out > 0, d_out.clamp(min=1).rsqrt(), torch.zeros_like(d_out))
                a_norm = s_in[:, None] * a * s_out[None, :]  # D^-1/2 A_k D^-1/2, [L, L]
                msg = xg.unsqueeze(0) + self.rel_emb(r).to(x.dtype)  # X + E_k[R_k], [L, L, C]
                agg = (a_norm.unsqueeze(-1) * msg).sum(1)  # [L, C]
                hs.append(agg @ self.weight[k].to(x.dtype))
            outs.append(self.lin_out(torch.cat(hs, dim=-1)) + self.bias)
        return torch.cat(outs, dim=0)


class MixHop(Module):
    """``MixHopConv(C, C, powers=[0..K])`` and a ``Linear((K + 1) * C, C)`` back to C channels."""

    def __init__(self, channels: int, num_scales: int) -> None:
        super().__init__()
        self.conv = MixHopConv(channels, channels, powers=list(range(num_scales + 1)))
        self.lin = Linear((num_scales + 1) * channels, channels)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        return self.lin(self.conv(x, edge_index))


# ------------------------------------------------------------------------------------- timing
_tspec = importlib.util.spec_from_file_location("_amrgnn_bench_timing", BENCH / "_timing.py")
_timing = importlib.util.module_from_spec(_tspec)
_tspec.loader.exec_module(_timing)
_sync, _timed, _race, _peak_bytes = _timing.sync, _timing.timed, _timing.race, _timing.peak_bytes


def _step(modules: list[Module], x: Tensor, forward: Callable[[], Tensor]) -> Callable[[], None]:
    """One training step of a contender: forward, sum of the outputs, backward."""
    params = [p for m in modules for p in m.parameters()]

    def clear() -> None:
        for p in params:
            p.grad = None
        x.grad = None

    def run() -> None:
        clear()
        forward().float().sum().backward()

    run.clear = clear  # so that a memory measurement can start without the last call's gradients
    return run


# ------------------------------------------------------------------------------------- data
def load_graphs(path: Path, n_graphs: int) -> tuple[list, AMRVocab, list[Data]]:
    amrs = list(read_amr(path, progress=False))
    vocab = AMRVocab.build(amrs)  # from the whole file, so num_relations does not depend on --graphs
    amrs = amrs[:n_graphs]
    data = []
    for amr in amrs:
        edge_index, edge_type = token_graph(amr, vocab)
        data.append(Data(edge_index=edge_index, edge_type=edge_type, num_nodes=len(amr.tokens)))
    return amrs, vocab, data


def pair_stats(data: list[Data], hops: list[KHop], channels: int, num_scales: int, elsize: int) -> dict:
    lengths = [int(d.num_nodes) for d in data]
    n = sum(lengths)
    pairs = [int(h.edge_index.size(1)) for h in hops]
    dense_per_graph = sum(length * length for length in lengths) * num_scales
    return {
        "graphs": len(data),
        "tokens": n,
        "max_tokens_per_graph": max(lengths, default=0),
        "token_graph_edges": sum(int(d.edge_index.size(1)) for d in data),
        "k_hop_pairs_per_scale": pairs,
        "k_hop_pairs": sum(pairs),
        "dense_per_graph_LxLxK": dense_per_graph,
        "dense_batch_NxNxK": n * n * num_scales,
        "pair_features_bytes": sum(pairs) * channels * elsize,
        "dense_per_graph_features_bytes": dense_per_graph * channels * elsize,
    }


# ------------------------------------------------------------------------------------- benchmark
def bench(args: argparse.Namespace, path: Path) -> dict:
    device = torch.device(args.device)
    dtype = DTYPES[args.dtype]
    C, K = args.channels, args.scales
    elsize = torch.empty(0, dtype=dtype).element_size()

    load_before = os.getloadavg()
    print("reading graphs ...", file=sys.stderr)
    amrs, vocab, data = load_graphs(path, args.graphs)
    n_rel = vocab.num_relations
    t0 = time.perf_counter()
    add_hops = AddExactKHop(K)
    data_hops = [add_hops(d.clone()) for d in data]
    t_precompute = time.perf_counter() - t0

    n_sub = min(args.reference_graphs, len(data))
    batch = Batch.from_data_list(data_hops).to(device)
    sub = Batch.from_data_list(data_hops[:n_sub]).to(device)
    hops = [KHop(h.edge_index, h.edge_type) for h in hops_from(batch, K)]
    hops_sub = [KHop(h.edge_index, h.edge_type) for h in hops_from(sub, K)]
    matrices = [reference_token_matrix(a, vocab) for a in amrs[:n_sub]]
    ptr_sub = sub.ptr.tolist()

    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    x = torch.randn(batch.num_nodes, C, generator=gen).to(device=device, dtype=dtype).requires_grad_()
    x_sub = x.detach()[: sub.num_nodes].clone().requires_grad_()

    msa = MultiScaleAggregation(C, C, K, n_rel).to(device=device, dtype=dtype)
    mix = MixHop(C, K).to(device=device, dtype=dtype)
    ref = DenseReference(C, K, n_rel, vocab).copy_from(msa).to(device=device, dtype=dtype)

    def msa_in_forward(xx: Tensor, b: Batch) -> Tensor:
        msa._cache = None  # the layer caches the k-hop structure per batch: recompute it every call
        return msa(xx, b.edge_index, b.edge_type)

    # ---- checks (untimed): the two layer paths agree, and the reference computes the same layer
    with torch.no_grad():
        out_fast = msa(x, hops=hops)
        out_fwd = msa_in_forward(x, batch)
        diff_paths = float((out_fast.float() - out_fwd.float()).abs().max())
        out_sub = msa(x_sub, hops=hops_sub).float()
        ref_pairs = [reference_k_hop(m, K) for m in matrices]
        ours_pairs = []
        for g in range(n_sub):
            lo, hi = ptr_sub[g], ptr_sub[g + 1]
            per_k = []
            for h in hops_sub:
                keep = (h.edge_index[0] >= lo) & (h.edge_index[0] < hi)
                ei, et = (h.edge_index[:, keep] - lo).tolist(), h.edge_type[keep].tolist()
                per_k.append([(u, v, vocab.relations[t]) for u, v, t in zip(ei[0], ei[1], et, strict=True)])
            ours_pairs.append(per_k)
        same_pairs = all(
            {(u, v) for u, v, _ in o} == {(u, v) for u, v, _ in r}
            for og, rg in zip(ours_pairs, ref_pairs, strict=True)
            for o, r in zip(og, rg, strict=True)
        )
        n_pairs = sum(len(o) for og in ours_pairs for o in og)
        same_label = sum(
            len(set(o) & set(r)) for og, rg in zip(ours_pairs, ref_pairs, strict=True) for o, r in zip(og, rg, strict=True)
        )
        diff_ref_ours_pairs = float((ref(x_sub, matrices, ptr_sub, pairs=ours_pairs).float() - out_sub).abs().max())
        diff_ref_own_pairs = float((ref(x_sub, matrices, ptr_sub).float() - out_sub).abs().max())
    msa._cache = None
    del out_fast, out_fwd, out_sub

    contenders = {
        "msa_fast": _step([msa], x, lambda: msa(x, hops=hops)),
        "msa_in_forward": _step([msa], x, lambda: msa_in_forward(x, batch)),
        "mixhop": _step([mix], x, lambda: mix(x, batch.edge_index)),
        "msa_fast_sub": _step([msa], x_sub, lambda: msa(x_sub, hops=hops_sub)),
        "msa_in_forward_sub": _step([msa], x_sub, lambda: msa_in_forward(x_sub, sub)),
        "mixhop_sub": _step([mix], x_sub, lambda: mix(x_sub, sub.edge_index)),
        "reference_sub": _step([ref], x_sub, lambda: ref(x_sub, matrices, ptr_sub)),
    }
    graphs = {name: (n_sub if name.endswith("_sub") else len(data)) for name in contenders}
    print(f"timing {len(contenders)} contenders, {args.repeat} round-robin rounds ...", file=sys.stderr)
    times = _race(contenders, args.repeat, device)
    memory = {}
    for name, fn in contenders.items():
        memory[name], how = _peak_bytes(fn, device)
        msa._cache = None

    results = {}
    for name in contenders:
        best, med = min(times[name]), statistics.median(times[name])
        base = min(times["msa_fast_sub" if name.endswith("_sub") else "msa_fast"])
        results[name] = {
            "graphs": graphs[name],
            "ms_per_batch": best * 1e3,
            "ms_per_batch_median": med * 1e3,
            "ms_per_graph": best * 1e3 / graphs[name],
            "ratio_vs_msa_fast_same_graphs": best / base,
            "peak_memory_bytes": memory[name],
        }
    ref_per_graph = results["reference_sub"]["ms_per_graph"]
    return {
        "device": str(device),
        "dtype": args.dtype,
        "channels": C,
        "scales": K,
        "num_relations": n_rel,
        "threads": torch.get_num_threads(),
        "memory_measure": how,
        "load_average_1min_before_after": [load_before[0], os.getloadavg()[0]],
        "k_hop_precompute_ms_whole_dataset": t_precompute * 1e3,
        "batch": pair_stats(data, hops, C, K, elsize),
        "reference_batch": pair_stats(data[:n_sub], hops_sub, C, K, elsize),
        "contenders": results,
        "reference_per_graph_vs_msa_fast_full_batch_per_graph": ref_per_graph / results["msa_fast"]["ms_per_graph"],
        "reference_vs_msa_fast_same_graphs": results["reference_sub"]["ratio_vs_msa_fast_same_graphs"],
        "msa_fast_vs_mixhop": results["msa_fast"]["ms_per_batch"] / results["mixhop"]["ms_per_batch"],
        "msa_in_forward_vs_mixhop": results["msa_in_forward"]["ms_per_batch"] / results["mixhop"]["ms_per_batch"],
        "checks": {
            "fast_path_equals_in_forward_max_abs_diff": diff_paths,
            "reference_k_hop_pairs_equal_ours": same_pairs,
            "reference_last_edge_labels_equal_ours": same_label / max(n_pairs, 1),
            "reference_on_our_pairs_vs_layer_max_abs_diff": diff_ref_ours_pairs,
            "reference_on_own_pairs_vs_layer_max_abs_diff": diff_ref_own_pairs,
        },
        "targets": {"speedup_vs_reference_at_least": TARGET_VS_REFERENCE, "slowdown_vs_mixhop_at_most": TARGET_VS_MIXHOP},
    }


def profile_layers(args: argparse.Namespace, path: Path) -> None:
    """Where the time of one forward + backward goes, for the fast path and MixHopConv."""
    from torch.profiler import ProfilerActivity, profile

    device = torch.device(args.device)
    dtype = DTYPES[args.dtype]
    C, K = args.channels, args.scales
    _, vocab, data = load_graphs(path, args.graphs)
    batch = Batch.from_data_list([AddExactKHop(K)(d) for d in data]).to(device)
    hops = hops_from(batch, K)
    x = torch.randn(batch.num_nodes, C).to(device=device, dtype=dtype).requires_grad_()
    msa = MultiScaleAggregation(C, C, K, vocab.num_relations).to(device=device, dtype=dtype)
    mix = MixHop(C, K).to(device=device, dtype=dtype)
    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == "cuda" else [])
    sort = "self_cuda_time_total" if device.type == "cuda" else "self_cpu_time_total"
    for name, fn in (("MultiScaleAggregation (precomputed k-hop)", _step([msa], x, lambda: msa(x, hops=hops))),
                     ("MixHopConv + Linear", _step([mix], x, lambda: mix(x, batch.edge_index)))):
        for _ in range(2):
            fn()
        with profile(activities=acts) as prof:
            for _ in range(args.repeat):
                fn()
            _sync(device)
        print(f"\n== {name}: {args.repeat} calls ==")
        print(prof.key_averages().table(sort_by=sort, row_limit=15))


# ------------------------------------------------------------------------------------- report
def _mib(b: int) -> str:
    return f"{b / 2**20:.2f} MiB"


def print_report(r: dict) -> None:
    print(f"device {r['device']}, {r['dtype']}, C={r['channels']}, K={r['scales']}, "
          f"{r['num_relations']} relations, {r['threads']} threads; forward + sum + backward, best of rounds")
    la = r["load_average_1min_before_after"]
    print(f"1-min load average before / after: {la[0]:.2f} / {la[1]:.2f} (other processes share the CPUs)")
    for key, label in (("batch", "full batch"), ("reference_batch", "reference sub-batch")):
        s = r[key]
        print(f"{label}: {s['graphs']} graphs, {s['tokens']} tokens (max {s['max_tokens_per_graph']}/graph), "
              f"{s['token_graph_edges']} edges; k-hop pairs {s['k_hop_pairs']:,} {s['k_hop_pairs_per_scale']} "
              f"vs sum_g L^2 K = {s['dense_per_graph_LxLxK']:,} vs N^2 K = {s['dense_batch_NxNxK']:,}; "
              f"pair x C features {_mib(s['pair_features_bytes'])}, dense L x L x K x C {_mib(s['dense_per_graph_features_bytes'])}")
    print(f"k-hop precompute (AddExactKHop, once per dataset): {r['k_hop_precompute_ms_whole_dataset']:.1f} ms")
    labels = {
        "msa_fast": "MultiScaleAggregation, precomputed k-hop",
        "msa_in_forward": "MultiScaleAggregation, k-hop in forward",
        "mixhop": "MixHopConv + Linear",
        "msa_fast_sub": "MultiScaleAggregation, precomputed k-hop",
        "msa_in_forward_sub": "MultiScaleAggregation, k-hop in forward",
        "mixhop_sub": "MixHopConv + Linear",
        "reference_sub": "reference (dense, path enumeration)",
    }
    head = f"{'contender':<42} {'graphs':>6} {'ms/batch':>10} {'median':>10} {'ms/graph':>9} {'vs MSA fast':>11} {'peak memory':>13}"
    print()
    print(head)
    print("-" * len(head))
    for name, c in r["contenders"].items():
        if name == "msa_fast_sub":
            print("-" * len(head))
        print(f"{labels[name]:<42} {c['graphs']:>6} {c['ms_per_batch']:>10.2f} {c['ms_per_batch_median']:>10.2f} "
              f"{c['ms_per_graph']:>9.3f} {c['ratio_vs_msa_fast_same_graphs']:>10.2f}x {_mib(c['peak_memory_bytes']):>13}")
    print(f"(peak memory: {r['memory_measure']}, one extra untimed call, including parameter gradients)")
    t = r["targets"]
    print()
    print(f"reference / MSA fast, same graphs:              {r['reference_vs_msa_fast_same_graphs']:>8.1f}x   (target >= {t['speedup_vs_reference_at_least']:.0f}x)")
    print(f"reference / MSA fast, per graph vs full batch:  {r['reference_per_graph_vs_msa_fast_full_batch_per_graph']:>8.1f}x   (target >= {t['speedup_vs_reference_at_least']:.0f}x)")
    print(f"MSA fast / MixHopConv + Linear:                 {r['msa_fast_vs_mixhop']:>8.2f}x   (target <= {t['slowdown_vs_mixhop_at_most']}x)")
    print(f"MSA k-hop in forward / MixHopConv + Linear:     {r['msa_in_forward_vs_mixhop']:>8.2f}x   (information)")
    ch = r["checks"]
    print()
    print(f"check: fast path == k-hop in forward, max |diff|        {ch['fast_path_equals_in_forward_max_abs_diff']:.2e}")
    print(f"check: reference k-hop pairs == ours                      {ch['reference_k_hop_pairs_equal_ours']}")
    print(f"check: reference last-edge relations == ours (pairs)      {ch['reference_last_edge_labels_equal_ours']:.2%}")
    print(f"check: reference on our pairs vs layer, max |diff|        {ch['reference_on_our_pairs_vs_layer_max_abs_diff']:.2e}")
    print(f"check: reference on its own pairs vs layer, max |diff|    {ch['reference_on_own_pairs_vs_layer_max_abs_diff']:.2e}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"the public corpora (default: {DEFAULT_DATA})")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cuda" if torch.cuda.is_available() else "cpu",
                   help="default: cuda if available")
    p.add_argument("--channels", type=int, default=128, help="feature width C (default: 128)")
    p.add_argument("--scales", type=int, default=4, help="number of scales K (default: 4)")
    p.add_argument("--graphs", type=int, default=500, help="graphs in the batch (default: 500, all of Bio AMR dev)")
    p.add_argument("--reference-graphs", type=int, default=64,
                   help="graphs timed with the slow reference, and with the others on the same sub-batch (default: 64)")
    p.add_argument("--repeat", type=int, default=5, help="best of N round-robin rounds (default: 5)")
    p.add_argument("--dtype", choices=tuple(DTYPES), default="float32")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--profile", action="store_true",
                   help="instead of the benchmark, print torch.profiler tables of MultiScaleAggregation and MixHopConv")
    p.add_argument("--json", type=Path, help="write the results here")
    args = p.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        print("--device cuda: CUDA is not available", file=sys.stderr)
        return 2
    if args.channels < 1 or args.scales < 1 or args.graphs < 1 or args.reference_graphs < 1 or args.repeat < 1:
        print("--channels, --scales, --graphs, --reference-graphs and --repeat must be >= 1", file=sys.stderr)
        return 2

    path = args.data / CORPUS
    if not path.is_file():
        print(f"Bio AMR dev not found: {path}", file=sys.stderr)
        return 2
    if args.profile:
        profile_layers(args, path)
        return 0
    results = bench(args, path)
    print_report(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "machine": platform.machine(),
            "processor": platform.processor(),
            "cuda_device": torch.cuda.get_device_name() if args.device == "cuda" else None,
            "corpus": str(CORPUS),
            "repeat": args.repeat,
        }
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
