"""Precomputing the exact-k-hop structure into the data (the fast path for repeated epochs)."""

from __future__ import annotations

from torch_geometric.data import Data, HeteroData
from torch_geometric.transforms import BaseTransform

from ..graph.khop import KHop, exact_k_hop_typed

__all__ = ["AddExactKHop", "hops_from"]


class AddExactKHop(BaseTransform):
    r"""Adds the pairs at exact distance :math:`k = 1..K` (and the relation of the last edge of a
    shortest path) to a graph, so that :class:`~amrgnn.nn.MultiScaleAggregation` need not compute
    them in every epoch.

    On :class:`~torch_geometric.data.Data` it writes ``hop{k}_index`` ``[2, E_k]`` and
    ``hop{k}_type`` ``[E_k]`` (``*_index`` attributes are offset by PyG when batching). On
    :class:`~torch_geometric.data.HeteroData` it adds the edge types ``(t, "hop{k}", t)`` for the
    node type ``t`` and the relation ``(t, rel, t)`` given.

    Args:
        max_k (int): The largest distance :math:`K`.
        undirected (bool, optional): Treat edges as undirected. (default: :obj:`False`)
        edge_type (tuple, optional): For ``HeteroData``: the ``(t, rel, t)`` edge type to expand.
            (default: ``("token", "amr", "token")``)
    """

    def __init__(self, max_k: int, undirected: bool = False, edge_type: tuple[str, str, str] = ("token", "amr", "token")) -> None:
        self.max_k = max_k
        self.undirected = undirected
        self.edge_type = edge_type

    def forward(self, data: Data | HeteroData) -> Data | HeteroData:
        if isinstance(data, HeteroData):
            src, _, dst = self.edge_type
            if src != dst:
                raise ValueError(f"k-hop needs a relation within one node type, got {self.edge_type}")
            store = data[self.edge_type]
            hops = exact_k_hop_typed(store.edge_index, store.get("edge_type"), data[src].num_nodes, self.max_k, undirected=self.undirected)
            for k, h in enumerate(hops, 1):
                data[src, f"hop{k}", src].edge_index = h.edge_index
                data[src, f"hop{k}", src].edge_type = h.edge_type
            return data
        hops = exact_k_hop_typed(data.edge_index, data.get("edge_type"), data.num_nodes, self.max_k, undirected=self.undirected)
        for k, h in enumerate(hops, 1):
            data[f"hop{k}_index"] = h.edge_index
            data[f"hop{k}_type"] = h.edge_type
        return data

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(max_k={self.max_k}, undirected={self.undirected})"


def hops_from(data: Data | HeteroData, max_k: int, node_type: str | None = None) -> list[KHop]:
    """The precomputed k-hop pairs of a (batched) graph, as :class:`~amrgnn.graph.KHop` tuples.

    For ``HeteroData`` give the ``node_type`` (``"token"``, ``"subword"`` or ``"concept"``).
    """
    out = []
    for k in range(1, max_k + 1):
        if isinstance(data, HeteroData):
            if node_type is None:
                raise ValueError("HeteroData: say which node type's k-hop pairs to use (node_type=...)")
            key = (node_type, f"hop{k}", node_type)
            if key not in data.edge_types:
                raise KeyError(f"no {key} edges: prepare with max_k >= {max_k} or apply AddExactKHop")
            out.append(KHop(data[key].edge_index, data[key].edge_type))
        else:
            if f"hop{k}_index" not in data:
                raise KeyError(f"no hop{k}_index: apply AddExactKHop(max_k >= {max_k}) first")
            out.append(KHop(data[f"hop{k}_index"], data[f"hop{k}_type"]))
    return out
