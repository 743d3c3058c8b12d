"""The standard document splits, read in place from the id lists of ``ace05-splits`` and
``ere-splits`` in the shared data folder (``$AMRGNN_SHARED_DATA``, default ``../shared/data`` beside
the project), their published per-split counts (``amrgnn/resources/splits/published.json``), and a
user's own split directory."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from ...errors import MissingInputError, UsageError

__all__ = ["GENRE_SPLIT", "PARTS", "SPLITS", "genre_split", "published_counts", "read_split_dir", "shared_splits",
           "split_ids", "write_split_dir"]

PARTS = ("train", "dev", "test")
SPLITS = {
    "ace05": ("oneie", *(f"textee{i}" for i in range(1, 6))),
    "ere": tuple(f"textee{i}" for i in range(1, 6)),
}


#: the split drawn per genre (see genre_split): no published document split gives every genre a test part
GENRE_SPLIT = "genres"

#: the shared data folder's split lists per corpus
SPLIT_FOLDERS = {"ace05": "ace05-splits", "ere": "ere-splits"}


def _root():
    return files("amrgnn") / "resources" / "splits"


def shared_splits(corpus: str) -> Path:
    """The folder of ``corpus``'s split lists (an error naming it, and ``--split-dir``, when absent)."""
    shared = Path(os.environ.get("AMRGNN_SHARED_DATA", Path(__file__).resolve().parents[3].parent / "shared" / "data"))
    folder = shared / SPLIT_FOLDERS[corpus]
    if not folder.is_dir():
        raise MissingInputError(f"{folder}: the {corpus} split lists are not there (set AMRGNN_SHARED_DATA to the folder "
                                "holding ace05-splits/ and ere-splits/, or pass --split-dir DIR with train/dev/test.txt)")
    return folder


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def split_ids(corpus: str, name: str) -> dict[str, list[str]]:
    """``{part: [document id, ...]}`` of a standard split (``oneie`` rows give a path below
    ``data/English/``; its last component is the id)."""
    if name not in SPLITS.get(corpus, ()):
        raise UsageError(f"no split {name!r} for {corpus}; choose from {', '.join(SPLITS.get(corpus, ()))}, {GENRE_SPLIT} or pass --split-dir")
    base = shared_splits(corpus)
    if name == "oneie":
        out: dict[str, list[str]] = {p: [] for p in PARTS}
        for row in _lines((base / "oneie-split.csv").read_text(encoding="utf-8"))[1:]:
            part, path = row.split(",", 1)
            out[part].append(path.rsplit("/", 1)[-1])
        return out
    folder = base / f"textee-split{name.removeprefix('textee')}"
    return {p: _lines((folder / f"{p}.txt").read_text(encoding="utf-8")) for p in PARTS}


def genre_split(groups: dict[str, str], *, seed: int = 0, dev: float = 0.1, test: float = 0.2) -> dict[str, list[str]]:
    """A document split stratified by genre, for cross-domain work (``--split genres``): within each
    genre (``groups``: document id -> genre folder), the sorted ids shuffled by ``seed``, then
    ``round(n * test)`` test and ``round(n * dev)`` dev documents (at least one each when the genre has
    three or more), the rest train. Deterministic: the same release and seed give the same lists."""
    import random

    by_genre: dict[str, list[str]] = {}
    for doc_id, genre in sorted(groups.items()):
        by_genre.setdefault(genre, []).append(doc_id)
    out: dict[str, list[str]] = {p: [] for p in PARTS}
    for genre, ids in sorted(by_genre.items()):
        random.Random(f"{seed}:{genre}").shuffle(ids)
        n = len(ids)
        n_test = max(round(n * test), 1) if n >= 3 else 0
        n_dev = max(round(n * dev), 1) if n >= 3 else 0
        out["test"] += sorted(ids[:n_test])
        out["dev"] += sorted(ids[n_test:n_test + n_dev])
        out["train"] += sorted(ids[n_test + n_dev:])
    return out


def write_split_dir(parts: dict[str, list[str]], path: str | os.PathLike) -> Path:
    """Write ``train.txt``, ``dev.txt``, ``test.txt`` (one document id a line; :func:`read_split_dir` reads them)."""
    d = Path(path)
    d.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        (d / f"{part}.txt").write_text("".join(f"{i}\n" for i in parts[part]), encoding="utf-8")
    return d


def read_split_dir(path: str | os.PathLike) -> dict[str, list[str]]:
    """A user's split: ``train.txt``, ``dev.txt``, ``test.txt`` with one document id a line."""
    d = Path(path)
    missing = [p for p in PARTS if not (d / f"{p}.txt").is_file()]
    if missing:
        raise MissingInputError(f"{d}: a split directory needs train.txt, dev.txt and test.txt (missing {', '.join(missing)})")
    return {p: _lines((d / f"{p}.txt").read_text(encoding="utf-8")) for p in PARTS}


@lru_cache(maxsize=1)
def _published() -> dict[str, Any]:
    return json.loads((_root() / "published.json").read_text(encoding="utf-8"))


def published_counts(corpus: str, name: str | None, variant: str | None = None) -> tuple[dict[str, dict[str, int]] | None, str | None]:
    """``({part: counts}, source)`` published for a split (OneIE's per variant), or ``(None, None)``."""
    if name is None:
        return None, None
    got = _published().get(corpus, {}).get(name)
    if got is None:
        return None, None
    if name == "oneie":
        got = got.get(variant or "")
        return got, _published()["_sources"]["oneie"] if got else None
    return got, _published()["_sources"]["textee"]
