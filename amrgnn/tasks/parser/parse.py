"""``amrgnn parse``: token graphs for any sentences with a trained predictor, as JSON lines
``{"id": ..., "tokens": [...], "edges": [[i, j, ":ARG0"], ...]}`` (0-based word indices, ``i != j``,
relation names of the model's ``amr_vocab.json``; ``:instance`` links the words of one concept).

Inputs (``--format``): ``tokens`` (JSON lines with ``id`` and ``tokens``), ``text`` (one sentence a
line, split into words and punctuation; ids are line numbers), an event format (``oneie``,
``nlpcl``, ``phee``: their sentences and ids) or ``amr`` (the ``::tok``, else ``::snt``, of AMR
files, so that a parse can be scored against their gold).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from ...data.events import EVENT_FORMATS, read_events
from ...data.token_graph_predictor import TokenGraphPredictor
from ...data.token_graphs import WordGraph
from ...errors import InputError, UsageError
from ...graph.io import read_amr

__all__ = ["INPUT_FORMATS", "TokenGraphPredictor", "read_sentences", "write_parses"]

INPUT_FORMATS = ("tokens", "text", *EVENT_FORMATS.names(), "amr")
_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def read_sentences(path: str | os.PathLike, fmt: str) -> list[tuple[str, list[str]]]:
    """``(id, words)`` of every sentence of ``path`` in the named input format."""
    path = Path(path)
    if fmt == "amr":
        return [(a.id, list(a.tokens)) for a in read_amr(path, progress=False)]
    if fmt in EVENT_FORMATS:
        return [(s.id, list(s.tokens)) for s in read_events(path, fmt, predictions=True)]
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            if fmt == "text":
                out.append((str(n), _WORD.findall(line)))
            elif fmt == "tokens":
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{path}:{n}: not JSON ({e.msg})") from e
                if not isinstance(rec, dict) or not isinstance(rec.get("tokens"), list) or "id" not in rec:
                    raise InputError(f"{path}:{n}: expected an object with 'id' and a 'tokens' list")
                out.append((str(rec["id"]), [str(t) for t in rec["tokens"]]))
            else:
                raise UsageError(f"unknown input format {fmt!r}; choose from {', '.join(INPUT_FORMATS)}")
    return out


def write_parses(graphs: Iterable[WordGraph], relations: list[str], path: str | os.PathLike) -> int:
    """Write word graphs as JSON lines; returns how many."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for g in graphs:
            edges = [[i, j, relations[r]] for i, j, r in g.edges.tolist()]
            f.write(json.dumps({"id": g.id, "tokens": g.tokens, "edges": edges}, ensure_ascii=False) + "\n")
            n += 1
    return n
