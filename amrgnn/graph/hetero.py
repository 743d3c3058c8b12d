"""The heterogeneous graph type of one AMR, and the way back to PENMAN.

Layout of an :class:`AMRGraphData` (``Nc`` concept+constant nodes, ``T`` words, ``S`` sub-words):

=========================================  =====================================================
``data['concept'].lemma``                  ``[Nc]`` concept lemma / constant ids (:class:`AMRVocab`)
``data['concept'].sense``                  ``[Nc]`` sense ids (0: no sense)
``data['concept'].is_constant``            ``[Nc]`` bool: attribute value (constant) nodes
``data['concept', 'rel', 'concept']``      ``edge_index [2, E]``, ``edge_type [E]`` canonical roles
``data['concept', 'rev_rel', 'concept']``  the reverse edges, same ``edge_type``
``data['token', 'aligned', 'concept']``    ``edge_index [2, A]`` word -> node alignments
``data['concept', 'rev_aligned', 'token']`` their reverse
``data['token', 'amr', 'token']``          ``edge_index``, ``edge_type``: the word-level token graph
``data['token', 'hop{k}', 'token']``       pairs at exact distance ``k`` with last-edge relations
``data['subword'].input_ids``              ``[S]`` (only with a tokenizer), and the same ``amr``/
                                           ``hop{k}`` edges over sub-words, plus
                                           ``('subword', 'of', 'token')`` sub-word -> word edges
``data.top``                               ``[1]`` index of the top concept
``data.amr_id``, ``data.tokens``           the graph id and its word tokens (Python objects)
=========================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import penman
import penman.surface
from torch_geometric.data import HeteroData

from .vocab import AMRVocab, join_sense

__all__ = ["AMRGraphData", "to_penman", "CONCEPT", "TOKEN", "SUBWORD"]

CONCEPT, TOKEN, SUBWORD = "concept", "token", "subword"
REL = (CONCEPT, "rel", CONCEPT)
ALIGNED = (TOKEN, "aligned", CONCEPT)


class AMRGraphData(HeteroData):
    """:class:`~torch_geometric.data.HeteroData` of one AMR (see the module docstring).

    ``top`` indexes concept nodes but its name has no ``"index"`` in it, so PyG would not offset it
    when batching: :meth:`__inc__` does. Every other tensor batches with PyG's defaults (edge
    indices are offset by node counts; ids, types and flags are concatenated unchanged).
    """

    def __inc__(self, key: str, value: Any, store: Any = None, *args: Any, **kwargs: Any) -> Any:
        if key == "top":
            return self[CONCEPT].num_nodes
        return super().__inc__(key, value, store, *args, **kwargs)


def _variable_names(labels: list[str]) -> list[str]:
    """PENMAN-style variables: first letter of the concept, numbered on collision (``b``, ``b2``)."""
    used: dict[str, int] = {}
    out = []
    for label in labels:
        letter = next((ch.lower() for ch in label if ch.isalpha() and ch.isascii()), "x")
        n = used.get(letter, 0) + 1
        used[letter] = n
        out.append(letter if n == 1 else f"{letter}{n}")
    return out


def to_penman(data: HeteroData, vocab: AMRVocab, *, alignments: bool = True) -> penman.Graph:
    """Rebuild the ``penman.Graph`` of one (unbatched) AMR graph.

    Variables are renamed (``b``, ``b2``, ...); labels come from ``vocab`` (an ``<unk>`` id gives the
    label ``<unk>``). With ``alignments=True`` token alignments become ``~e.N`` surface markers.
    ``penman.encode`` lays the graph out again, inverting roles where the tree needs it.
    """
    c = data[CONCEPT]
    lemma = c.lemma.tolist()
    sense = c.sense.tolist()
    is_const = c.is_constant.tolist()
    inst = [i for i, k in enumerate(is_const) if not k]
    labels = [
        join_sense(vocab.concepts[lemma[i]], None if sense[i] == 0 else vocab.senses[sense[i]])
        for i in range(len(lemma))
    ]
    var = dict(zip(inst, _variable_names([labels[i] for i in inst]), strict=True))

    triples: list[tuple[str, str, str]] = [(var[i], ":instance", labels[i]) for i in inst]
    rel = data[REL]
    for s, t, r in zip(rel.edge_index[0].tolist(), rel.edge_index[1].tolist(), rel.edge_type.tolist(), strict=True):
        role = vocab.relations[r]
        triples.append((var[s], role, labels[t] if is_const[t] else var[t]))
    top = var[int(data.top.view(-1)[0])] if "top" in data else (var[inst[0]] if inst else None)
    graph = penman.Graph(triples, top=top)

    if alignments and ALIGNED in data.edge_types:
        per_node: dict[int, list[int]] = {}
        ei = data[ALIGNED].edge_index
        for tok, node in zip(ei[0].tolist(), ei[1].tolist(), strict=True):
            per_node.setdefault(node, []).append(tok)
        n_inst = len(inst)
        attr_triples = triples[n_inst:]
        by_target: dict[int, tuple[str, str, str]] = {}
        for (_, t), tr in zip(rel.edge_index.t().tolist(), attr_triples, strict=True):
            if is_const[t]:
                by_target[t] = tr
        for node, toks in per_node.items():
            triple = (var[node], ":instance", labels[node]) if not is_const[node] else by_target.get(node)
            if triple is not None:
                graph.epidata.setdefault(triple, []).append(penman.surface.Alignment(tuple(sorted(toks)), prefix="e."))
    amr_id = getattr(data, "amr_id", None)
    if isinstance(amr_id, str):
        graph.metadata["id"] = amr_id
    tokens = getattr(data, "tokens", None)
    if isinstance(tokens, list) and all(isinstance(t, str) for t in tokens):
        graph.metadata["tok"] = " ".join(tokens)
    return graph
