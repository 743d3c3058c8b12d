#!/usr/bin/env python
"""MLGM training throughput next to plain masked-language-model training, in one run.

Both train the same DeBERTa-v3-shaped encoder (random weights; relative attention, c2p + p2c,
buckets) on the same sentences (the Little Prince AMR bank, tokenised by the offline backbone's
tokenizer, cut to ``--max-seq-len``), with AdamW, the same batch size, in a hand-timed loop:

* ``mlm``: transformers' ``DebertaV2ForMaskedLM`` fed by transformers'
  ``DataCollatorForLanguageModeling`` (15% of tokens, 80/10/10);
* ``mlm-sparse``: the same model with its LM head applied at the masked positions only (what
  MLGM's head does; the stock one projects every position onto the vocabulary);
* ``mlgm``: ``AMRDebertaForMaskedGraphModeling`` with the graph terms in every layer, fed by
  ``MLGMDataset`` + ``MLGMCollator`` (whole-word text masking, relation masking, negatives,
  exact-k-hop pairs computed per batch), without the enhanced mask decoder (like ``mlm``);
* ``mlgm+emd``: the same with DeBERTa's enhanced mask decoder (the last layer twice more).

For each: optimizer steps per second, tokens (non-padding sub-words) per second, and the share of
wall time spent waiting for the next batch (data loading on the CPU; ``--workers`` moves it to
worker processes). ``throughput_ratio`` = MLGM steps/s over MLM steps/s (target >= 0.75).

    python benchmarks/pretrain.py [--device cpu|cuda] [--preset small|base] [--steps 30]
                                  [--batch 16] [--max-seq-len 128] [--workers 0]
                                  [--dtype float32|bfloat16] [--json PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transformers import (  # noqa: E402
    AutoTokenizer,
    DataCollatorForLanguageModeling,
    DebertaV2Config,
    DebertaV2ForMaskedLM,
)

from amrgnn.data import MaskingConfig, MLGMCollator, MLGMDataset, prepare_mlgm_examples  # noqa: E402
from amrgnn.models import (  # noqa: E402
    AMRDebertaConfig,
    AMRDebertaForMaskedGraphModeling,
    convert_bert_to_deberta,
    offline_backbone_dir,
)

_spec = importlib.util.spec_from_file_location("_amrgnn_bench_timing", BENCH / "_timing.py")
_timing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_timing)

TARGET = 0.75
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "little-prince-amr" / "amr-bank-struct-v3.0.txt"
PRESETS = {
    "small": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
}
V3 = dict(
    max_position_embeddings=512, relative_attention=True, position_buckets=256, pos_att_type=["p2c", "c2p"],
    position_biased_input=False, norm_rel_ebd="layer_norm", share_att_key=True, legacy=False,
)


class SparseMLM(torch.nn.Module):
    """Stock ``DebertaV2ForMaskedLM`` whose LM head runs only at the masked positions (as MLGM's
    does): the fair baseline for the head's cost."""

    def __init__(self, mlm: DebertaV2ForMaskedLM) -> None:
        super().__init__()
        self.mlm = mlm

    def forward(self, input_ids, attention_mask, labels, **_):
        h = self.mlm.deberta(input_ids, attention_mask=attention_mask).last_hidden_state
        sel = labels != -100
        logits = self.mlm.lm_predictions(h[sel], self.mlm.deberta.embeddings.word_embeddings)
        return type("Out", (), {"loss": torch.nn.functional.cross_entropy(logits.float(), labels[sel])})()


class _MLMItems(torch.utils.data.Dataset):
    def __init__(self, examples):
        self.examples = examples

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, i):
        return {"input_ids": self.examples[i].input_ids.tolist()}


def _loop(model, loader, steps, device, dtype):
    """Train ``steps`` steps (after 2 warm-up steps); returns seconds, seconds waiting for data, tokens."""
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
    model.train()
    it = iter(loader)
    wait = total = 0.0
    tokens = 0
    autocast = torch.autocast(device.type, dtype=dtype, enabled=dtype != torch.float32)
    for step in range(steps + 2):
        t0 = time.perf_counter()
        try:
            batch = next(it)
        except StopIteration:
            it = iter(loader)
            batch = next(it)
        t1 = time.perf_counter()
        batch = {k: (v.to(device) if hasattr(v, "to") else v) for k, v in batch.items()}
        with autocast:
            loss = model(**batch).loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        _timing.sync(device)
        t2 = time.perf_counter()
        if step >= 2:
            wait += t1 - t0
            total += t2 - t0
            tokens += int(batch["attention_mask"].sum())
    return total, wait, tokens


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--preset", default="small", choices=list(PRESETS))
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--max-seq-len", type=int, default=128)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    device, dtype = torch.device(args.device), getattr(torch, args.dtype)

    tok_dir = ROOT / "out" / "bench" / "offline-backbone"
    if not (tok_dir / "config.json").is_file():
        convert_bert_to_deberta(offline_backbone_dir(), tok_dir)
    tok = AutoTokenizer.from_pretrained(tok_dir)
    examples, vocab, stats = prepare_mlgm_examples([args.data], tok, max_seq_len=args.max_seq_len, progress=False)
    base = {**V3, **PRESETS[args.preset], "vocab_size": len(tok)}

    torch.manual_seed(0)
    mlm = DebertaV2ForMaskedLM(DebertaV2Config(**base)).to(device)
    mlm_loader = DataLoader(
        _MLMItems(examples), batch_size=args.batch, shuffle=True, num_workers=args.workers,
        collate_fn=DataCollatorForLanguageModeling(tok, mlm_probability=0.15, return_tensors="pt"),
    )
    masking = MaskingConfig.for_tokenizer(tok)
    results = {}
    torch.manual_seed(0)
    sparse = SparseMLM(DebertaV2ForMaskedLM(DebertaV2Config(**base))).to(device)
    contenders = {"mlm": (mlm, mlm_loader), "mlm-sparse": (sparse, mlm_loader)}
    for name, emd in (("mlgm", False), ("mlgm+emd", True)):
        cfg = AMRDebertaConfig(**base, graph_num_relations=len(vocab.relations), mgm_enhanced_mask_decoder=emd)
        torch.manual_seed(0)
        model = AMRDebertaForMaskedGraphModeling._from_config(cfg, attn_implementation="sdpa").to(device)
        loader = DataLoader(
            MLGMDataset(examples, masking, seed=0), batch_size=args.batch, shuffle=True, num_workers=args.workers,
            collate_fn=MLGMCollator(tok.pad_token_id, cfg.graph_num_scales, cfg.graph_undirected),
        )
        contenders[name] = (model, loader)
    for name, (model, loader) in contenders.items():
        total, wait, tokens = _loop(model, loader, args.steps, device, dtype)
        results[name] = {
            "steps_per_s": args.steps / total,
            "tokens_per_s": tokens / total,
            "data_wait_share": wait / total,
            "seconds": total,
        }
    ratio = results["mlgm"]["steps_per_s"] / results["mlm"]["steps_per_s"]
    ratio_emd = results["mlgm+emd"]["steps_per_s"] / results["mlm"]["steps_per_s"]
    ratio_sparse = results["mlgm"]["steps_per_s"] / results["mlm-sparse"]["steps_per_s"]
    out = {
        "benchmark": "pretrain",
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu ({platform.machine()}, {torch.get_num_threads()} threads)",
        "preset": args.preset, "dtype": args.dtype, "batch": args.batch, "max_seq_len": args.max_seq_len,
        "steps": args.steps, "workers": args.workers, "sentences": len(examples),
        "results": results, "throughput_ratio": ratio, "throughput_ratio_emd": ratio_emd,
        "throughput_ratio_vs_sparse_head": ratio_sparse, "target": TARGET,
    }
    print(f"\n{args.preset} preset on {out['device']} ({args.dtype}), batch {args.batch}, L <= {args.max_seq_len}, "
          f"{args.steps} AdamW steps each, {args.workers} loader workers")
    print(f"{'contender':<10} {'steps/s':>8} {'tokens/s':>9} {'waiting for data':>17} {'x mlm':>6}")
    for name, r in results.items():
        x = r["steps_per_s"] / results["mlm"]["steps_per_s"]
        print(f"{name:<10} {r['steps_per_s']:8.2f} {r['tokens_per_s']:9.0f} {100 * r['data_wait_share']:16.1f}% {x:6.2f}")
    print(f"MLGM / MLM throughput: {ratio:.2f} ({'meets' if ratio >= TARGET else 'MISSES'} >= {TARGET}); "
          f"with the enhanced mask decoder {ratio_emd:.2f}; against MLM with the head on masked positions only "
          f"{ratio_sparse:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
