"""Processed AMR corpora: a PyG dataset over :class:`GraphColumns`, prepared once and cached on disk.

:func:`prepare_corpus` reads, optionally aligns, builds (or loads) the vocabulary, encodes and saves
``graphs.safetensors``, ``graphs.json``, ``vocab.json`` and ``summary.json`` in one directory. The
cache key hashes the content of every input file, the options, the tokenizer's files (what its
``save_pretrained`` writes, not its name or path) and the format versions; a second run with the same
key loads the saved columns instead of recomputing them. ``summary.json`` is written last and records
the SHA-256 of the files it describes: a cache whose files are missing, truncated or changed is
rebuilt, with a logged warning and ``summary["cache"] == "rebuilt (damaged: <reason>)"``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from safetensors import SafetensorError
from torch_geometric.data import Dataset

from ..utils import bulk_mode
from .columns import COLUMNS_FORMAT, EncodeOptions, GraphColumns, encode_amrs
from .hetero import AMRGraphData
from .io import AMR, AMRFormatError, ReadStats, expand_paths, read_amr
from .vocab import AMRVocab

__all__ = ["AMRDataset", "PreparedCorpus", "prepare_corpus", "cache_key", "tokenizer_sha256"]

logger = logging.getLogger(__name__)
#: The files of a prepared corpus whose SHA-256 ``summary.json`` records.
_SAVED_FILES = ("graphs.safetensors", "graphs.json", "vocab.json")


class AMRDataset(Dataset):
    """A PyTorch Geometric dataset of :class:`~amrgnn.graph.hetero.AMRGraphData`, one per AMR.

    Works with ``torch_geometric.loader.DataLoader`` (batches are ``HeteroData`` batches with
    correctly offset indices) and PyG transforms.
    """

    def __init__(self, columns: GraphColumns, vocab: AMRVocab, transform: Callable | None = None) -> None:
        self.columns = columns
        self.vocab = vocab
        super().__init__(root=None, transform=transform)

    def len(self) -> int:
        return len(self.columns)

    def get(self, idx: int) -> AMRGraphData:
        return self.columns.get(idx)

    @property
    def ids(self) -> list[str]:
        return self.columns.ids

    @classmethod
    def load(cls, directory: str | os.PathLike, transform: Callable | None = None) -> AMRDataset:
        """Load what :func:`prepare_corpus` wrote into ``directory``."""
        d = Path(directory)
        return cls(GraphColumns.load(d), AMRVocab.load(d / "vocab.json"), transform=transform)


@dataclass
class PreparedCorpus:
    dataset: AMRDataset
    vocab: AMRVocab
    summary: dict[str, Any]


@dataclass
class _Options:
    max_k: int
    undirected: bool
    align: bool
    skip_invalid: bool
    tokenizer_sha: str | None
    vocab_sha: str | None
    columns_format: int = COLUMNS_FORMAT
    pipeline: str = field(default="amrgnn-prepare-2")


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tokenizer_sha256(tokenizer: Any) -> str:
    """SHA-256 of the files ``tokenizer.save_pretrained`` writes (vocabulary, rules, special tokens):
    what the sub-word graphs depend on, wherever the tokenizer was loaded from."""
    h = hashlib.sha256()
    with tempfile.TemporaryDirectory() as d:
        tokenizer.save_pretrained(d)
        for f in sorted(p for p in Path(d).rglob("*") if p.is_file()):
            h.update(f"\0{f.relative_to(d).as_posix()}\0{_sha256_file(f)}".encode())
    return h.hexdigest()


def _load_cached(out: Path, key: str) -> tuple[AMRDataset, dict[str, Any]] | str | None:
    """The saved result under ``key``; ``None`` when there is none (or it is another key's); the
    reason as a string when the saved files are damaged."""
    summary_path = out / "summary.json"
    if not summary_path.is_file():
        return None
    try:
        old = json.loads(summary_path.read_text(encoding="utf-8"))
        if not isinstance(old, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        return f"summary.json: {e}"
    if old.get("cache_key") != key:
        return None
    recorded = old.get("files_sha256")
    if not isinstance(recorded, dict):
        return "summary.json: no file checksums (written by an older version)"
    for name in _SAVED_FILES:
        try:
            sha = _sha256_file(out / name)
        except OSError as e:
            return f"{name}: {e.strerror or e}"
        if sha != recorded.get(name):
            return f"{name}: content differs from what was written (truncated or changed)"
    try:
        ds = AMRDataset.load(out)
    except (OSError, ValueError, KeyError, TypeError, SafetensorError) as e:
        return str(e)
    return ds, old


def cache_key(files: Iterable[Path], options: dict[str, Any]) -> str:
    """Hash of the inputs' content (in order) and the options: the processed-data cache key."""
    h = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for f in files:
        h.update(b"\0file\0")
        try:
            h.update(_sha256_file(f).encode())
        except OSError:
            h.update(f"unreadable:{f}".encode())
    return h.hexdigest()


def prepare_corpus(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    out_dir: str | os.PathLike,
    *,
    max_k: int = 4,
    undirected: bool = False,
    tokenizer: str | None = None,
    align: bool = False,
    skip_invalid: bool = False,
    vocab: AMRVocab | str | os.PathLike | None = None,
    progress: bool | None = None,
    use_cache: bool = True,
) -> PreparedCorpus:
    """Read, (align,) encode and save an AMR corpus; reuse the saved result when nothing changed.

    Args:
        paths: AMR files, globs or an AMR 3.0 release directory.
        out_dir: where ``graphs.*``, ``vocab.json`` and ``summary.json`` go.
        max_k: exact k-hop depth of the token graph(s).
        undirected: k-hop over the undirected token graph.
        tokenizer: a HuggingFace tokenizer (local path or cached hub id) for the sub-word graph.
        align: fill missing alignments with the rule-based aligner (:func:`amrgnn.graph.aligner`).
        skip_invalid: skip and count bad graphs instead of raising :class:`AMRFormatError`.
        vocab: a vocabulary (or the path of a ``vocab.json``) to reuse, e.g. a training split's;
            built from this corpus when ``None``.
        progress: progress bars (default: when stderr is a terminal).
        use_cache: load a previous result with the same cache key.

    Returns:
        a :class:`PreparedCorpus` with the dataset, the vocabulary and the summary (also in
        ``summary.json``); ``summary["cached"]`` says whether it came from the cache and
        ``summary["cache"]`` how: ``"hit"``, ``"new"`` (no saved result under this key),
        ``"disabled"`` or ``"rebuilt (damaged: <file>: <reason>)"`` (also logged as a warning).
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    files = expand_paths(paths)
    if isinstance(vocab, (str, os.PathLike)):
        vocab = AMRVocab.load(vocab)
    tok = None
    if tokenizer is not None:
        from .subword import load_tokenizer

        tok = load_tokenizer(tokenizer)
    opts = _Options(
        max_k=max_k,
        undirected=undirected,
        align=align,
        skip_invalid=skip_invalid,
        tokenizer_sha=tokenizer_sha256(tok) if tok is not None else None,
        vocab_sha=hashlib.sha256(json.dumps(vocab.to_dict()).encode()).hexdigest() if vocab else None,
    )
    key = cache_key(files, asdict(opts))
    summary_path = out / "summary.json"
    cache_state = "disabled"
    if use_cache:
        got = _load_cached(out, key)
        if isinstance(got, tuple):
            ds, old = got
            old.update(cached=True, cache="hit", prepare_seconds=old.get("seconds"), seconds=round(time.perf_counter() - t0, 4))
            return PreparedCorpus(dataset=ds, vocab=ds.vocab, summary=old)
        cache_state = "new"
        if isinstance(got, str):
            logger.warning("%s: damaged prepared-corpus cache, rebuilding it: %s", out, got)
            cache_state = f"rebuilt (damaged: {got})"
    summary_path.unlink(missing_ok=True)  # until the new files are complete, nothing matches a key

    stats = ReadStats()
    with bulk_mode():
        amrs: list[AMR] = list(read_amr(files, skip_invalid=skip_invalid, stats=stats, progress=progress))
        if align:
            from .aligner import align as align_amr

            amrs = [align_amr(a) for a in amrs]
        if vocab is None:
            vocab = AMRVocab.build(amrs)

    conversion_skips: Counter[str] = Counter()

    def on_error(amr: AMR, exc: Exception) -> None:
        err = AMRFormatError("conversion-failed", f"{type(exc).__name__}: {exc}", path=amr.path, graph_id=amr.id, line=amr.line)
        if not skip_invalid:
            raise err from exc
        conversion_skips[err.reason] += 1
        stats.record_skip(err)

    columns = encode_amrs(amrs, vocab, options=EncodeOptions(max_k=max_k, undirected=undirected), tokenizer=tok, on_error=on_error)
    columns.meta.update({"cache_key": key, "tokenizer": tokenizer})
    out.mkdir(parents=True, exist_ok=True)
    columns.save(out)
    vocab.save(out / "vocab.json")

    summary = _summary(files, stats, columns, vocab, amrs, max_k=max_k)
    summary.update({
        "cache_key": key, "options": asdict(opts), "tokenizer": tokenizer, "seconds": round(time.perf_counter() - t0, 4),
        "cached": False, "cache": cache_state, "files_sha256": {name: _sha256_file(out / name) for name in _SAVED_FILES},
    })
    summary_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    return PreparedCorpus(dataset=AMRDataset(columns, vocab), vocab=vocab, summary=summary)


def _summary(files: list[Path], stats: ReadStats, columns: GraphColumns, vocab: AMRVocab, amrs: list[AMR], *, max_k: int) -> dict[str, Any]:
    v = columns.values
    n = len(columns)
    lemma = v.get("n:concept:lemma")
    is_const = v.get("n:concept:is_constant")
    rel = v.get("e:concept:rel:concept:edge_type")
    n_nodes = int(lemma.numel()) if lemma is not None else 0
    aligned_nodes = sum(a.num_aligned for a in amrs)
    summary: dict[str, Any] = {
        "files": len(files),
        "files_skipped": stats.files_skipped,
        "graphs_read": stats.read,
        "converted": n,
        "skipped": dict(sorted(stats.skipped.items())),
        "skipped_total": sum(stats.skipped.values()),
        "reconciles": stats.read == n + sum(stats.skipped.values()),
        "tokens": int(v["c:token"].sum()) if n else 0,
        "concepts": n_nodes - (int(is_const.sum()) if is_const is not None else 0),
        "constants": int(is_const.sum()) if is_const is not None else 0,
        "relations": int(rel.numel()) if rel is not None else 0,
        "aligned_nodes": aligned_nodes,
        "unknown_concepts": int((lemma == 1).sum()) if lemma is not None else 0,
        "unknown_relations": int((rel == 1).sum()) if rel is not None else 0,
        "token_graph_edges": int(v["e:token:amr:token:edge_type"].numel()) if n else 0,
        "k_hop_pairs": {
            str(k): int(v[f"e:token:hop{k}:token:edge_type"].numel()) for k in range(1, max_k + 1) if n
        },
        "vocab": {"concepts": vocab.num_concepts, "senses": vocab.num_senses, "relations": vocab.num_relations},
        "errors": stats.errors,
    }
    if "c:subword" in v:
        summary["subwords"] = int(v["c:subword"].sum())
    return summary
