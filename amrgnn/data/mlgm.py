"""MLGM data: AMR corpora as sub-word examples, and the joint text + relation masking.

An :class:`MLGMExample` is one AMR's sentence encoded by the backbone's tokenizer (special tokens
included), the word of each sub-word, and the sub-word token graph (every sub-word of a word
inherits the word's relations, :func:`~amrgnn.graph.project_to_subwords`).

Masking (:func:`mask_example`) happens per example, from a generator seeded by ``(seed, epoch,
index)``: deterministic, the same after a resume, and the same for every number of data-loader
workers.

* Text: whole words are chosen until ``mask_text`` of the words are; each of their sub-words
  becomes ``[MASK]`` (80%), a random token (10%) or stays (10%), and is predicted.
* Graph: relations live between words (a word pair may join several sub-word pairs, and keeping any
  of them would leak the answer). ``mask_graph`` of the related word pairs are chosen; every
  sub-word edge between the two words, in both directions, is removed from the graph the encoder
  sees; both ordered pairs (first sub-words) are predicted with the relation of that direction
  (``0`` = no relation where the edge runs the other way).
* Negatives: ``negative_ratio`` times as many distinct ordered word pairs with no edge either way,
  label 0, or all there are where the sentence has fewer (counted: :func:`negative_counts`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import Tensor
from torch.utils.data import Dataset

from ..errors import UsageError
from ..graph.aligner import align
from ..graph.columns import EncodeOptions, encode_amrs
from ..graph.hetero import SUBWORD, TOKEN
from ..graph.io import AMR, ReadStats, expand_paths, read_amr
from ..graph.vocab import AMRVocab
from .batching import batch_token_graphs, token_graph_data

__all__ = [
    "MLGMCollator",
    "MLGMDataset",
    "MLGMExample",
    "MLGMPrepStats",
    "MaskingConfig",
    "mask_example",
    "negative_counts",
    "prepare_mlgm_examples",
    "split_by_id",
]

UNK_RELATION = 1  # AMRVocab: relations[1] == "<unk>"


@dataclass
class MLGMExample:
    """One sentence and its sub-word token graph.

    Attributes:
        id: the AMR id.
        input_ids: ``[S]`` sub-word ids, special tokens included.
        word_ids: ``[S]`` word index of each sub-word, ``-1`` for special tokens.
        edge_index: ``[2, E]`` sub-word token graph edges (source -> target).
        edge_type: ``[E]`` relation ids.
    """

    id: str
    input_ids: Tensor
    word_ids: Tensor
    edge_index: Tensor
    edge_type: Tensor


@dataclass
class MLGMPrepStats:
    """What happened to every graph read (the counts reconcile: ``examples + skipped == read``)."""

    files: list[str] = field(default_factory=list)
    read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    examples: int = 0
    aligned_by_isi: int = 0
    aligned_by_builtin: int = 0
    truncated: int = 0
    edges_dropped_by_truncation: int = 0
    no_relation: int = 0
    no_relation_after_truncation: int = 0
    unknown_relation_edges: int = 0
    relation_edges: int = 0
    subwords: int = 0
    #: "no relation" pairs per epoch (:meth:`count_negatives`): asked for (``negative_ratio`` x the
    #: masked pairs), sampled (fewer where a sentence has too few unrelated word pairs), and the
    #: examples that fall short
    negatives_requested: int = 0
    negatives_sampled: int = 0
    examples_short_of_negatives: int = 0

    def count_negatives(self, examples: Iterable[MLGMExample], config: MaskingConfig) -> None:
        """Count the negatives every epoch's masking of ``examples`` asks for and gets."""
        for example in examples:
            requested, sampled = negative_counts(example, config)
            self.negatives_requested += requested
            self.negatives_sampled += sampled
            self.examples_short_of_negatives += sampled < requested

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def prepare_mlgm_examples(
    paths: Sequence[str | Path],
    tokenizer: Any,
    *,
    vocab: AMRVocab | None = None,
    max_seq_len: int = 512,
    align_missing: bool = True,
    skip_invalid: bool = False,
    progress: bool = True,
) -> tuple[list[MLGMExample], AMRVocab, MLGMPrepStats]:
    """Read AMR corpora and encode them for MLGM.

    Args:
        paths: AMR files, globs or an AMR 3.0 release directory (:func:`~amrgnn.graph.read_amr`).
        tokenizer: a fast HuggingFace tokenizer (the backbone's).
        vocab: the relation vocabulary (e.g. of the MLGM checkpoint training continues from);
            built from the corpora when ``None``. Relations it lacks become ``<unk>`` and are counted.
        max_seq_len: sub-word positions kept; longer sentences are cut (their last position
            becomes the separator token) and the edges beyond the cut are dropped, both counted.
        align_missing: align graphs without ISI alignments with the built-in aligner (else they
            have no token graph and are counted in ``no_relation``).
        skip_invalid: skip malformed graphs (counted by reason) instead of raising.
    """
    if max_seq_len < 3:
        raise UsageError(f"max_seq_len must be >= 3, got {max_seq_len}")
    read_stats = ReadStats()
    amrs: list[AMR] = []
    stats = MLGMPrepStats()
    for amr in read_amr(paths, skip_invalid=skip_invalid, stats=read_stats, progress=progress):
        if amr.alignments:
            stats.aligned_by_isi += 1
        elif align_missing:
            amr = align(amr)
            stats.aligned_by_builtin += 1
        amrs.append(amr)
    stats.files = [str(f) for f in expand_paths(paths)]
    stats.read = read_stats.read
    stats.skipped = dict(read_stats.skipped)
    stats.errors = list(read_stats.errors)
    if vocab is None:
        vocab = AMRVocab.build(amrs)
    columns = encode_amrs(amrs, vocab, options=EncodeOptions(max_k=0, undirected=False), tokenizer=tokenizer)
    sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    examples = []
    for i in range(len(columns)):
        data = columns.get(i)
        ids = data[SUBWORD].input_ids
        n = ids.numel()
        word_ids = torch.full((n,), -1, dtype=torch.long)
        of = data[SUBWORD, "of", TOKEN].edge_index
        word_ids[of[0]] = of[1]
        ei = data[SUBWORD, "amr", SUBWORD].edge_index
        et = data[SUBWORD, "amr", SUBWORD].edge_type
        had_edges = ei.size(1) > 0
        if n > max_seq_len:
            stats.truncated += 1
            ids = torch.cat([ids[: max_seq_len - 1], torch.tensor([sep], dtype=ids.dtype)])
            word_ids = torch.cat([word_ids[: max_seq_len - 1], torch.tensor([-1])])
            keep = (ei < max_seq_len - 1).all(0)
            stats.edges_dropped_by_truncation += int((~keep).sum())
            ei, et = ei[:, keep], et[keep]
            if had_edges and ei.size(1) == 0:
                stats.no_relation_after_truncation += 1
        if not had_edges:
            stats.no_relation += 1
        stats.unknown_relation_edges += int((et == UNK_RELATION).sum())
        stats.relation_edges += int(et.numel())
        stats.subwords += int(ids.numel())
        examples.append(MLGMExample(columns.ids[i], ids, word_ids, ei, et))
    stats.examples = len(examples)
    return examples, vocab, stats


def split_by_id(ids: Iterable[str], validation_fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """A train/validation split by graph id: ids ranked by ``sha256(seed:id)``, the first
    ``ceil(fraction * n)`` are validation. Independent of the order the corpora are read in."""
    ids = list(ids)
    if not 0.0 <= validation_fraction < 1.0:
        raise UsageError(f"validation_fraction must be in [0, 1), got {validation_fraction}")
    ranked = sorted(ids, key=lambda x: hashlib.sha256(f"{seed}:{x}".encode()).hexdigest())
    n_val = math.ceil(validation_fraction * len(ids)) if validation_fraction > 0 else 0
    val = set(ranked[:n_val])
    return [x for x in ids if x not in val], [x for x in ids if x in val]


@dataclass
class MaskingConfig:
    """Masking rates (see the module docstring).

    Attributes:
        mask_text: fraction of words masked.
        mask_graph: fraction of related word pairs masked (the reference: 0.3).
        negative_ratio: "no relation" pairs sampled per masked ordered pair (the reference: 0.2).
        mask_token_id: the tokenizer's mask id.
        random_token_ids: ``[V']`` ids a masked token may be replaced with (no special tokens).
    """

    mask_text: float = 0.15
    mask_graph: float = 0.3
    negative_ratio: float = 0.2
    mask_token_id: int = 0
    random_token_ids: Tensor | None = None

    @classmethod
    def for_tokenizer(cls, tokenizer: Any, **rates: float) -> MaskingConfig:
        if tokenizer.mask_token_id is None:
            raise UsageError("the tokenizer has no mask token")
        special = set(tokenizer.all_special_ids)
        allowed = torch.tensor([i for i in range(len(tokenizer)) if i not in special], dtype=torch.long)
        return cls(mask_token_id=tokenizer.mask_token_id, random_token_ids=allowed, **rates)


def _seed(*parts: int) -> int:
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "little") >> 1


def _n_words(word_ids: Tensor) -> int:
    return int(word_ids.max()) + 1 if word_ids.numel() and int(word_ids.max()) >= 0 else 0


def _word_relations(example: MLGMExample, n_words: int) -> tuple[Tensor, Tensor]:
    """The directed relation of each word pair, ``[W, W]`` (smallest id among parallel edges, ``0``:
    none), and the maskable unordered pairs ``a * W + b`` (``a < b``, some relation other than
    ``<unk>``)."""
    ei, et, word_ids = example.edge_index, example.edge_type, example.word_ids
    table = torch.zeros(n_words, n_words, dtype=torch.long)
    if not ei.size(1) or not n_words:
        return table, torch.empty(0, dtype=torch.long)
    wsrc, wdst = word_ids[ei[0]], word_ids[ei[1]]
    ok = (wsrc >= 0) & (wdst >= 0) & (wsrc != wdst)
    wsrc, wdst, wtyp = wsrc[ok], wdst[ok], et[ok]
    flat = torch.full((n_words * n_words,), torch.iinfo(torch.long).max, dtype=torch.long)
    flat.scatter_reduce_(0, wsrc * n_words + wdst, wtyp, reduce="amin", include_self=True)
    flat[flat == torch.iinfo(torch.long).max] = 0
    table = flat.view(n_words, n_words)
    unordered = torch.unique(torch.minimum(wsrc, wdst) * n_words + torch.maximum(wsrc, wdst))
    # pairs whose only relations are <unk> are not targets
    known = (table.view(-1)[unordered] > UNK_RELATION) | (table.t().reshape(-1)[unordered] > UNK_RELATION)
    return table, unordered[known]


def _masked_pair_count(candidates: int, config: MaskingConfig) -> int:
    k = round(config.mask_graph * candidates)
    return max(1, k) if config.mask_graph > 0 and candidates else k


def _unrelated_pairs(table: Tensor) -> Tensor:
    """Ordered word pairs ``a * W + b`` (``a != b``) with no relation either way: the negatives."""
    free = (table == 0) & (table.t() == 0)
    free.fill_diagonal_(False)
    return torch.nonzero(free.view(-1)).flatten()


def negative_counts(example: MLGMExample, config: MaskingConfig) -> tuple[int, int]:
    """``(requested, sampled)`` "no relation" pairs of ``example`` in every epoch's masking:
    ``negative_ratio`` times the masked ordered pairs, and as many as the sentence has unrelated
    word pairs up to that (a short or densely related sentence has fewer)."""
    n_words = _n_words(example.word_ids)
    table, candidates = _word_relations(example, n_words)
    requested = round(config.negative_ratio * 2 * _masked_pair_count(candidates.numel(), config))
    return requested, min(requested, _unrelated_pairs(table).numel()) if requested else 0


def mask_example(example: MLGMExample, config: MaskingConfig, generator: torch.Generator) -> dict[str, Tensor]:
    """Mask text and relations of one example (see the module docstring).

    Returns:
        ``input_ids`` ``[S]`` (masked), ``labels`` ``[S]`` (``-100`` where not predicted),
        ``edge_index`` / ``edge_type`` (the graph without the masked relations), ``relation_pairs``
        ``[P, 2]`` sub-word positions, ``relation_labels`` ``[P]``.
    """
    g = generator
    ids = example.input_ids.clone()
    labels = torch.full_like(ids, -100)
    word_ids = example.word_ids
    n_words = _n_words(word_ids)

    # ---- text: whole words
    if n_words and config.mask_text > 0:
        k = max(1, round(config.mask_text * n_words))
        chosen = torch.zeros(n_words + 1, dtype=torch.bool)
        chosen[torch.randperm(n_words, generator=g)[:k]] = True
        pos = torch.nonzero(chosen[word_ids.clamp(min=-1)] & (word_ids >= 0)).flatten()
        labels[pos] = ids[pos]
        roll = torch.rand(pos.numel(), generator=g)
        ids[pos[roll < 0.8]] = config.mask_token_id
        rnd = pos[(roll >= 0.8) & (roll < 0.9)]
        if rnd.numel() and config.random_token_ids is not None:
            pick = torch.randint(config.random_token_ids.numel(), (rnd.numel(),), generator=g)
            ids[rnd] = config.random_token_ids[pick]

    # ---- graph: word-level pairs
    ei, et = example.edge_index, example.edge_type
    first = torch.full((max(n_words, 1),), -1, dtype=torch.long)
    valid = word_ids >= 0
    positions = torch.arange(word_ids.numel())
    first.scatter_reduce_(0, word_ids[valid], positions[valid], reduce="amin", include_self=False)
    pairs = torch.empty(0, 2, dtype=torch.long)
    pair_labels = torch.empty(0, dtype=torch.long)
    table, candidates = _word_relations(example, n_words)
    if candidates.numel():
        k = _masked_pair_count(candidates.numel(), config)
        masked = candidates[torch.randperm(candidates.numel(), generator=g)[:k]]
        if masked.numel():
            a, b = masked // n_words, masked % n_words
            # drop every sub-word edge between a masked word pair, either direction
            sub_lo = torch.minimum(word_ids[ei[0]], word_ids[ei[1]])
            sub_hi = torch.maximum(word_ids[ei[0]], word_ids[ei[1]])
            both = (word_ids[ei[0]] >= 0) & (word_ids[ei[1]] >= 0)
            drop = both & torch.isin(sub_lo * n_words + sub_hi, masked)
            ei, et = ei[:, ~drop], et[~drop]
            src = torch.cat([a, b])
            dst = torch.cat([b, a])
            pairs = torch.stack([first[src], first[dst]], dim=1)
            pair_labels = table[src, dst]
            n_neg = round(config.negative_ratio * pairs.size(0))
            if n_neg:  # distinct unrelated pairs, as many as there are up to n_neg
                free = _unrelated_pairs(table)
                neg = free[torch.randperm(free.numel(), generator=g)[:n_neg]]
                neg_pairs = torch.stack([first[neg // n_words], first[neg % n_words]], dim=1)
                pairs = torch.cat([pairs, neg_pairs])
                pair_labels = torch.cat([pair_labels, torch.zeros(neg.numel(), dtype=torch.long)])
    return {
        "input_ids": ids,
        "labels": labels,
        "edge_index": ei,
        "edge_type": et,
        "relation_pairs": pairs,
        "relation_labels": pair_labels,
    }


class MLGMDataset(Dataset):
    """Examples masked on access, deterministically from ``(seed, epoch, index)``.

    Call :meth:`set_epoch` at each epoch's start for fresh masks (the trainer does); a validation
    set keeps epoch 0, so every evaluation scores the same masks.
    """

    def __init__(self, examples: Sequence[MLGMExample], config: MaskingConfig, seed: int) -> None:
        self.examples = list(examples)
        self.config = config
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index: int) -> dict[str, Any]:
        g = torch.Generator().manual_seed(_seed(self.seed, self.epoch, index))
        item = mask_example(self.examples[index], self.config, g)
        item["id"] = self.examples[index].id
        return item


class MLGMCollator:
    """Pads masked examples into a batch for :class:`~amrgnn.models.AMRDebertaForMaskedGraphModeling`.

    Returns ``input_ids``, ``attention_mask``, ``labels`` ``[B, L]``, ``graph`` (the batched token
    graph with its exact-k-hop pairs, :func:`~amrgnn.data.batch_token_graphs`),
    ``relation_pairs`` ``[P, 3]`` (batch, i, j) and ``relation_labels`` ``[P]``.
    """

    def __init__(self, pad_token_id: int, max_k: int, undirected: bool = True, use_graph: bool = True) -> None:
        self.pad_token_id = pad_token_id
        self.max_k = max_k
        self.undirected = undirected
        self.use_graph = use_graph

    def __call__(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        length = max(it["input_ids"].numel() for it in items)
        b = len(items)
        ids = torch.full((b, length), self.pad_token_id, dtype=torch.long)
        labels = torch.full((b, length), -100, dtype=torch.long)
        mask = torch.zeros((b, length), dtype=torch.long)
        pairs, rel = [], []
        for i, it in enumerate(items):
            n = it["input_ids"].numel()
            ids[i, :n], labels[i, :n], mask[i, :n] = it["input_ids"], it["labels"], 1
            p = it["relation_pairs"]
            pairs.append(torch.cat([torch.full((p.size(0), 1), i, dtype=torch.long), p], dim=1))
            rel.append(it["relation_labels"])
        batch: dict[str, Any] = {
            "input_ids": ids,
            "attention_mask": mask,
            "labels": labels,
            "relation_pairs": torch.cat(pairs),
            "relation_labels": torch.cat(rel),
        }
        if self.use_graph:
            graphs = [token_graph_data(it["edge_index"], it["edge_type"]) for it in items]
            batch["graph"] = batch_token_graphs(graphs, length, max_k=self.max_k, undirected=self.undirected)
        return batch
