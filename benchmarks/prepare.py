"""Graphs per second of the AMR preparation pipeline, against its floor and the reference approach.

One run times, on the same files:

* ``penman.loads`` alone (parsing is the floor: nothing can be faster than reading the text);
* amrgnn: ``read_amr -> align -> AMRVocab.build -> encode_amrs`` (HeteroData columns, token graph,
  exact k-hop with K = 4), then materialising every graph as a ``HeteroData``;
* the reference approach on the same aligned graphs: a dense L x L matrix of relation strings per
  sentence, exact-k sets from ``clamp((A + I)^k) - clamp((A + I)^(k-1))`` and the relation of the
  last edge found by recursive enumeration of paths (as the original system does).

Prints a table and, with ``--json PATH``, writes the numbers. Ratios are within this run.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import penman
import torch

from amrgnn.graph import AMRVocab, EncodeOptions, encode_amrs, extract_arrays, read_amr
from amrgnn.graph.align import align

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CORPORA = {
    "little-prince-v3.0": "little-prince-amr/amr-bank-struct-v3.0.txt",
    "bio-amr-dev": "bio-amr/alignment-release-dev-bio.txt",
}


# ------------------------------------------------------------------------------------- reference
def reference_token_matrix(amr, vocab) -> list[list[str]]:
    """Dense L x L matrix of relation names (the reference's data structure), from the same rules."""
    arr = extract_arrays(amr, vocab)
    n = arr.num_tokens
    m = [["" for _ in range(n)] for _ in range(n)]
    for i, j, r in zip(arr.tok_src, arr.tok_dst, arr.tok_type, strict=True):
        m[i][j] = vocab.relations[r]
    return m


def reference_k_hop(matrix: list[list[str]], max_k: int) -> list[list[tuple[int, int, str]]]:
    """Exact-k pairs from dense reachability differences; last-edge labels by path enumeration."""
    n = len(matrix)
    if n == 0:
        return [[] for _ in range(max_k)]
    a = torch.tensor([[1.0 if matrix[i][j] else 0.0 for j in range(n)] for i in range(n)])
    a_i = a + torch.eye(n)
    reach_prev = torch.eye(n)
    power = torch.eye(n)
    out = []
    for k in range(1, max_k + 1):
        power = power @ a_i
        reach = power.clamp(max=1)
        exact = reach - reach_prev
        reach_prev = reach
        pairs = []
        for u, v in exact.nonzero().tolist():
            label = _last_edge_label(matrix, u, v, k, [u])
            pairs.append((u, v, label))
        out.append(pairs)
    return out


def _last_edge_label(matrix, u, v, k, path):
    """Recursive enumeration of simple paths of length k from u; the label of the last edge to v."""
    if k == 1:
        return matrix[u][v] or None
    for w, rel in enumerate(matrix[u]):
        if rel and w not in path:
            found = _last_edge_label(matrix, w, v, k - 1, path + [w])
            if found:
                return found
    return None


# ------------------------------------------------------------------------------------- timing
def _best_of(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bench_corpus(path: Path, *, max_k: int, repeat: int, reference_limit: int) -> dict:
    text = path.read_text(encoding="utf-8")
    n_graphs = len(penman.loads(text))
    t_parse, _ = _best_of(lambda: penman.loads(text), repeat)

    def read_align():
        return [align(a) for a in read_amr(path, progress=False)]

    def pipeline():
        amrs = read_align()
        vocab = AMRVocab.build(amrs)
        return amrs, vocab, encode_amrs(amrs, vocab, options=EncodeOptions(max_k=max_k))

    t_read, _ = _best_of(lambda: list(read_amr(path, progress=False)), repeat)
    t_read_align, _ = _best_of(read_align, repeat)
    t_pipe, (amrs, vocab, cols) = _best_of(pipeline, repeat)
    t_get, _ = _best_of(lambda: [cols.get(i) for i in range(len(cols))], repeat)
    t_stage, _ = _best_of(lambda: encode_amrs(amrs, vocab, options=EncodeOptions(max_k=max_k)), repeat)

    # the reference approach on the first `reference_limit` graphs (it is slow), per graph
    sub = amrs[:reference_limit]
    t0 = time.perf_counter()
    for amr in sub:
        reference_k_hop(reference_token_matrix(amr, vocab), max_k)
    t_ref = time.perf_counter() - t0
    t_ours_sub, _ = _best_of(lambda: encode_amrs(sub, vocab, options=EncodeOptions(max_k=max_k)), repeat)
    ref_per_graph = t_ref / max(len(sub), 1)
    read_align_per_graph = t_read_align / n_graphs

    # check the two agree on what they both compute (pair sets per k)
    agree = True
    for i, amr in enumerate(sub[:50]):
        ref = reference_k_hop(reference_token_matrix(amr, vocab), max_k)
        d = cols.get(i)
        for k in range(1, max_k + 1):
            ours = {tuple(p) for p in d["token", f"hop{k}", "token"].edge_index.t().tolist()}
            agree &= ours == {(u, v) for u, v, _ in ref[k - 1]}

    gps = lambda t, n=n_graphs: n / t if t > 0 else float("inf")  # noqa: E731
    return {
        "graphs": n_graphs,
        "tokens": int(cols.values["c:token"].sum()),
        "token_graph_edges": int(cols.values["e:token:amr:token:edge_type"].numel()),
        "penman_loads_gps": gps(t_parse),
        "read_gps": gps(t_read),
        "read_align_gps": gps(t_read_align),
        "pipeline_gps": gps(t_pipe),
        "pipeline_plus_heterodata_gps": gps(t_pipe + t_get),
        "encode_stage_gps": gps(t_stage),
        "reference_graphs": len(sub),
        "reference_stage_gps": 1.0 / ref_per_graph if ref_per_graph else float("inf"),
        "ours_stage_on_reference_subset_gps": gps(t_ours_sub, len(sub)),
        "reference_pipeline_gps": 1.0 / (read_align_per_graph + ref_per_graph),
        "ratio_pipeline_vs_penman": t_parse / t_pipe,
        "ratio_pipeline_plus_heterodata_vs_penman": t_parse / (t_pipe + t_get),
        "speedup_stage_vs_reference": ref_per_graph * len(sub) / t_ours_sub,
        "speedup_pipeline_vs_reference": (read_align_per_graph + ref_per_graph) / (t_pipe / n_graphs),
        "k_hop_pairs_agree_with_reference": agree,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"the public corpora (default: {DEFAULT_DATA})")
    p.add_argument("--max-k", type=int, default=4)
    p.add_argument("--repeat", type=int, default=3, help="best of N runs (default: 3)")
    p.add_argument("--reference-limit", type=int, default=200, help="graphs timed with the slow reference (default: 200)")
    p.add_argument("--json", type=Path, help="write the results here")
    args = p.parse_args(argv)

    results = {}
    for name, rel in CORPORA.items():
        path = args.data / rel
        if not path.is_file():
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        print(f"benchmarking {name} ...", file=sys.stderr)
        results[name] = bench_corpus(path, max_k=args.max_k, repeat=args.repeat, reference_limit=args.reference_limit)
    if not results:
        print(f"no corpora found under {args.data}", file=sys.stderr)
        return 2

    rows = [
        ("graphs", "graphs", "{:d}"),
        ("penman.loads alone (graphs/s)", "penman_loads_gps", "{:.0f}"),
        ("amrgnn read_amr (graphs/s)", "read_gps", "{:.0f}"),
        ("amrgnn read + align (graphs/s)", "read_align_gps", "{:.0f}"),
        ("amrgnn full pipeline, K=4 (graphs/s)", "pipeline_gps", "{:.0f}"),
        ("  + materialise HeteroData (graphs/s)", "pipeline_plus_heterodata_gps", "{:.0f}"),
        ("  pipeline speed / penman.loads", "ratio_pipeline_vs_penman", "{:.2f}"),
        ("  (+HeteroData) / penman.loads", "ratio_pipeline_plus_heterodata_vs_penman", "{:.2f}"),
        ("reference stage (graphs/s)", "reference_stage_gps", "{:.1f}"),
        ("amrgnn stage, same graphs (graphs/s)", "ours_stage_on_reference_subset_gps", "{:.0f}"),
        ("  stage speed-up vs reference", "speedup_stage_vs_reference", "{:.0f}x"),
        ("reference full pipeline (graphs/s)", "reference_pipeline_gps", "{:.1f}"),
        ("  pipeline speed-up vs reference", "speedup_pipeline_vs_reference", "{:.1f}x"),
        ("k-hop pairs agree with reference", "k_hop_pairs_agree_with_reference", "{}"),
    ]
    names = list(results)
    w0 = max(len(r[0]) for r in rows)
    print(f"{'':<{w0}}  " + "  ".join(f"{n:>20}" for n in names))
    for label, key, fmt in rows:
        print(f"{label:<{w0}}  " + "  ".join(f"{fmt.format(results[n][key]):>20}" for n in names))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {"python": platform.python_version(), "torch": torch.__version__, "machine": platform.machine(), "max_k": args.max_k}
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
