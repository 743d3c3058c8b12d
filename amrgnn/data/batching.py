"""The token graph as the encoder receives it: one PyG batch over the padded sub-word positions.

Each sentence's graph is a :class:`~torch_geometric.data.Data` whose nodes are the sub-word
positions of its encoding (special tokens included, as ``data['subword']`` of
:func:`~amrgnn.graph.to_hetero`); with ``num_nodes`` set to the padded length ``L``, PyG batching
offsets sentence ``b``'s positions by ``b * L``, so node ``b * L + i`` is ``input_ids[b, i]``. The
exact-k-hop pairs travel as ``hop{k}_index`` / ``hop{k}_type`` (:class:`~amrgnn.nn.AddExactKHop`),
computed once per batch when absent.
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import Tensor
from torch_geometric.data import Batch, Data, HeteroData

from ..graph.hetero import SUBWORD
from ..graph.khop import exact_k_hop_typed

__all__ = ["batch_token_graphs", "subword_token_graph", "token_graph_data"]


def token_graph_data(edge_index: Tensor, edge_type: Tensor, seq_len: int | None = None) -> Data:
    """One sentence's sub-word token graph as a :class:`~torch_geometric.data.Data`.

    Args:
        edge_index: ``[2, E]`` edges between sub-word positions (source -> target).
        edge_type: ``[E]`` relation ids (:class:`~amrgnn.graph.AMRVocab` relations).
        seq_len: number of positions (default: set when batching).
    """
    data = Data(edge_index=edge_index.long(), edge_type=edge_type.long())
    if seq_len is not None:
        data.num_nodes = seq_len
    return data


def subword_token_graph(data: HeteroData, max_len: int | None = None) -> tuple[Data, int]:
    """The sub-word token graph of one :class:`~amrgnn.graph.AMRGraphData` (built with a
    tokenizer), cut to the first ``max_len`` positions.

    Returns:
        The graph (:func:`token_graph_data`) and the number of edges dropped by the cut.
    """
    key = (SUBWORD, "amr", SUBWORD)
    if key not in data.edge_types:
        raise KeyError(f"{data.get('amr_id', 'graph')}: no sub-word token graph; build it with a tokenizer")
    ei, et = data[key].edge_index, data[key].edge_type
    dropped = 0
    if max_len is not None:
        keep = (ei < max_len).all(0)
        dropped = int((~keep).sum())
        ei, et = ei[:, keep], et[keep]
    return token_graph_data(ei, et), dropped


def batch_token_graphs(
    graphs: Sequence[Data], seq_len: int, *, max_k: int | None = None, undirected: bool = True
) -> Batch:
    """Batch per-sentence token graphs over ``[B, seq_len]`` padded positions.

    Args:
        graphs: one :class:`~torch_geometric.data.Data` per sentence (``edge_index``, ``edge_type``,
            optionally precomputed ``hop{k}_index`` / ``hop{k}_type``).
        seq_len: the padded length ``L`` of the batch's ``input_ids``.
        max_k: add the exact-k-hop pairs ``k = 1..max_k`` where a graph lacks them (computed once on
            the whole batch; graphs are disjoint, so this equals the per-graph result).
        undirected: for the k-hop pairs computed here.

    Raises:
        ValueError: an edge refers to a position ``>= seq_len`` (truncate the graph first).
    """
    items = []
    for b, g in enumerate(graphs):
        ei = g.edge_index
        if ei.numel() and int(ei.max()) >= seq_len:
            raise ValueError(
                f"token graph {b}: edge to position {int(ei.max())} but the batch has seq_len={seq_len}; "
                "truncate the graph to the encoded length"
            )
        g = g.clone()
        g.num_nodes = seq_len
        items.append(g)
    batch = Batch.from_data_list(items)
    if max_k:
        have = all(f"hop{k}_index" in batch for k in range(1, max_k + 1))
        if not have:
            hops = exact_k_hop_typed(batch.edge_index, batch.edge_type, batch.num_nodes, max_k, undirected=undirected)
            for k, h in enumerate(hops, 1):
                batch[f"hop{k}_index"] = h.edge_index
                batch[f"hop{k}_type"] = h.edge_type
    return batch
