"""One graph: its PENMAN layout (instances, attributes, names, subtrees) read in one pass, and
the graph neighbourhoods used to choose between candidate spans."""

from __future__ import annotations

import penman
from penman.layout import Pop, Push

from .items import Item, Span, Triple


class _Layout:
    """A graph's instances, attributes and edges, and on demand its PENMAN tree and neighbours."""

    __slots__ = ("graph", "instances", "attributes", "edges", "names", "_tree", "_neighbours")

    def __init__(self, g: penman.Graph) -> None:
        triples = g.triples
        self.graph = g
        self.instances: dict[str, str | None] = {t[0]: t[2] for t in triples if t[1] == ":instance"}
        self.attributes: list[Triple] = []
        self.edges: list[Triple] = []
        self.names: list[Triple] = []  # :name edges
        self._tree: tuple[set[Triple], dict[str, list[str]]] | None = None
        self._neighbours: dict[Item, list[Item]] | None = None
        instances = self.instances
        for t in triples:
            role = t[1]
            if role == ":instance":
                continue
            if t[2] in instances:
                self.edges.append(t)
                if role == ":name":
                    self.names.append(t)
            else:
                self.attributes.append(t)

    def tree(self) -> tuple[set[Triple], dict[str, list[str]]]:
        """The edges written inverted (``:ARG0-of``) and the children of the nodes in the PENMAN
        tree (in the written orientation), from the layout markers: one pass, on first use."""
        if self._tree is None:
            g, instances = self.graph, self.instances
            epidata = g.epidata
            inverted: set[Triple] = set()
            children: dict[str, list[str]] = {}
            stack = [g.top]  # the node being written
            for t in g.triples:
                pushed, pops = None, 0
                epis = epidata.get(t)
                if not epis:
                    pass
                elif len(epis) == 1:  # the common case: one Push or one Pop
                    kind = epis[0].__class__
                    if kind is Push:
                        pushed = epis[0].variable
                    elif kind is Pop:
                        pops = 1
                else:  # several markers, alignments among them
                    kinds = list(map(type, epis))
                    pops = kinds.count(Pop)
                    if Push in kinds:  # the last one
                        pushed = epis[len(kinds) - 1 - kinds[::-1].index(Push)].variable
                src, role, tgt = t
                if role != ":instance" and tgt in instances:
                    if pushed is not None:
                        if pushed == src:
                            inverted.add(t)
                            children.setdefault(tgt, []).append(src)
                        else:
                            children.setdefault(src, []).append(tgt)
                    elif stack and stack[-1] == tgt and tgt != src:
                        inverted.add(t)
                if pushed is not None:
                    stack.append(pushed)
                if pops:
                    del stack[-pops:]
            self._tree = inverted, children
        return self._tree

    def adjacent(self, item: Item) -> list[Item]:
        """The graph neighbours of ``item``: from :meth:`neighbours` once built, else by a scan."""
        if self._neighbours is not None:
            return self._neighbours.get(item, [])
        if not isinstance(item, str):
            return [item[0]]
        out: list[Item] = []
        if item in self.instances:
            for src, _, tgt in self.edges:
                if src == item:
                    out.append(tgt)
                elif tgt == item and src in self.instances:
                    out.append(src)
            for t in self.attributes:
                if t[0] == item:
                    out.append(t)
        return out

    def neighbours(self) -> dict[Item, list[Item]]:
        """The graph neighbours of every item (variables and attribute triples), built once."""
        if self._neighbours is None:
            nbrs: dict[Item, list[Item]] = {}
            instances = self.instances
            for src, _, tgt in self.edges:
                if src in instances:
                    nbrs.setdefault(src, []).append(tgt)
                    nbrs.setdefault(tgt, []).append(src)
            for t in self.attributes:
                nbrs[t] = [t[0]]
                if t[0] in instances:
                    nbrs.setdefault(t[0], []).append(t)
            self._neighbours = nbrs
        return self._neighbours


def _rings(lay: _Layout, item: Item, spans: dict[Item, Span]) -> tuple[list[list[Item]], list[int]]:
    """The rings of items one, two, three steps away from ``item``, out to the first ring with
    aligned items, and the tokens of those (the anchors of ``item``)."""
    seen = {item}
    frontier = [item]
    rings = []
    for depth in range(3):
        if depth == 1:
            lay.neighbours()  # all the adjacency lists, for the wider rings
        ring: list[Item] = []
        found: list[int] = []
        for x in frontier:
            for y in lay.adjacent(x):
                if y not in seen:
                    seen.add(y)
                    ring.append(y)
                    if y in spans:
                        found += spans[y]
        if not ring:
            break
        rings.append(ring)
        if found:
            return rings, found
        frontier = ring
    return rings, []


def _anchors(rings: list[list[Item]], spans: dict[Item, Span]) -> list[int]:
    """The tokens of the aligned items of the first ring that has some."""
    for ring in rings:
        found: list[int] = []
        for y in ring:
            if y in spans:
                found += spans[y]
        if found:
            return found
    return []


def _distance(cands: list[Span], anchors: list[int]) -> int:
    """The distance from the candidate token closest to an anchor token to that anchor."""
    best = -1
    for span in cands:
        for i in span:
            for a in anchors:
                d = i - a if i > a else a - i
                if d < best or best < 0:
                    best = d
    return best


def _nearest(cands: list[Span], anchors: list[int]) -> Span:
    """The candidate closest to an anchor token (the leftmost one on ties), else the first one."""
    if not anchors or len(cands) == 1:
        return cands[0]
    best, best_key = cands[0], (-1, 0)
    for span in cands:
        key = (_distance((span,), anchors), span[0])
        if key < best_key or best_key[0] < 0:
            best, best_key = span, key
    return best
