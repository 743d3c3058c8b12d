"""Standalone GNN ablation: which aggregation helps at which K, without a transformer.

Trains every layer kind (mlp = no graph, gcn, gat, rgcn, MixHop powers K=1..4, exact-k-hop
multi-scale K=1..4) on masked relation prediction and concept-sense prediction over the Little
Prince AMR concept graphs (v1.6 training -> dev), several seeds; writes results.csv, results.md and
results.png into --out, and the summary as JSON with --json. The same run as `amrgnn ablate-gnn`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from amrgnn.tasks.ablate_gnn import AblationConfig, parse_layer_specs, run_ablation, summarise

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "little-prince-amr"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("out/bench/gnn_ablation"))
    p.add_argument("--layers", default="mlp,gcn,gat,rgcn,powers:1-4,multiscale:1-4")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--json", type=Path, help="write the summary here")
    args = p.parse_args(argv)
    train, dev = DATA / "amr-bank-struct-v1.6-training.txt", DATA / "amr-bank-struct-v1.6-dev.txt"
    if not train.is_file():
        print(f"the Little Prince corpus is not at {DATA}", file=sys.stderr)
        return 2
    cfg = AblationConfig(train=[str(train)], eval=[str(dev)], layers=parse_layer_specs(args.layers), seeds=list(range(args.seeds)), epochs=args.epochs)
    summary = summarise(run_ablation(cfg, args.out))
    print(f"{'task':<9} {'layer':<14} {'accuracy %':>10} {'std':>6}")
    for s in summary:
        k = f" K={s['K']}" if s["layer"] in ("multiscale", "powers") else ""
        print(f"{s['task']:<9} {s['layer'] + k:<14} {100 * s['mean']:>10.2f} {100 * s['std']:>6.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
