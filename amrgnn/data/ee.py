"""Event-extraction features: sentences -> sub-word inputs, BIO labels, (trigger, candidate) pairs
and, where AMR graphs are given, the sub-word token graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor
from torch.utils.data import Dataset

from ..models.decoding import bio_spans
from .batching import batch_token_graphs, token_graph_data
from .events import Sentence

__all__ = [
    "EECollator",
    "EEDataset",
    "EEExample",
    "EELabels",
    "bio_spans",
    "candidate_spans",
    "encode_sentences",
]

NO_ROLE = "<none>"


@dataclass
class EELabels:
    """Label inventories, fixed from the training data (saved in the model config).

    Attributes:
        event_types: sorted event types.
        roles: ``<none>`` first, then the sorted roles.
        trigger_bio: ``O``, then ``B-t``, ``I-t`` per type.
        entity_bio: ``O``, ``B-ENT``, ``I-ENT`` (untyped candidate mentions).
    """

    event_types: list[str]
    roles: list[str]

    @property
    def trigger_bio(self) -> list[str]:
        return ["O"] + [f"{p}-{t}" for t in self.event_types for p in ("B", "I")]

    @property
    def entity_bio(self) -> list[str]:
        return ["O", "B-ENT", "I-ENT"]

    @classmethod
    def from_sentences(cls, sentences: Sequence[Sentence]) -> EELabels:
        types = sorted({ev.type for s in sentences for ev in s.events})
        roles = sorted({a.role for s in sentences for ev in s.events for a in ev.arguments})
        return cls(types, [NO_ROLE] + roles)


def candidate_spans(sentence: Sentence, use_arguments: bool) -> list[tuple[int, int]]:
    """Candidate argument spans: the entity mentions, or (for layouts without them, e.g. PHEE, at
    training time) the gold argument spans."""
    if sentence.entities or not use_arguments:
        return sorted({(e.start, e.end) for e in sentence.entities})
    return sorted({(a.start, a.end) for ev in sentence.events for a in ev.arguments})


@dataclass
class EEExample:
    """One encoded sentence.

    Attributes:
        input_ids: ``[S]``; word_index: ``[W]`` first sub-word of each word (``-1``: cut off).
        trigger_labels: ``[W]`` BIO ids (``-100`` for cut-off words).
        entity_labels: ``[W]`` BIO mention ids.
        pairs: ``[P, 4]`` (trigger start, end, candidate start, end) in words; pair_labels ``[P]``.
        edge_index, edge_type: the sub-word token graph (empty without a graph).
    """

    index: int
    input_ids: Tensor
    word_index: Tensor
    trigger_labels: Tensor
    entity_labels: Tensor
    pairs: Tensor
    pair_labels: Tensor
    edge_index: Tensor = field(default_factory=lambda: torch.empty(2, 0, dtype=torch.long))
    edge_type: Tensor = field(default_factory=lambda: torch.empty(0, dtype=torch.long))


@dataclass
class EncodeStats:
    sentences: int = 0
    truncated: int = 0
    words_cut: int = 0
    triggers_cut: int = 0
    arguments_cut: int = 0
    unseen_event_types: int = 0
    unseen_roles: int = 0
    arguments_not_candidates: int = 0
    trigger_label_conflicts: int = 0


def encode_sentences(
    sentences: Sequence[Sentence],
    tokenizer: Any,
    labels: EELabels,
    *,
    max_seq_len: int = 256,
    graphs: Sequence[tuple[Tensor, Tensor] | None] | None = None,
    candidates_from_arguments: bool = False,
) -> tuple[list[EEExample], EncodeStats]:
    """Encode sentences for :class:`~amrgnn.models.AMRDebertaForEventExtraction`.

    Args:
        graphs: per sentence, the sub-word token graph (``edge_index``, ``edge_type`` over the
            positions of ``tokenizer(tokens, is_split_into_words=True)``), or ``None``.
        candidates_from_arguments: use gold argument spans as candidates where a sentence has no
            entity mentions (training on PHEE-like data).

    Events of types (roles) not in ``labels`` are counted and left out of the labels; words cut by
    ``max_seq_len`` are counted with the triggers and arguments they carried.
    """
    stats = EncodeStats()
    type_ids = {t: i for i, t in enumerate(labels.event_types)}
    role_ids = {r: i for i, r in enumerate(labels.roles)}
    enc = tokenizer(
        [s.tokens for s in sentences], is_split_into_words=True, truncation=True, max_length=max_seq_len, verbose=False
    )
    out = []
    for i, s in enumerate(sentences):
        stats.sentences += 1
        ids = torch.tensor(enc["input_ids"][i], dtype=torch.long)
        n = len(s.tokens)
        word_index = torch.full((n,), -1, dtype=torch.long)
        for pos, w in enumerate(enc.word_ids(i)):
            if w is not None and word_index[w] < 0:
                word_index[w] = pos
        kept = int((word_index >= 0).sum())
        if kept < n:
            stats.truncated += 1
            stats.words_cut += n - kept
        visible = (word_index >= 0).tolist()
        trig = torch.zeros(n, dtype=torch.long)
        trig[~(word_index >= 0)] = -100
        for ev in s.events:
            if ev.type not in type_ids:
                stats.unseen_event_types += 1
                continue
            if not all(visible[ev.start : ev.end]):
                stats.triggers_cut += 1
                continue
            t = type_ids[ev.type]
            if bool((trig[ev.start : ev.end] > 0).any()):
                stats.trigger_label_conflicts += 1  # a second type on the same words: BIO keeps the last
            trig[ev.start] = 1 + 2 * t
            trig[ev.start + 1 : ev.end] = 2 + 2 * t
        cands = candidate_spans(s, candidates_from_arguments)
        ent = torch.zeros(n, dtype=torch.long)
        ent[~(word_index >= 0)] = -100
        for a, b in cands:
            if all(visible[a:b]):
                ent[a] = 1
                ent[a + 1 : b] = 2
        cands = [(a, b) for a, b in cands if all(visible[a:b])]
        pairs, pair_labels = [], []
        for ev in s.events:
            if ev.type not in type_ids or not all(visible[ev.start : ev.end]):
                continue
            gold = {}
            for arg in ev.arguments:
                if arg.role not in role_ids:
                    stats.unseen_roles += 1
                    continue
                if not all(visible[arg.start : arg.end]):
                    stats.arguments_cut += 1
                    continue
                if (arg.start, arg.end) not in cands:
                    stats.arguments_not_candidates += 1
                    continue
                gold[(arg.start, arg.end)] = role_ids[arg.role]
            for a, b in cands:
                pairs.append((ev.start, ev.end, a, b))
                pair_labels.append(gold.get((a, b), 0))
        graph = graphs[i] if graphs is not None else None
        ex = EEExample(
            i,
            ids,
            word_index,
            trig,
            ent,
            torch.tensor(pairs, dtype=torch.long).view(-1, 4),
            torch.tensor(pair_labels, dtype=torch.long),
        )
        if graph is not None:
            ei, et = graph
            keep = (ei < ids.numel() - 1).all(0) if ei.numel() else torch.zeros(0, dtype=torch.bool)
            ex.edge_index, ex.edge_type = ei[:, keep], et[keep]
        out.append(ex)
    return out, stats


class EEDataset(Dataset):
    """Encoded sentences (a plain map-style dataset)."""

    def __init__(self, examples: Sequence[EEExample]) -> None:
        self.examples = list(examples)

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int) -> EEExample:
        return self.examples[i]


class EECollator:
    """Pads :class:`EEExample` items for :class:`~amrgnn.models.AMRDebertaForEventExtraction`.

    ``argument_pairs`` rows are ``(batch, trigger start, trigger end, cand start, cand end)``;
    ``index`` gives the dataset positions (to map predictions back).
    """

    def __init__(self, pad_token_id: int, max_k: int = 4, undirected: bool = True, use_graph: bool = False,
                 with_entities: bool = False) -> None:
        self.pad_token_id = pad_token_id
        self.max_k = max_k
        self.undirected = undirected
        self.use_graph = use_graph
        self.with_entities = with_entities

    def __call__(self, items: list[EEExample]) -> dict[str, Any]:
        b = len(items)
        length = max(it.input_ids.numel() for it in items)
        words = max(it.word_index.numel() for it in items)
        ids = torch.full((b, length), self.pad_token_id, dtype=torch.long)
        mask = torch.zeros((b, length), dtype=torch.long)
        word_index = torch.full((b, words), -1, dtype=torch.long)
        trig = torch.full((b, words), -100, dtype=torch.long)
        ent = torch.full((b, words), -100, dtype=torch.long)
        pairs, labels = [], []
        for i, it in enumerate(items):
            n, w = it.input_ids.numel(), it.word_index.numel()
            ids[i, :n], mask[i, :n] = it.input_ids, 1
            word_index[i, :w], trig[i, :w], ent[i, :w] = it.word_index, it.trigger_labels, it.entity_labels
            pairs.append(torch.cat([torch.full((it.pairs.size(0), 1), i, dtype=torch.long), it.pairs], dim=1))
            labels.append(it.pair_labels)
        batch: dict[str, Any] = {
            "input_ids": ids,
            "attention_mask": mask,
            "word_index": word_index,
            "trigger_labels": trig,
            "argument_pairs": torch.cat(pairs),
            "argument_labels": torch.cat(labels),
            "index": torch.tensor([it.index for it in items], dtype=torch.long),
        }
        if self.with_entities:
            batch["entity_labels"] = ent
        if self.use_graph:
            graphs = [token_graph_data(it.edge_index, it.edge_type) for it in items]
            batch["graph"] = batch_token_graphs(graphs, length, max_k=self.max_k, undirected=self.undirected)
        return batch
