r"""Graph-aware disentangled attention: DeBERTa's attention plus source-to-edge and edge-to-target.

A fused layer's scores are

.. math::
    A_{ij} = \frac{1}{\sqrt{d\,s}} \Big( \underbrace{q_i \cdot k_j}_{c2c}
      + \underbrace{q_i \cdot K^g_j}_{s2e} + \underbrace{Q^g_i \cdot k_j}_{e2t} \Big)
      + \underbrace{\mathrm{c2p}_{ij} + \mathrm{p2c}_{ij}}_{\text{DeBERTa's bias}},

with :math:`s` DeBERTa's ``scale_factor`` (1 + the number of position terms: the graph terms do
not change it, so a model whose graph projections are zero *is* the stock model). With per-token
graph states, :math:`c2c + s2e + e2t = [q_i \,|\, Q^g_i] \cdot [k_j + K^g_j \,|\, k_j]`: one product
of width :math:`2d`, so only c2p/p2c remain an additive bias. In ``"relation"`` mode
:math:`K^g_j, Q^g_i` become :math:`K^r_{r(i,j)}, Q^r_{r(i,j)}` (an embedding per relation, gathered
per pair as c2p gathers per relative position) and join the bias.

The modules subclass transformers' DeBERTa-v2 modules and keep their parameter names, so stock
weights load into them unchanged; DeBERTa's own ``disentangled_attention_bias`` computes c2p/p2c.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from transformers.modeling_layers import GradientCheckpointingLayer
from transformers.models.deberta_v2.modeling_deberta_v2 import (
    DebertaV2Intermediate,
    DebertaV2Output,
    DebertaV2SelfOutput,
    DisentangledSelfAttention,
    scaled_size_sqrt,
)

from .configuration import AMRDebertaConfig
from .graph_inputs import GraphContext
from .graph_states import MultiScaleGraphStates

__all__ = ["AMRDebertaAttention", "AMRDebertaLayer", "AMRDisentangledSelfAttention", "GraphProjection"]


class GraphProjection(nn.Linear):
    """Projects graph states to per-head keys or queries; starts at zero (see ``_init_weights``), so
    a fused layer starts out as the stock one."""


class AMRDisentangledSelfAttention(DisentangledSelfAttention):
    """:class:`~transformers.models.deberta_v2.modeling_deberta_v2.DisentangledSelfAttention` with
    the s2e/e2t graph terms (on the layers ``config.fused_layers`` names).

    Args:
        config: the model configuration.
        fused: whether this layer carries graph terms.
    """

    def __init__(self, config: AMRDebertaConfig, fused: bool) -> None:
        super().__init__(config)
        self.fused = fused
        self.graph_mode = config.graph_attention if fused else "none"
        self.config = config  # read _attn_implementation per call: set_attn_implementation may change it
        if self.graph_mode != "none":
            self.graph_key_proj = GraphProjection(config.graph_hidden_size, self.all_head_size, bias=False)
            self.graph_query_proj = GraphProjection(config.graph_hidden_size, self.all_head_size, bias=False)

    def _heads(self, x: Tensor) -> Tensor:
        """``[B, L, H*d]`` -> ``[B*H, L, d]`` (DeBERTa's layout)."""
        return self.transpose_for_scores(x, self.num_attention_heads)

    def forward(
        self,
        hidden_states: Tensor,
        attention_mask: Tensor,
        output_attentions: bool = False,
        query_states: Tensor | None = None,
        relative_pos: Tensor | None = None,
        rel_embeddings: Tensor | None = None,
        graph_states: Tensor | None = None,
        graph: GraphContext | None = None,
    ) -> tuple[Tensor, Tensor | None]:
        """DeBERTa's attention; with ``graph_states`` ``[B, L, G]`` (multiscale) or ``graph``
        (relation mode) on a fused layer, plus s2e and e2t.

        Shapes:
            hidden_states: ``[B, L, hidden]``; attention_mask: ``[B, 1, L, L]``;
            output: ``[B, L, H*d]`` and, with ``output_attentions``, ``[B, H, L, L]``.
        """
        if query_states is None:
            query_states = hidden_states
        query_layer = self._heads(self.query_proj(query_states))
        key_layer = self._heads(self.key_proj(hidden_states))
        value_layer = self._heads(self.value_proj(hidden_states))

        scale_factor = 1 + ("c2p" in self.pos_att_type) + ("p2c" in self.pos_att_type)
        scale_t = scaled_size_sqrt(query_layer, scale_factor).to(dtype=query_layer.dtype)
        scale = float(scale_t)
        rel_att = None
        if self.relative_attention:
            rel_att = self.disentangled_attention_bias(
                query_layer, key_layer, relative_pos, self.pos_dropout(rel_embeddings), scale_factor
            )

        q, k = query_layer, key_layer
        if self.graph_mode == "multiscale" and graph_states is not None:
            graph_keys = self._heads(self.graph_key_proj(graph_states))
            graph_queries = self._heads(self.graph_query_proj(graph_states))
            q = torch.cat([query_layer, graph_queries], dim=-1)
            k = torch.cat([key_layer + graph_keys, key_layer], dim=-1)
        elif self.graph_mode == "relation" and graph is not None:
            bias = self.relation_bias(query_layer, key_layer, graph, scale)
            rel_att = bias if rel_att is None else rel_att + bias

        batch, heads, length = hidden_states.size(0), self.num_attention_heads, key_layer.size(-2)
        mask = attention_mask.bool()
        if self.config._attn_implementation == "sdpa" and not output_attentions:
            return self._sdpa(q, k, value_layer, rel_att, mask, scale, batch), None

        # The stock computation, step for step (bit-identical when no graph term is active).
        scores = torch.bmm(q, k.transpose(-1, -2) / scale_t)
        if rel_att is not None:
            scores = scores + rel_att
        scores = scores.view(-1, heads, scores.size(-2), length)
        scores = scores.masked_fill(~mask, torch.finfo(q.dtype).min)
        probs = self.dropout(nn.functional.softmax(scores, dim=-1))
        context = torch.bmm(probs.view(-1, probs.size(-2), length), value_layer)
        context = context.view(batch, heads, -1, context.size(-1)).permute(0, 2, 1, 3).reshape(batch, -1, heads * context.size(-1))
        return context, (probs if output_attentions else None)

    def _sdpa(self, q: Tensor, k: Tensor, v: Tensor, bias: Tensor | None, mask: Tensor, scale: float, batch: int) -> Tensor:
        """The same attention through ``scaled_dot_product_attention``, c2p/p2c (and relation
        terms) entering as an additive float mask."""
        heads = self.num_attention_heads
        q4, k4, v4 = (t.view(batch, heads, t.size(-2), t.size(-1)) for t in (q, k, v))
        neg = torch.finfo(q.dtype).min
        if bias is None:
            attn_mask = torch.zeros(mask.shape, dtype=q.dtype, device=q.device).masked_fill_(~mask, neg)
        else:
            attn_mask = bias.view(batch, heads, bias.size(-2), bias.size(-1)).masked_fill(~mask, neg)
        p = self.dropout.p if self.training else 0.0
        out = nn.functional.scaled_dot_product_attention(q4, k4, v4, attn_mask=attn_mask, dropout_p=p, scale=1.0 / scale)
        return out.permute(0, 2, 1, 3).reshape(batch, -1, heads * v.size(-1))

    def relation_bias(self, query_layer: Tensor, key_layer: Tensor, graph: GraphContext, scale: float) -> Tensor:
        """s2e + e2t from relation embeddings gathered per pair (``[B*H, L, L]``, already scaled)."""
        table = graph.relation_table  # [R', G]
        rel = graph.pair_relations  # [B, L, L]
        heads = self.num_attention_heads
        rk = self.graph_key_proj(table).view(table.size(0), heads, -1).transpose(0, 1)  # [H, R', d]
        rq = self.graph_query_proj(table).view(table.size(0), heads, -1).transpose(0, 1)
        batch = rel.size(0)
        qh = query_layer.view(batch, heads, query_layer.size(-2), -1)
        kh = key_layer.view(batch, heads, key_layer.size(-2), -1)
        index = rel.unsqueeze(1).expand(batch, heads, rel.size(1), rel.size(2))
        s2e = torch.gather(torch.matmul(qh, rk.unsqueeze(0).transpose(-1, -2)), -1, index)  # q_i . K_{r(i,j)}
        e2t = torch.gather(torch.matmul(kh, rq.unsqueeze(0).transpose(-1, -2)), -1, index.transpose(-1, -2))
        bias = (s2e + e2t.transpose(-1, -2)) / scale
        return bias.reshape(batch * heads, rel.size(1), rel.size(2))


class AMRDebertaAttention(nn.Module):
    """Self-attention plus DeBERTa's output block (``self`` / ``output``, the stock names)."""

    def __init__(self, config: AMRDebertaConfig, fused: bool) -> None:
        super().__init__()
        self.self = AMRDisentangledSelfAttention(config, fused)
        self.output = DebertaV2SelfOutput(config)

    def forward(
        self,
        hidden_states: Tensor,
        attention_mask: Tensor,
        output_attentions: bool = False,
        query_states: Tensor | None = None,
        relative_pos: Tensor | None = None,
        rel_embeddings: Tensor | None = None,
        graph_states: Tensor | None = None,
        graph: GraphContext | None = None,
    ) -> tuple[Tensor, Tensor | None]:
        self_output, att_matrix = self.self(
            hidden_states,
            attention_mask,
            output_attentions,
            query_states=query_states,
            relative_pos=relative_pos,
            rel_embeddings=rel_embeddings,
            graph_states=graph_states,
            graph=graph,
        )
        residual = hidden_states if query_states is None else query_states
        return self.output(self_output, residual), att_matrix


class AMRDebertaLayer(GradientCheckpointingLayer):
    """A DeBERTa-v2 layer whose attention may carry graph terms.

    With ``graph_state_input="hidden"`` a fused layer owns a :class:`MultiScaleGraphStates` over its
    own input hidden states; otherwise it reads the shared states of the :class:`GraphContext`.
    """

    def __init__(self, config: AMRDebertaConfig, index: int) -> None:
        super().__init__()
        fused = index in config.fused_layers
        self.attention = AMRDebertaAttention(config, fused)
        self.intermediate = DebertaV2Intermediate(config)
        self.output = DebertaV2Output(config)
        self.graph_states = (
            MultiScaleGraphStates(config)
            if fused and config.graph_attention == "multiscale" and config.graph_state_input == "hidden"
            else None
        )

    @property
    def fused(self) -> bool:
        return self.attention.self.fused

    def forward(
        self,
        hidden_states: Tensor,
        attention_mask: Tensor,
        query_states: Tensor | None = None,
        relative_pos: Tensor | None = None,
        rel_embeddings: Tensor | None = None,
        output_attentions: bool = False,
        graph: GraphContext | None = None,
    ) -> tuple[Tensor, Tensor | None]:
        states = None
        if graph is not None and self.fused:
            if self.graph_states is not None:
                states = self.graph_states(hidden_states, graph.hops)
            else:
                states = graph.states
        attention_output, att_matrix = self.attention(
            hidden_states,
            attention_mask,
            output_attentions=output_attentions,
            query_states=query_states,
            relative_pos=relative_pos,
            rel_embeddings=rel_embeddings,
            graph_states=states,
            graph=graph,
        )
        layer_output = self.output(self.intermediate(attention_output), attention_output)
        return layer_output, att_matrix
