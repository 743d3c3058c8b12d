#!/usr/bin/env python
"""Event-extraction throughput with and without AMR graphs, in one run.

No public event corpus here comes with AMR graphs (GENEVA and PHEE have none, and no AMR parser
model can be downloaded on these machines), so the workload is built from an AMR corpus whose
graphs are gold: every sense-tagged predicate concept (``want-01``) aligned to a word is a trigger
(its frame lemma the event type, the 30 most frequent kept), and its ``:ARG0``-``:ARG4`` children
aligned to words are arguments with those roles; the candidates are all aligned child spans. This
measures speed only (graphs built from the same AMRs make the labels easy for the graph path).

Both paths train ``AMRDebertaForEventExtraction`` on the offline backbone (all-MiniLM-L6-v2
converted) with the same batches: ``text``: ``graph_attention="none"``; ``graph``: multi-scale
graph terms in every layer, the token graph batched with its exact-k-hop pairs in the collator.
Reported: training sentences/s (forward, backward, AdamW) and prediction sentences/s (decoding
included), and the ratio graph/text (target: the graph path at most 1.3x slower).

    python benchmarks/event_extraction.py [--amr PATH] [--sentences 400] [--steps 20] [--batch 16] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import torch
from torch.utils.data import DataLoader

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transformers import AutoTokenizer  # noqa: E402

from amrgnn.data.ee import EECollator, EEDataset, EELabels, encode_sentences  # noqa: E402
from amrgnn.data.events import Argument, EntityMention, EventMention, Sentence  # noqa: E402
from amrgnn.data.graphs import attach_graphs, parse_graph_source  # noqa: E402
from amrgnn.graph import read_amr  # noqa: E402
from amrgnn.graph.aligner import align  # noqa: E402
from amrgnn.models import (  # noqa: E402
    AMRDebertaConfig,
    AMRDebertaForEventExtraction,
    convert_bert_to_deberta,
    offline_backbone_dir,
)
from amrgnn.tasks.ee import predict_sentences  # noqa: E402

TARGET = 1.3
DEFAULT_AMR = ROOT.parent / "shared" / "data" / "little-prince-amr" / "amr-bank-struct-v1.6-training.txt"


def amr_events(path: Path, limit: int) -> list[Sentence]:
    """Sentences with events read off their gold AMR (see the module docstring)."""
    amrs = [a if a.alignments else align(a) for a in read_amr(path, progress=False)][:limit]
    raw = []
    for a in amrs:
        word = {v: min(ix) for v, ix in a.alignments.items() if ix}
        inst = {v: c for v, _, c in a.graph.instances()}
        events, ents = [], {}
        for v, c in inst.items():
            if v not in word or not c or "-" not in c or not c.rsplit("-", 1)[-1].isdigit():
                continue
            args = []
            for _s, role, t in a.graph.edges(source=v):
                if role in (":ARG0", ":ARG1", ":ARG2", ":ARG3", ":ARG4") and t in word:
                    w = word[t]
                    ents[(w, w + 1)] = EntityMention(f"{a.id}-{w}", w, w + 1)
                    args.append(Argument(w, w + 1, role[1:], f"{a.id}-{w}"))
            events.append(EventMention(c.rsplit("-", 1)[0], word[v], word[v] + 1, args))
        raw.append(Sentence(a.id, a.tokens, list(ents.values()), events))
    common = {t for t, _ in Counter(e.type for s in raw for e in s.events).most_common(30)}
    for s in raw:
        taken = set()
        kept = []
        for e in s.events:
            if e.type in common and e.start not in taken:
                taken.add(e.start)
                kept.append(e)
        s.events = kept
    return raw


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--amr", type=Path, default=DEFAULT_AMR)
    p.add_argument("--sentences", type=int, default=400)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    backbone = ROOT / "out" / "bench" / "offline-backbone"
    if not (backbone / "config.json").is_file():
        convert_bert_to_deberta(offline_backbone_dir(), backbone)
    tok = AutoTokenizer.from_pretrained(backbone)
    sents = amr_events(args.amr, args.sentences)
    labels = EELabels.from_sentences(sents)
    graphs, coverage, vocab = attach_graphs(parse_graph_source(f"penman:{args.amr}"), sents, tok)
    results = {}
    for name, use_graph in (("text", False), ("graph", True)):
        examples, _ = encode_sentences(sents, tok, labels, graphs=graphs if use_graph else None)
        cfg = AMRDebertaConfig.from_pretrained(
            str(backbone), ee_trigger_labels=labels.trigger_bio, ee_role_labels=labels.roles,
            graph_num_relations=len(vocab.relations), graph_attention="multiscale" if use_graph else "none",
        )
        torch.manual_seed(0)
        model = AMRDebertaForEventExtraction.from_pretrained(str(backbone), config=cfg)
        collator = EECollator(tok.pad_token_id, cfg.graph_num_scales, cfg.graph_undirected, use_graph=use_graph)
        loader = DataLoader(EEDataset(examples), batch_size=args.batch, shuffle=True, collate_fn=collator,
                            generator=torch.Generator().manual_seed(0))
        opt = torch.optim.AdamW(model.parameters(), lr=5e-5)
        model.train()
        it = iter(loader)
        n_sent = 0
        t_train = 0.0
        for step in range(args.steps + 2):
            t0 = time.perf_counter()
            try:
                batch = next(it)
            except StopIteration:
                it = iter(loader)
                batch = next(it)
            batch.pop("index")
            loss = model(**batch).loss
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            if step >= 2:
                t_train += time.perf_counter() - t0
                n_sent += batch["input_ids"].size(0)
        t0 = time.perf_counter()
        predict_sentences(model, sents, EEDataset(examples), collator, batch_size=32)
        t_pred = time.perf_counter() - t0
        results[name] = {"train_sentences_per_s": n_sent / t_train, "predict_sentences_per_s": len(sents) / t_pred}
    ratio_train = results["text"]["train_sentences_per_s"] / results["graph"]["train_sentences_per_s"]
    ratio_pred = results["text"]["predict_sentences_per_s"] / results["graph"]["predict_sentences_per_s"]
    out = {
        "benchmark": "event_extraction",
        "device": f"cpu ({platform.machine()}, {torch.get_num_threads()} threads)",
        "sentences": len(sents), "events": sum(len(s.events) for s in sents), "coverage": coverage,
        "batch": args.batch, "steps": args.steps, "results": results,
        "slowdown_train": ratio_train, "slowdown_predict": ratio_pred, "target": TARGET,
    }
    print(f"\n{len(sents)} sentences ({out['events']} AMR-derived events), batch {args.batch}, {args.steps} training steps, "
          f"{coverage['with_graph']} with a graph")
    print(f"{'path':<6} {'train sent/s':>13} {'predict sent/s':>15}")
    for name, r in results.items():
        print(f"{name:<6} {r['train_sentences_per_s']:13.1f} {r['predict_sentences_per_s']:15.1f}")
    print(f"graph path slower by {ratio_train:.2f}x in training, {ratio_pred:.2f}x in prediction "
          f"({'meets' if max(ratio_train, ratio_pred) <= TARGET else 'MISSES'} <= {TARGET})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
