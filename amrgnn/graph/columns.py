"""Encoding many AMRs at once into flat, sliceable columns (and back into one graph at a time).

Graphs are processed in chunks: the per-graph Python work is a few dictionary look-ups
(:func:`~amrgnn.graph.convert.extract_arrays`); everything else (tensor building, sub-word
projection, the exact-k-hop structure) runs once per chunk on the disjoint union of its graphs,
then is cut back into graphs by pointer arrays. A :class:`GraphColumns` is that result: one tensor
per attribute, concatenated over graphs, with a ``ptr`` per attribute; it saves to safetensors and
JSON (no pickle) and rebuilds an :class:`~amrgnn.graph.hetero.AMRGraphData` per index.
"""

from __future__ import annotations

import json
import os
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import Tensor

from ..errors import UsageError
from ..utils import bulk_mode
from . import khop
from .convert import GraphArrays, extract_arrays, token_edges, token_graph_union
from .hetero import ALIGNED, CONCEPT, REL, SUBWORD, TOKEN, AMRGraphData
from .io import AMR
from .khop import exact_k_hop_typed, k_hop_lists
from .ragged import bool_tensor, flat, lengths, ptr
from .subword import project_to_subwords
from .vocab import AMRVocab

__all__ = ["GraphColumns", "encode_amrs", "to_hetero", "EncodeOptions"]

COLUMNS_FORMAT = 1


@dataclass(frozen=True)
class EncodeOptions:
    """What goes into each graph (part of the processed-data cache key)."""

    max_k: int = 4
    undirected: bool = False
    chunk_size: int = 2048


def _edge_key(src: str, rel: str, dst: str, attr: str) -> str:
    return f"e:{src}:{rel}:{dst}:{attr}"


@dataclass
class GraphColumns:
    """Concatenated per-graph tensors: ``values[key][..., ptr[key][i]:ptr[key][i+1]]`` is graph ``i``.

    Keys: ``c:<node type>`` (node counts, one per graph), ``g:<attr>`` (one value per graph),
    ``n:<node type>:<attr>`` (node attributes) and ``e:<src>:<rel>:<dst>:<attr>`` (edge attributes;
    ``edge_index`` tensors are ``[2, E]`` and concatenated along their last dimension).
    """

    values: dict[str, Tensor]
    ptr: dict[str, Tensor]
    ids: list[str]
    tokens: list[list[str]]
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Parse the keys once: (kind, store key, attribute, values, ptr as a list) per column.
        self._layout: list[tuple[str, Any, str, Tensor, list[int] | None]] = []
        for key, val in self.values.items():
            kind, *parts = key.split(":")
            if kind == "c":
                self._layout.append((kind, parts[0], "num_nodes", val, None))
            elif kind == "g":
                self._layout.append((kind, None, parts[0], val, None))
            elif kind == "n":
                self._layout.append((kind, parts[0], parts[1], val, self.ptr[key].tolist()))
            else:
                self._layout.append((kind, (parts[0], parts[1], parts[2]), parts[3], val, self.ptr[key].tolist()))

    def __len__(self) -> int:
        return len(self.ids)

    def get(self, i: int) -> AMRGraphData:
        """Graph ``i`` as an :class:`~amrgnn.graph.hetero.AMRGraphData` (tensors are views)."""
        if not -len(self) <= i < len(self):
            raise IndexError(f"graph {i} out of range for {len(self)} graphs")
        i = i % len(self)
        data = AMRGraphData()
        mappings: dict[Any, dict[str, Any]] = {None: data._global_store._mapping}
        # A fresh store has no attribute caches to invalidate, so filling its mapping directly is
        # equivalent to setting attributes one by one through PyG's storage API, and much faster.
        for kind, skey, attr, val, p in self._layout:
            m = mappings.get(skey)
            if m is None:
                m = mappings[skey] = data[skey]._mapping
            if p is not None:
                m[attr] = val.narrow(-1, p[i], p[i + 1] - p[i])
            elif kind == "c":
                m[attr] = int(val[i])
            else:
                m[attr] = val.narrow(0, i, 1)
        for (src, rel, dst), rev in ((REL, "rev_rel"), (ALIGNED, "rev_aligned")):
            fwd = mappings.get((src, rel, dst))
            if fwd is not None:
                back = data[dst, rev, src]._mapping
                back["edge_index"] = fwd["edge_index"].flip(0)
                if "edge_type" in fwd:
                    back["edge_type"] = fwd["edge_type"]
        mappings[None]["amr_id"] = self.ids[i]
        mappings[None]["tokens"] = self.tokens[i]
        return data

    # ------------------------------------------------------------------ persistence
    def save(self, directory: str | os.PathLike) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        tensors = {k: v.contiguous() for k, v in self.values.items()}
        tensors.update({f"{k}#ptr": v.contiguous() for k, v in self.ptr.items()})
        save_file(tensors, str(d / "graphs.safetensors"))
        with open(d / "graphs.json", "w", encoding="utf-8") as fh:
            json.dump(
                {"format": "amrgnn-columns", "version": COLUMNS_FORMAT, "ids": self.ids, "tokens": self.tokens, "meta": self.meta},
                fh,
                ensure_ascii=False,
            )

    @classmethod
    def load(cls, directory: str | os.PathLike) -> GraphColumns:
        """Load what :meth:`save` wrote; a file that is not (or no longer) such a save raises
        :class:`~amrgnn.errors.UsageError` naming it."""
        d = Path(directory)
        head_path, data_path = d / "graphs.json", d / "graphs.safetensors"
        try:
            head = json.loads(head_path.read_text(encoding="utf-8"))
        except ValueError as e:  # JSON or UTF-8
            raise UsageError(f"{head_path}: damaged ({e})") from None
        if not isinstance(head, dict) or head.get("format") != "amrgnn-columns" or head.get("version") != COLUMNS_FORMAT:
            raise UsageError(f"{head_path}: not amrgnn processed graphs (format {COLUMNS_FORMAT})")
        try:
            tensors = load_file(str(data_path))
        except SafetensorError as e:
            raise UsageError(f"{data_path}: damaged ({e})") from None
        values = {k: v for k, v in tensors.items() if not k.endswith("#ptr")}
        ptr = {k[: -len("#ptr")]: v for k, v in tensors.items() if k.endswith("#ptr")}
        ids, tokens = head.get("ids"), head.get("tokens")
        n = len(ids) if isinstance(ids, list) else -1

        def consistent(key: str, v: Tensor) -> bool:  # one value per graph, or ragged with a [n + 1] ptr
            p = ptr.get(key)
            if p is None:
                return key[0] in "cg" and v.size(-1) == n
            return p.numel() == n + 1 and int(p[-1]) == v.size(-1)

        bad = [k for k, v in values.items() if not consistent(k, v)]
        if n < 0 or not isinstance(tokens, list) or len(tokens) != n or bad:
            raise UsageError(f"{data_path}: does not match {head_path.name} ({n} graphs; columns {bad[:3]} disagree)")
        return cls(values=values, ptr=ptr, ids=ids, tokens=tokens, meta=head.get("meta", {}))


class _Builder:
    def __init__(self) -> None:
        self.values: dict[str, list[Tensor]] = defaultdict(list)
        self.sizes: dict[str, list[Tensor]] = defaultdict(list)

    def per_graph(self, key: str, value: Tensor) -> None:
        self.values[key].append(value)

    def ragged(self, key: str, value: Tensor, sizes: Tensor) -> None:
        self.values[key].append(value)
        self.sizes[key].append(sizes)

    def finish(self) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
        values = {k: torch.cat(v, dim=-1) for k, v in self.values.items()}
        return values, {k: ptr(torch.cat(s)) for k, s in self.sizes.items()}


def _split_pairs(edge_index: Tensor, ptr: Tensor, num_graphs: int) -> tuple[Tensor, Tensor]:
    """Local (per-graph) indices and per-graph counts of edges of a disjoint union.

    ``edge_index`` must be sorted by graph (true for the outputs of k-hop and sub-word projection,
    which are sorted by source node)."""
    g = torch.searchsorted(ptr[1:], edge_index[0], right=True)
    return edge_index - ptr[g], torch.bincount(g, minlength=num_graphs)


def _add_graph_edges(b: _Builder, node: str, ei: Tensor, et: Tensor, ptr: Tensor, num_graphs: int, opts: EncodeOptions) -> None:
    """Store the union graph ``(ei, et)`` over ``node`` and its exact k-hop pairs, cut into graphs."""
    local, sizes = _split_pairs(ei, ptr, num_graphs)
    b.ragged(_edge_key(node, "amr", node, "edge_index"), local, sizes)
    b.ragged(_edge_key(node, "amr", node, "edge_type"), et, sizes)
    if opts.max_k > 0:
        hops = exact_k_hop_typed(ei, et, int(ptr[-1]), opts.max_k, undirected=opts.undirected)
        for k, h in enumerate(hops, 1):
            local, sizes = _split_pairs(h.edge_index, ptr, num_graphs)
            b.ragged(_edge_key(node, f"hop{k}", node, "edge_index"), local, sizes)
            b.ragged(_edge_key(node, f"hop{k}", node, "edge_type"), h.edge_type, sizes)


def _encode_chunk(b: _Builder, arrs: list[GraphArrays], tokens: list[list[str]], opts: EncodeOptions, tokenizer: Any) -> None:
    G = len(arrs)
    n_nodes = lengths(a.lemma for a in arrs)
    b.per_graph("c:" + CONCEPT, n_nodes)
    b.per_graph("c:" + TOKEN, torch.tensor([a.num_tokens for a in arrs], dtype=torch.long))
    b.per_graph("g:top", torch.tensor([a.top for a in arrs], dtype=torch.long))
    b.ragged(f"n:{CONCEPT}:lemma", flat(a.lemma for a in arrs), n_nodes)
    b.ragged(f"n:{CONCEPT}:sense", flat(a.sense for a in arrs), n_nodes)
    b.ragged(f"n:{CONCEPT}:is_constant", flat((a.is_constant for a in arrs), torch.bool), n_nodes)
    n_rel = lengths(a.rel_src for a in arrs)
    rel = torch.stack([flat(a.rel_src for a in arrs), flat(a.rel_dst for a in arrs)])
    b.ragged(_edge_key(CONCEPT, "rel", CONCEPT, "edge_index"), rel, n_rel)
    b.ragged(_edge_key(CONCEPT, "rel", CONCEPT, "edge_type"), flat(a.rel_type for a in arrs), n_rel)
    n_al = lengths(a.align_tok for a in arrs)
    al = torch.stack([flat(a.align_tok for a in arrs), flat(a.align_node for a in arrs)])
    b.ragged(_edge_key(TOKEN, "aligned", CONCEPT, "edge_index"), al, n_al)

    # The word-level token graphs of the chunk as one disjoint union.
    ei, et, tok_ptr = token_graph_union(arrs)
    _add_graph_edges(b, TOKEN, ei, et, tok_ptr, G, opts)

    if tokenizer is not None:
        enc = tokenizer(tokens, is_split_into_words=True, add_special_tokens=True, truncation=False, verbose=False)
        input_ids = [torch.tensor(x, dtype=torch.long) for x in enc["input_ids"]]
        n_sub = torch.tensor([x.numel() for x in input_ids], dtype=torch.long)
        sub_ptr = ptr(n_sub)
        word_ids = torch.cat(
            [torch.tensor([-1 if w is None else w + int(tok_ptr[g]) for w in enc.word_ids(g)], dtype=torch.long) for g in range(G)]
        )
        b.per_graph("c:" + SUBWORD, n_sub)
        b.ragged(f"n:{SUBWORD}:input_ids", torch.cat(input_ids), n_sub)
        pos = torch.nonzero(word_ids >= 0).view(-1)
        g_of = torch.searchsorted(sub_ptr[1:], pos, right=True)
        sub_of_local = torch.stack([pos - sub_ptr[g_of], word_ids[pos] - tok_ptr[g_of]])
        b.ragged(_edge_key(SUBWORD, "of", TOKEN, "edge_index"), sub_of_local, torch.bincount(g_of, minlength=G))
        s_ei, s_et = project_to_subwords(ei, et, word_ids, int(tok_ptr[-1]))
        _add_graph_edges(b, SUBWORD, s_ei, s_et, sub_ptr, G, opts)


def encode_amrs(
    amrs: Iterable[AMR],
    vocab: AMRVocab,
    *,
    options: EncodeOptions | None = None,
    tokenizer: Any = None,
    on_error: Any = None,
) -> GraphColumns:
    """Encode AMRs into :class:`GraphColumns` (see the module docstring).

    Args:
        amrs: the graphs (any iterable; consumed once).
        vocab: label ids.
        options: k-hop depth and direction, chunk size.
        tokenizer: a fast HuggingFace tokenizer; adds the ``subword`` node type.
        on_error: ``callable(amr, exception)``; when given, a graph whose conversion fails is passed
            to it and left out, otherwise the exception propagates.
    """
    with bulk_mode():
        return _encode_amrs(amrs, vocab, options or EncodeOptions(), tokenizer, on_error)


def _encode_amrs(amrs: Iterable[AMR], vocab: AMRVocab, opts: EncodeOptions, tokenizer: Any, on_error: Any) -> GraphColumns:
    b = _Builder()
    ids: list[str] = []
    all_tokens: list[list[str]] = []
    chunk: list[GraphArrays] = []
    chunk_tokens: list[list[str]] = []

    def flush() -> None:
        if chunk:
            _encode_chunk(b, chunk, chunk_tokens, opts, tokenizer)
            chunk.clear()
            chunk_tokens.clear()

    for amr in amrs:
        try:
            arr = extract_arrays(amr, vocab)
        except Exception as e:  # a converter bug must name the graph, not vanish
            if on_error is None:
                raise
            on_error(amr, e)
            continue
        chunk.append(arr)
        chunk_tokens.append(amr.tokens)
        ids.append(amr.id)
        all_tokens.append(amr.tokens)
        if len(chunk) >= opts.chunk_size:
            flush()
    flush()
    if not ids:
        return GraphColumns(values={}, ptr={}, ids=[], tokens=[], meta={"max_k": opts.max_k})
    values, ptr = b.finish()
    return GraphColumns(
        values=values,
        ptr=ptr,
        ids=ids,
        tokens=all_tokens,
        meta={"max_k": opts.max_k, "undirected": opts.undirected, "subwords": tokenizer is not None},
    )


def to_hetero(
    amr: AMR,
    vocab: AMRVocab,
    *,
    max_k: int = 0,
    undirected: bool = False,
    tokenizer: Any = None,
) -> AMRGraphData:
    """One AMR as an :class:`~amrgnn.graph.hetero.AMRGraphData` (node types ``concept`` and ``token``;
    with ``max_k > 0`` the exact k-hop structure of the token graph; with a tokenizer, ``subword``).

    Equal to ``encode_amrs([amr], ...).get(0)`` (same attributes, dtypes and order), but built from
    the Python lists of the one graph: its integer columns are one tensor, cut into views, and its
    k-hop structure comes from :func:`~amrgnn.graph.khop.k_hop_lists`. For one graph, the torch
    calls of the chunked path cost far more than the work; many graphs are faster through
    :func:`encode_amrs`.
    """
    if max_k < 0:
        raise ValueError(f"max_k must be >= 0, got {max_k}")
    a = extract_arrays(amr, vocab)
    ids = array("q")  # every integer column, one after the other
    sizes: list[int] = []
    items: list[tuple[Any, str, Any]] = []  # (store, attribute, value or (column, rows))

    def put(key: Any, attr: str, *rows: list[int]) -> None:
        items.append((key, attr, (len(sizes), len(rows))))
        start = len(ids)
        for row in rows:
            ids.extend(row)
        sizes.append(len(ids) - start)

    def graph(node: str, src: list[int], dst: list[int], typ: list[int], n: int) -> None:
        put((node, "amr", node), "edge_index", src, dst)
        put((node, "amr", node), "edge_type", typ)
        for k, (rows, cols, types) in enumerate(_hop_lists(src, dst, typ, n, max_k, undirected), 1):
            put((node, f"hop{k}", node), "edge_index", rows, cols)
            put((node, f"hop{k}", node), "edge_type", types)

    # The order of GraphColumns.get.
    items += [(CONCEPT, "num_nodes", len(a.lemma)), (TOKEN, "num_nodes", a.num_tokens)]
    put(None, "top", [a.top])  # so that `ids` is never empty
    put(CONCEPT, "lemma", a.lemma)
    put(CONCEPT, "sense", a.sense)
    items.append((CONCEPT, "is_constant", bool_tensor(a.is_constant)))
    put(REL, "edge_index", a.rel_src, a.rel_dst)
    put(REL, "edge_type", a.rel_type)
    put(ALIGNED, "edge_index", a.align_tok, a.align_node)
    word = token_edges(a)
    graph(TOKEN, *word, a.num_tokens)
    if tokenizer is not None:
        enc = tokenizer([amr.tokens], is_split_into_words=True, add_special_tokens=True, truncation=False, verbose=False)
        input_ids, word_ids = enc["input_ids"][0], enc.word_ids(0)
        subs: list[list[int]] = [[] for _ in range(a.num_tokens)]
        for pos, w in enumerate(word_ids):
            if w is not None:
                subs[w].append(pos)
        items.append((SUBWORD, "num_nodes", len(input_ids)))
        put(SUBWORD, "input_ids", input_ids)
        put((SUBWORD, "of", TOKEN), "edge_index", [p for p, w in enumerate(word_ids) if w is not None], [w for w in word_ids if w is not None])
        projected = sorted({(x, y, r) for i, j, r in zip(*word, strict=True) for x in subs[i] for y in subs[j]})
        graph(SUBWORD, *((list(t) for t in zip(*projected, strict=True)) if projected else ([], [], [])), len(input_ids))

    columns = torch.frombuffer(ids, dtype=torch.long).split(sizes)
    data = AMRGraphData()
    mappings: dict[Any, dict[str, Any]] = {None: data._global_store._mapping}
    for key, attr, value in items:  # a fresh store: filling its mapping is what GraphColumns.get does
        m = mappings.get(key)
        if m is None:
            m = mappings[key] = data[key]._mapping
        if isinstance(value, tuple):
            column, rows = value
            value = columns[column] if rows == 1 else columns[column].view(rows, sizes[column] // rows)
        m[attr] = value
    for (src_t, name, dst_t), rev in ((REL, "rev_rel"), (ALIGNED, "rev_aligned")):
        fwd = mappings[src_t, name, dst_t]
        back = data[dst_t, rev, src_t]._mapping
        back["edge_index"] = fwd["edge_index"].flip(0)
        if "edge_type" in fwd:
            back["edge_type"] = fwd["edge_type"]
    mappings[None]["amr_id"] = amr.id
    mappings[None]["tokens"] = amr.tokens
    return data


def _hop_lists(src: list[int], dst: list[int], typ: list[int], n: int, max_k: int, undirected: bool) -> list[tuple[list[int], list[int], list[int]]]:
    """The exact k-hop lists of one graph: plain Python when small, else the torch expansion."""
    if max_k == 0:
        return []
    if len(src) * (1 + undirected) <= khop.SMALL_GRAPH_EDGES:
        return k_hop_lists(src, dst, typ, n, max_k, undirected=undirected)
    ei = torch.tensor([src, dst], dtype=torch.long).view(2, -1)
    with bulk_mode():
        hops = exact_k_hop_typed(ei, torch.tensor(typ, dtype=torch.long), n, max_k, undirected=undirected)
    return [(*h.edge_index.tolist(), h.edge_type.tolist()) for h in hops]
