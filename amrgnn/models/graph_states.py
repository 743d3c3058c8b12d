"""Per-token graph states: the multi-scale aggregation over the sub-word token graph."""

from __future__ import annotations

from torch import Tensor, nn
from transformers.activations import ACT2FN

from ..graph.khop import KHop
from ..nn.multiscale import MultiScaleAggregation
from .configuration import AMRDebertaConfig

__all__ = ["MultiScaleGraphStates"]


class MultiScaleGraphStates(nn.Module):
    r"""Graph states :math:`g = \mathrm{LN}(\mathrm{MSA}(\sigma(h W)))` of every sub-word position.

    ``h`` is the embedding output (one pass for all fused layers) or a layer's input hidden
    states; :class:`~amrgnn.nn.MultiScaleAggregation` aggregates the exact-distance
    neighbourhoods ``k = 1..K`` of the token graph with relation embeddings. Positions without
    edges (padding, special tokens, unaligned words) keep only their own term.

    Shapes:
        - **input:** hidden states ``[B, L, hidden]``, ``hops`` over the ``B * L`` positions
        - **output:** ``[B, L, graph_hidden_size]``
    """

    def __init__(self, config: AMRDebertaConfig) -> None:
        super().__init__()
        g = config.graph_hidden_size
        self.input_proj = nn.Linear(config.hidden_size, g)
        self.act = ACT2FN[config.hidden_act]
        self.aggregate = MultiScaleAggregation(
            g,
            g,
            config.graph_num_scales,
            config.graph_num_relations,
            combine=config.graph_combine,
            undirected=config.graph_undirected,
        )
        self.LayerNorm = nn.LayerNorm(g, eps=config.layer_norm_eps)
        p = config.hidden_dropout_prob if config.graph_dropout is None else config.graph_dropout
        self.dropout = nn.Dropout(p)

    def forward(self, hidden_states: Tensor, hops: list[KHop]) -> Tensor:
        b, length, _ = hidden_states.shape
        x = self.act(self.input_proj(hidden_states)).reshape(b * length, -1)
        x = self.aggregate(x, hops=hops)
        return self.dropout(self.LayerNorm(x)).view(b, length, -1)
