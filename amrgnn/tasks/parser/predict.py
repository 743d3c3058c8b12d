"""Decoding token graphs with a trained :class:`~amrgnn.models.AMRDebertaForTokenGraph`: arc
probabilities for every ordered word pair, a relation for each likely arc, and the threshold."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from tqdm.auto import tqdm

from ...data.token_graphs import TokenGraphCollator, TokenGraphExample
from ...graph.vocab import NONE_ID, UNK_ID
from ...models.token_graph import AMRDebertaForTokenGraph

__all__ = ["Candidate", "decode", "predict_candidates"]

#: ``(source word, target word, arc probability, relation id)``
Candidate = tuple[int, int, float, int]


@torch.no_grad()
def predict_candidates(
    model: AMRDebertaForTokenGraph,
    examples: Sequence[TokenGraphExample],
    collator: TokenGraphCollator,
    *,
    batch_size: int = 32,
    min_prob: float = 0.05,
    device: torch.device | str | None = None,
    progress: bool = False,
) -> list[list[Candidate]]:
    """Per example, every ordered pair with arc probability ``> min_prob`` and its most likely
    relation (``<none>`` and ``<unk>`` excluded). Batches are formed by length (faster), the
    output is in ``examples`` order."""
    device = torch.device(device) if device is not None else next(model.parameters()).device
    was_training = model.training
    model.eval()
    order = sorted(range(len(examples)), key=lambda k: examples[k].input_ids.numel())
    out: list[list[Candidate]] = [[] for _ in examples]
    batches = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]
    banned = torch.zeros(model.config.tg_num_relations, device=device)
    banned[[NONE_ID, UNK_ID]] = float("-inf")
    for idx in tqdm(batches, desc="parse", unit="batch", disable=not progress):
        batch = collator([examples[k] for k in idx])
        words = model.word_states(batch["input_ids"].to(device), batch["word_ids"].to(device), batch["word_mask"].size(1),
                                  batch["attention_mask"].to(device))
        probs = torch.sigmoid(model.arc_scorer(model.arc_head(words), model.arc_dep(words)).float())
        mask = batch["word_mask"].to(device)
        n = mask.size(1)
        valid = mask.unsqueeze(2) & mask.unsqueeze(1) & ~torch.eye(n, dtype=torch.bool, device=device)
        pairs = torch.nonzero((probs > min_prob) & valid)
        if pairs.numel() == 0:
            continue
        rels = (model.rel_logits(words, pairs).float() + banned).argmax(-1)
        p = probs[pairs[:, 0], pairs[:, 1], pairs[:, 2]]
        for (b, i, j), prob, r in zip(pairs.tolist(), p.tolist(), rels.tolist(), strict=True):
            out[idx[b]].append((i, j, prob, r))
    model.train(was_training)
    return out


def decode(candidates: Sequence[Candidate], threshold: float) -> list[tuple[int, int, int]]:
    """The edges ``(i, j, r)`` of the pairs whose arc probability is above ``threshold``."""
    return [(i, j, r) for i, j, p, r in candidates if p > threshold]
