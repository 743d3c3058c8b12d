"""Disentangled multi-scale graph aggregation over exact-k-hop neighbourhoods."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor
from torch.nn import Embedding, Parameter
from torch_geometric.nn.conv import MessagePassing
from torch_geometric.nn.dense.linear import Linear
from torch_geometric.nn.inits import glorot, zeros

from ..graph.khop import KHop, exact_k_hop_typed

__all__ = ["MultiScaleAggregation", "COMBINE_MODES"]

COMBINE_MODES = ("cat", "sum", "attention")


class MultiScaleAggregation(MessagePassing):
    r"""Disentangled multi-scale aggregation (MS-G3D, Liu et al., CVPR 2020) over AMR graphs.

    Each scale :math:`k = 1..K` aggregates, independently, the nodes at *exact* shortest-path
    distance :math:`k` (:func:`~amrgnn.graph.exact_k_hop`), not the support of :math:`A^k`:

    .. math::
        \mathbf{h}_i^{(k)} = \Big( \sum_{j \in \mathcal{N}_k(i)}
        \frac{1}{\sqrt{d^{(k)}_{\mathrm{out}}(j)\, d^{(k)}_{\mathrm{in}}(i)}}
        \big( \mathbf{x}_j + \mathbf{e}^{(k)}_{r_{ji}} \big) \Big) \mathbf{\Theta}_k,
        \qquad \mathbf{h}_i^{(0)} = \mathbf{x}_i \mathbf{\Theta}_0,

    where :math:`\mathcal{N}_k(i)` are the nodes :math:`j` with a shortest path :math:`j \to i` of
    length :math:`k`, :math:`d^{(k)}` are the degrees of that scale's adjacency,
    :math:`r_{ji}` is the relation of the last edge of a shortest path and
    :math:`\mathbf{e}^{(k)}_r` a learned relation embedding per scale. The scales are combined by
    ``"cat"``: :math:`\mathbf{x}'_i = [\mathbf{h}^{(0)}_i \Vert \dots \Vert \mathbf{h}^{(K)}_i]
    \mathbf{W} + \mathbf{b}` (as the reference system), ``"sum"``: :math:`\sum_k \mathbf{h}^{(k)}_i
    + \mathbf{b}`, or ``"attention"``: :math:`\sum_k \alpha_{ik} \mathbf{h}^{(k)}_i + \mathbf{b}`
    with :math:`\alpha_{i\cdot} = \mathrm{softmax}_k(\mathbf{a}^\top \tanh \mathbf{h}^{(k)}_i)`.

    All scales travel in one ``propagate`` call over the concatenated k-hop pair lists, and one
    batched matrix product projects them, so time and memory grow with the number of k-hop pairs,
    never with ``nodes x nodes x K``.

    Args:
        in_channels (int): Size of each input sample.
        out_channels (int): Size of each output sample.
        num_scales (int): The number of scales :math:`K`.
        num_relations (int, optional): The number of relation ids; enables relation embeddings.
            (default: :obj:`None`)
        use_source (bool, optional): Include the source node state :math:`\mathbf{x}_j` in messages.
            (default: :obj:`True`)
        include_self (bool, optional): Include scale 0 (the node itself). (default: :obj:`True`)
        combine (str, optional): ``"cat"``, ``"sum"`` or ``"attention"``. (default: :obj:`"cat"`)
        normalize (bool, optional): Symmetric normalisation per scale. (default: :obj:`True`)
        undirected (bool, optional): When the layer computes the k-hop structure itself, treat edges
            as undirected. (default: :obj:`False`)
        bias (bool, optional): Learn an additive bias. (default: :obj:`True`)
        **kwargs (optional): Additional arguments of
            :class:`torch_geometric.nn.conv.MessagePassing`.

    Shapes:
        - **input:** node features :math:`(|\mathcal{V}|, F_{in})`, edge indices
          :math:`(2, |\mathcal{E}|)`, edge types :math:`(|\mathcal{E}|)` *(optional)*, or precomputed
          ``hops``: :math:`K` pairs of :math:`(2, |\mathcal{E}_k|)` indices and :math:`(|\mathcal{E}_k|)`
          types
        - **output:** node features :math:`(|\mathcal{V}|, F_{out})`
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        num_scales: int,
        num_relations: int | None = None,
        *,
        use_source: bool = True,
        include_self: bool = True,
        combine: str = "cat",
        normalize: bool = True,
        undirected: bool = False,
        bias: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        if num_scales < 1:
            raise ValueError(f"num_scales must be >= 1, got {num_scales}")
        if combine not in COMBINE_MODES:
            raise ValueError(f"combine must be one of {COMBINE_MODES}, got {combine!r}")
        if not use_source and not num_relations:
            raise ValueError("messages need the source state (use_source=True) or relations (num_relations)")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_scales = num_scales
        self.num_relations = num_relations
        self.use_source = use_source
        self.include_self = include_self
        self.combine = combine
        self.normalize = normalize
        self.undirected = undirected

        self.weight = Parameter(torch.empty(num_scales, in_channels, out_channels))
        self.rel_emb = Embedding(num_scales * num_relations, in_channels) if num_relations else None
        self.lin_self = Linear(in_channels, out_channels, bias=False) if include_self else None
        n_out = num_scales + int(include_self)
        self.lin_out = Linear(n_out * out_channels, out_channels, bias=False) if combine == "cat" else None
        self.att = Parameter(torch.empty(out_channels)) if combine == "attention" else None
        self.bias = Parameter(torch.empty(out_channels)) if bias else None
        self._cache: tuple[tuple, list[KHop]] | None = None  # ((edge_index, version, edge_type, version, N), hops)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        super().reset_parameters()
        glorot(self.weight)
        if self.rel_emb is not None:
            torch.nn.init.normal_(self.rel_emb.weight, std=1.0 / math.sqrt(self.in_channels))
        if self.lin_self is not None:
            self.lin_self.reset_parameters()
        if self.lin_out is not None:
            self.lin_out.reset_parameters()
        if self.att is not None:
            torch.nn.init.normal_(self.att, std=1.0 / math.sqrt(self.out_channels))
        zeros(self.bias)

    # ------------------------------------------------------------------ k-hop structure
    def k_hop(self, edge_index: Tensor, edge_type: Tensor | None, num_nodes: int) -> list[KHop]:
        """The exact-k-hop structure of a graph, cached for the last graph seen (so that a stack of
        layers, or one layer called again on the same batch, computes it once).

        The cache holds the tensors it was computed from and hits only for those very objects
        (``is``) at the same ``_version``: a data pointer alone could be another graph's once its
        memory is freed and reused. Writes that bypass torch's version counter (e.g. to a numpy
        array under ``torch.from_numpy``) are not seen: pass a new tensor for a new graph.
        """
        cached = self._cache
        if cached is not None:
            (ei, ei_version, et, et_version, n), hops = cached
            if (
                ei is edge_index
                and ei_version == edge_index._version
                and et is edge_type
                and (et is None or et_version == edge_type._version)
                and n == num_nodes
            ):
                return hops
        hops = exact_k_hop_typed(edge_index, edge_type, num_nodes, self.num_scales, undirected=self.undirected)
        et_version = None if edge_type is None else edge_type._version
        self._cache = ((edge_index, edge_index._version, edge_type, et_version, num_nodes), hops)
        return hops

    # ------------------------------------------------------------------ forward
    def forward(
        self,
        x: Tensor,
        edge_index: Tensor | None = None,
        edge_type: Tensor | None = None,
        *,
        hops: list[KHop] | list[tuple[Tensor, Tensor]] | None = None,
    ) -> Tensor:
        """Aggregate over the scales; pass ``hops`` (e.g. from :class:`~amrgnn.nn.AddExactKHop`) to
        skip computing the k-hop structure."""
        n = x.size(0)
        if hops is None:
            if edge_index is None:
                raise ValueError("pass edge_index (and edge_type) or precomputed hops")
            if self.rel_emb is not None and edge_type is None:
                raise ValueError("this layer is relation-aware: pass edge_type (or hops with relation types)")
            hops = self.k_hop(edge_index, edge_type, n)
        if len(hops) < self.num_scales:
            raise ValueError(f"{len(hops)} scales of k-hop pairs given, the layer has num_scales={self.num_scales}")
        hops = list(hops)[: self.num_scales]

        src = torch.cat([h[0][0] for h in hops])
        dst = torch.cat([h[0][1] + k * n for k, h in enumerate(hops)])
        counts = torch.tensor([h[0].size(1) for h in hops], device=x.device)
        scale = torch.repeat_interleave(torch.arange(self.num_scales, device=x.device), counts, output_size=src.numel())
        rel = None
        if self.rel_emb is not None:
            types = [h[1] for h in hops]
            if any(t is None for t in types):
                raise ValueError("this layer is relation-aware: pass edge_type (or hops with relation types)")
            rel = self.rel_emb(scale * self.num_relations + torch.cat(types))
        norm = None
        if self.normalize:
            deg_out = torch.bincount(scale * n + src, minlength=self.num_scales * n)
            deg_in = torch.bincount(dst, minlength=self.num_scales * n)
            norm = (deg_out[scale * n + src] * deg_in[dst]).to(x.dtype).rsqrt()

        agg = self.propagate(torch.stack([src, dst]), x=(x, None), rel=rel, norm=norm, size=(n, self.num_scales * n))
        h = torch.bmm(agg.view(self.num_scales, n, self.in_channels), self.weight.to(x.dtype))  # [K, N, C]
        if self.lin_self is not None:
            h = torch.cat([self.lin_self(x).unsqueeze(0), h], dim=0)
        if self.combine == "cat":
            out = self.lin_out(h.permute(1, 0, 2).reshape(n, -1))
        elif self.combine == "sum":
            out = h.sum(0)
        else:
            alpha = torch.softmax(torch.tanh(h) @ self.att.to(x.dtype), dim=0)  # [S, N]
            out = (alpha.unsqueeze(-1) * h).sum(0)
        if self.bias is not None:
            out = out + self.bias
        return out

    def message(self, x_j: Tensor, rel: Tensor | None, norm: Tensor | None) -> Tensor:
        m = x_j if self.use_source else torch.zeros_like(x_j)
        if rel is not None:
            m = m + rel.to(x_j.dtype)
        return m if norm is None else norm.view(-1, 1) * m

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}({self.in_channels}, {self.out_channels}, num_scales={self.num_scales}, "
            f"num_relations={self.num_relations}, combine={self.combine!r}, include_self={self.include_self})"
        )
