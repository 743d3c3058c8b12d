"""``--graphs predicted:DIR``: token graphs predicted on the fly by a ``train-parser`` model, cached
by a hash of the sentences and the model (``$AMRGNN_CACHE``, default ``~/.cache/amrgnn``)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from ...errors import MissingInputError
from ..events import Sentence
from .base import GraphSource

__all__ = ["PredictedGraphs", "cache_dir"]


def cache_dir() -> Path:
    return Path(os.environ.get("AMRGNN_CACHE", Path.home() / ".cache" / "amrgnn")) / "token-graphs"


def _model_hash(model_dir: Path) -> str:
    h = hashlib.sha256()
    for name in ("model.safetensors", "config.json", "amr_vocab.json"):
        f = model_dir / name
        if not f.is_file():
            raise MissingInputError(f"{model_dir}: no {name}: not a train-parser model directory")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


class PredictedGraphs(GraphSource):
    """Token graphs predicted by the :class:`~amrgnn.tasks.parser.parse.TokenGraphPredictor` in DIR."""

    kind = "predicted"
    arg_name = "DIR"
    produces = "words"

    def __init__(self, arg: str | None = None) -> None:
        super().__init__(arg)
        self.model_dir = Path(self.arg)
        self._hash: str | None = None

    @property
    def model_hash(self) -> str:
        if self._hash is None:
            self._hash = _model_hash(self.model_dir)
        return self._hash

    def describe(self) -> dict[str, str]:
        return {"predictor": str(self.model_dir.resolve()), "predictor_sha256": self.model_hash}

    def relation_names(self) -> list[str] | None:
        return json.loads((self.model_dir / "amr_vocab.json").read_text(encoding="utf-8"))["relations"]

    def word_graphs(self, sentences: Sequence[Sentence]) -> list[list[tuple[int, int, str]] | None]:
        key = hashlib.sha256(json.dumps([self.model_hash, [s.tokens for s in sentences]]).encode()).hexdigest()
        cached = cache_dir() / f"{key}.json"
        if cached.is_file():
            try:
                return [[tuple(e) for e in g] for g in json.loads(cached.read_text(encoding="utf-8"))]
            except (OSError, ValueError):
                pass  # a damaged cache entry is predicted again
        from ..token_graph_predictor import TokenGraphPredictor

        predictor = TokenGraphPredictor(self.model_dir)
        graphs, _ = predictor.predict([(s.id, list(s.tokens)) for s in sentences])
        names = predictor.relations
        out = [[(i, j, names[r]) for i, j, r in g.edges.tolist()] for g in graphs]
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(json.dumps(out), encoding="utf-8")
        os.replace(tmp, cached)
        return out
