"""Plain baselines for token-graph prediction, to put the predictor's scores in context.

* :class:`AdjacentWordsBaseline`: every word points to its right (or left) neighbour with the
  relation most often seen between neighbours in the training graphs: what "structure = word order"
  gives.
* :class:`PairMemoryBaseline`: an edge ``(i, j, r)`` wherever the lower-cased word pair
  ``(w_i, w_j)`` at that signed distance (clipped to +-``max_distance``) had an edge in more than
  half of its training occurrences, with its most frequent relations; backs off to the pair at
  any distance. A lexical memory with no encoder: what counting alone gives.

Both fit on :class:`~amrgnn.data.token_graphs.WordGraph` s and predict named triples.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ...data.token_graphs import WordGraph

__all__ = ["AdjacentWordsBaseline", "PairMemoryBaseline"]

Triples = list[tuple[int, int, str]]


def _edges_by_pair(graph: WordGraph, relations: Sequence[str]) -> dict[tuple[int, int], set[str]]:
    out: dict[tuple[int, int], set[str]] = defaultdict(set)
    for i, j, r in graph.edges.tolist():
        out[(i, j)].add(relations[r])
    return out


class AdjacentWordsBaseline:
    """Each word -> its neighbour on the side (right or left) and with the relation most often
    seen between neighbours in training."""

    def __init__(self) -> None:
        self.offset, self.relation = 1, ":ARG1"

    def fit(self, graphs: Sequence[WordGraph], relations: Sequence[str]) -> AdjacentWordsBaseline:
        sides: Counter[int] = Counter()
        rels: Counter[str] = Counter()
        for g in graphs:
            for (i, j), names in _edges_by_pair(g, relations).items():
                if abs(i - j) == 1:
                    sides[j - i] += 1
                    rels.update(names)
        if sides:
            self.offset = sides.most_common(1)[0][0]
            self.relation = rels.most_common(1)[0][0]
        return self

    def predict(self, tokens: Sequence[str]) -> Triples:
        n = len(tokens)
        return [(i, i + self.offset, self.relation) for i in range(n) if 0 <= i + self.offset < n]


class PairMemoryBaseline:
    """Edges between word pairs that had one in most of their training occurrences.

    Args:
        max_distance: signed word distances are clipped to ``[-max_distance, max_distance]``.
        min_count: a pair (or pair at a distance) seen fewer times is not trusted.
    """

    def __init__(self, max_distance: int = 5, min_count: int = 1) -> None:
        self.max_distance, self.min_count = max_distance, min_count
        self.seen: Counter[tuple] = Counter()
        self.linked: Counter[tuple] = Counter()
        self.relations: dict[tuple, Counter[str]] = defaultdict(Counter)

    def _keys(self, tokens: Sequence[str], i: int, j: int) -> tuple[tuple, tuple]:
        d = max(-self.max_distance, min(self.max_distance, j - i))
        a, b = tokens[i].lower(), tokens[j].lower()
        return (a, b, d), (a, b)

    def fit(self, graphs: Sequence[WordGraph], relations: Sequence[str]) -> PairMemoryBaseline:
        for g in graphs:
            edges = _edges_by_pair(g, relations)
            n = len(g.tokens)
            for i in range(n):
                for j in range(n):
                    if i == j:
                        continue
                    names = edges.get((i, j))
                    for key in self._keys(g.tokens, i, j):
                        self.seen[key] += 1
                        if names:
                            self.linked[key] += 1
                            self.relations[key].update(names)
        return self

    def predict(self, tokens: Sequence[str]) -> Triples:
        out: Triples = []
        n = len(tokens)
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                for key in self._keys(tokens, i, j):
                    seen = self.seen.get(key, 0)
                    if seen >= self.min_count:
                        break
                else:
                    continue
                linked = self.linked.get(key, 0)
                if 2 * linked <= seen:
                    continue
                rels = self.relations[key]
                out.extend((i, j, r) for r, c in rels.items() if 2 * c > linked or c == max(rels.values()))
        return out
