"""Predicting token graphs with a trained :class:`~amrgnn.models.AMRDebertaForTokenGraph`: arc
probabilities for every ordered word pair, a relation for each likely arc, the dev-tuned threshold,
and :class:`TokenGraphPredictor` (model + tokenizer + relation vocabulary) for whole sentences."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import torch
from tqdm.auto import tqdm

from ..errors import MissingInputError
from ..graph.vocab import NONE_ID, UNK_ID, AMRVocab
from ..models.token_graph import AMRDebertaForTokenGraph
from .graphs.attach import VOCAB_FILE
from .token_graphs import TokenGraphCollator, TokenGraphExample, WordGraph, encode_word_graphs

__all__ = ["Candidate", "TokenGraphPredictor", "decode", "predict_candidates"]


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
    rel_threshold: float = 0.5,
    device: torch.device | str | None = None,
    progress: bool = False,
) -> list[list[Candidate]]:
    """Per example, every ordered pair with arc probability ``> min_prob``, with its most likely
    relation and every other relation whose probability is above ``rel_threshold`` (one candidate
    each; ``<none>`` and ``<unk>`` excluded). Batches are formed by length (faster), the output is in
    ``examples`` order."""
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
        probs = torch.sigmoid(model.arc_logits(words).float())
        mask = batch["word_mask"].to(device)
        n = mask.size(1)
        valid = mask.unsqueeze(2) & mask.unsqueeze(1) & ~torch.eye(n, dtype=torch.bool, device=device)
        pairs = torch.nonzero((probs > min_prob) & valid)
        if pairs.numel() == 0:
            continue
        logits = model.rel_logits(words, pairs).float() + banned
        chosen = torch.sigmoid(logits) > rel_threshold
        chosen[torch.arange(logits.size(0), device=device), logits.argmax(-1)] = True
        pair_of, rels = torch.nonzero(chosen, as_tuple=True)
        p = probs[pairs[:, 0], pairs[:, 1], pairs[:, 2]][pair_of]
        for (b, i, j), prob, r in zip(pairs[pair_of].tolist(), p.tolist(), rels.tolist(), strict=True):
            out[idx[b]].append((i, j, prob, r))
    model.train(was_training)
    return out


def decode(candidates: Sequence[Candidate], threshold: float) -> list[tuple[int, int, int]]:
    """The edges ``(i, j, r)`` of the pairs whose arc probability is above ``threshold``."""
    return [(i, j, r) for i, j, p, r in candidates if p > threshold]


class TokenGraphPredictor:
    """A trained :class:`AMRDebertaForTokenGraph` with its tokenizer and relation vocabulary.

    Args:
        model_dir: a ``train-parser`` output (or any directory holding the model, its tokenizer and
            ``amr_vocab.json``).
        device: where the model runs (default: CUDA when available).
    """

    def __init__(self, model_dir: str | os.PathLike, *, device: str | None = None, max_seq_len: int = 256) -> None:
        from transformers import AutoTokenizer

        model_dir = Path(model_dir)
        if not (model_dir / VOCAB_FILE).is_file():
            raise MissingInputError(f"{model_dir}: no {VOCAB_FILE}: not a train-parser model directory")
        self.model_dir = model_dir
        self.vocab = AMRVocab.load(model_dir / VOCAB_FILE)
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model = AMRDebertaForTokenGraph.from_pretrained(str(model_dir)).to(self.device).eval()
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.max_seq_len = max_seq_len
        self.collator = TokenGraphCollator(self.tokenizer.pad_token_id, with_labels=False)

    @property
    def relations(self) -> list[str]:
        return self.vocab.relations

    def predict(self, sentences: Iterable[tuple[str, list[str]]], *, batch_size: int = 32,
                progress: bool = False) -> tuple[list[WordGraph], dict[str, Any]]:
        """Word graphs (relation ids of :attr:`relations`) for ``(id, words)`` sentences, and counts
        (sentences, words beyond the model's length, which get no edges)."""
        graphs = [WordGraph(sid, words) for sid, words in sentences]
        examples, stats = encode_word_graphs(graphs, self.tokenizer, max_seq_len=self.max_seq_len)
        threshold = self.model.config.tg_arc_threshold
        # only the arcs above the threshold are labelled (the lower candidates are for tuning it)
        cands = predict_candidates(self.model, examples, self.collator, batch_size=batch_size, min_prob=threshold,
                                   device=self.device, progress=progress)
        for g, c in zip(graphs, cands, strict=True):
            g.edges = torch.tensor(decode(c, threshold), dtype=torch.long).view(-1, 3)
        return graphs, {"sentences": stats.sentences, "truncated": stats.truncated, "words_cut": stats.words_cut,
                        "threshold": threshold}
