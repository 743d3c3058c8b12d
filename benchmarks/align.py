#!/usr/bin/env python
"""Score the rule-based aligner against the ISI alignments of the Bio AMR dev set.

Reads ``bio-amr/alignment-release-dev-bio.txt``, strips its ``~e.N`` alignments, re-aligns every
graph with :func:`amrgnn.graph.aligner.align` and with a trivial exact-match baseline, and reports
precision / recall / F1 over (node, token) pairs for concepts, constants, roles and overall
(concepts + constants), plus graphs per second.

The reported numbers are those of the held-out graphs (``data/splits/bio-amr-dev-aligner-heldout.txt``:
three whole documents, 139 graphs); the rules are tuned on the other 361 ("tuning"), shown beside.

    python benchmarks/align.py [--data DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from amrgnn.graph.aligner import align, is_markup  # noqa: E402
from amrgnn.graph.io import AMR, read_amr  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
CORPUS = Path("bio-amr") / "alignment-release-dev-bio.txt"
KINDS = ("concepts", "constants", "roles", "overall", "all")
HELD_OUT = ROOT / "data" / "splits" / "bio-amr-dev-aligner-heldout.txt"
SPLITS = ("held_out", "tuning", "all")


def held_out_ids(path: Path = HELD_OUT) -> set[str]:
    """The sentence ids of the aligner's held-out Bio AMR dev graphs."""
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def strip(amr: AMR) -> AMR:
    """A copy of ``amr`` without any alignment."""
    return dataclasses.replace(amr, alignments={}, constant_alignments={}, role_alignments={}, reentrancy_alignments={})


def exact_baseline(amr: AMR) -> AMR:
    """Exact match only: a concept (sense stripped) or constant equal to a lower-cased token."""
    low = [t.lower() for t in amr.tokens]
    index: dict[str, list[int]] = {}
    for i, w in enumerate(low):
        if not is_markup(amr.tokens[i]):
            index.setdefault(w, []).append(i)
    used: set[int] = set()

    def pick(word: str) -> tuple[int, ...] | None:
        hits = index.get(word)
        if not hits:
            return None
        i = next((j for j in hits if j not in used), hits[0])
        used.add(i)
        return (i,)

    alignments = {}
    for v, _, c in amr.graph.instances():
        if c and (span := pick(re.sub(r"-\d+$", "", c).lower())):
            alignments[v] = span
    constants = {}
    for t in amr.graph.attributes():
        if t[1] != ":wiki" and (span := pick(t[2].strip('"').lower())):
            constants[t] = span
    return dataclasses.replace(
        amr, alignments=alignments, constant_alignments=constants, role_alignments={}
    )


def pairs(amr: AMR) -> dict[str, set]:
    """The alignments of ``amr`` as (node, token) pair sets, by kind."""
    gid = amr.id
    con = {(gid, v, i) for v, idx in amr.alignments.items() for i in idx}
    cst = {(gid, t, i) for t, idx in amr.constant_alignments.items() for i in idx}
    rol = {(gid, "role", t, i) for t, idx in amr.role_alignments.items() for i in idx}
    return {"concepts": con, "constants": cst, "roles": rol, "overall": con | cst, "all": con | cst | rol}


def score(gold: list[AMR], pred: list[AMR]) -> dict[str, dict[str, float]]:
    """Micro precision / recall / F1 per kind over all graphs."""
    counts = {k: [0, 0, 0] for k in KINDS}  # tp, n_pred, n_gold
    for g, p in zip(gold, pred, strict=True):
        gp, pp = pairs(g), pairs(p)
        for k in KINDS:
            counts[k][0] += len(gp[k] & pp[k])
            counts[k][1] += len(pp[k])
            counts[k][2] += len(gp[k])
    out = {}
    for k, (tp, n_pred, n_gold) in counts.items():
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[k] = {"precision": prec, "recall": rec, "f1": f1, "tp": tp, "pred": n_pred, "gold": n_gold}
    return out


def run(aligner: Callable[[AMR], AMR], graphs: list[AMR], repeat: int) -> tuple[list[AMR], float]:
    """Align every graph ``repeat`` times; return the output and the best graphs/second."""
    best = float("inf")
    out: list[AMR] = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = [aligner(a) for a in graphs]
        best = min(best, time.perf_counter() - t0)
    return out, len(graphs) / best if best > 0 else float("inf")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default: {DEFAULT_DATA})")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--repeat", type=int, default=3, help="timing repeats, best kept (default: 3)")
    args = ap.parse_args(argv)

    path = args.data / CORPUS
    if not path.is_file():
        print(f"error: {path} not found; point --data at the shared data folder holding {CORPUS}", file=sys.stderr)
        return 2
    gold = list(read_amr(path, progress=False))
    bare = [strip(a) for a in gold]

    held = held_out_ids()
    missing = held - {a.id for a in gold}
    if missing:
        print(f"error: {len(missing)} held-out ids of {HELD_OUT} are not in {path} (e.g. {sorted(missing)[0]})", file=sys.stderr)
        return 2
    subsets = {"held_out": [k for k, a in enumerate(gold) if a.id in held],
               "tuning": [k for k, a in enumerate(gold) if a.id not in held], "all": list(range(len(gold)))}

    results = {}
    for name, aligner in (("exact-match baseline", exact_baseline), ("rules (align)", align)):
        pred, speed = run(aligner, bare, args.repeat)
        for a in pred:
            n = len(a.tokens)
            spans = [*a.alignments.values(), *a.constant_alignments.values(), *a.role_alignments.values()]
            assert all(0 <= i < n for span in spans for i in span), f"{a.id}: index out of range"
        results[name] = {
            "scores": {split: score([gold[k] for k in idx], [pred[k] for k in idx]) for split, idx in subsets.items()},
            "graphs_per_second": speed,
        }

    sizes = ", ".join(f"{split} {len(idx)}" for split, idx in subsets.items())
    print(f"{len(gold)} graphs ({sizes}), {sum(len(a.tokens) for a in gold)} tokens from {path}")
    print(f"{'aligner':22} {'kind':10} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'gold':>6} {'F1 tuning':>10} {'F1 all':>7}")
    for name, res in results.items():
        for k in KINDS:
            r, tuning, everything = (res["scores"][split][k] for split in SPLITS)
            print(
                f"{name:22} {k:10} {100 * r['precision']:6.1f} {100 * r['recall']:6.1f} {100 * r['f1']:6.1f}"
                f" {r['pred']:6d} {r['gold']:6d} {100 * tuning['f1']:10.1f} {100 * everything['f1']:7.1f}"
            )
        print(f"{name:22} speed: {res['graphs_per_second']:,.0f} graphs/s")
    print("P, R, F1, pred, gold: the held-out graphs; overall = concepts + constants; all = overall + roles")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"corpus": str(path), "graphs": len(gold), "splits": {k: len(v) for k, v in subsets.items()},
                   "held_out_ids": str(HELD_OUT.relative_to(ROOT)), "aligners": results}
        args.json.write_text(json.dumps(payload, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
