"""The AMR-aware DeBERTa encoder: transformers' DeBERTa-v2 with graph terms in its attention."""

from __future__ import annotations

import math
import re
from typing import Any

import torch
from torch import Tensor, nn
from torch_geometric.data import Data
from torch_geometric.nn.dense.linear import Linear as PygLinear
from transformers import initialization as init
from transformers.modeling_outputs import BaseModelOutput
from transformers.models.deberta_v2.modeling_deberta_v2 import (
    DebertaV2Embeddings,
    DebertaV2Encoder,
    DebertaV2PreTrainedModel,
)
from transformers.utils import logging

from ..graph.khop import KHop, exact_k_hop_typed
from ..nn.multiscale import MultiScaleAggregation
from .attention import AMRDebertaLayer, GraphProjection
from .configuration import AMRDebertaConfig
from .graph_inputs import GraphContext, pair_relations
from .graph_states import MultiScaleGraphStates

logger = logging.get_logger(__name__)

__all__ = ["AMRDebertaEncoder", "AMRDebertaModel", "AMRDebertaPreTrainedModel"]

#: Parameters that a stock DeBERTa checkpoint does not have (initialised when loading one).
GRAPH_PARAMETER_PATTERN = r"(^|\.)(graph_states|graph_key_proj|graph_query_proj|relation_embeddings)\."


class RelationEmbedding(nn.Embedding):
    """Relation embeddings of ``graph_attention="relation"``; unit scale like the layer-normed
    states they sit beside (see ``_init_weights``)."""


class AMRDebertaPreTrainedModel(DebertaV2PreTrainedModel):
    """Base class: configuration, weight initialisation and loading of stock DeBERTa checkpoints."""

    config_class = AMRDebertaConfig
    config: AMRDebertaConfig
    base_model_prefix = "deberta"
    supports_gradient_checkpointing = True
    _supports_sdpa = True
    #: losses are means over the batch; the Trainer must not pass ``num_items_in_batch``.
    accepts_loss_kwargs = False
    #: regexes of parameter names a stock DeBERTa checkpoint may lack (heads extend it).
    _new_parameter_patterns: tuple[str, ...] = (GRAPH_PARAMETER_PATTERN,)

    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        std = self.config.initializer_range
        if isinstance(module, GraphProjection):
            init.zeros_(module.weight)  # a fused layer starts out as the stock one
        elif isinstance(module, RelationEmbedding):
            init.normal_(module.weight, mean=0.0, std=1.0)
        elif isinstance(module, PygLinear):
            init.normal_(module.weight, mean=0.0, std=std)
            if module.bias is not None:
                init.zeros_(module.bias)
        elif isinstance(module, MultiScaleAggregation):
            bound = math.sqrt(6.0 / (module.weight.size(-2) + module.weight.size(-1)))
            init.uniform_(module.weight, -bound, bound)
            if module.att is not None:
                init.normal_(module.att, mean=0.0, std=1.0 / math.sqrt(module.out_channels))
            if module.bias is not None:
                init.zeros_(module.bias)

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: Any, *model_args: Any, **kwargs: Any) -> Any:
        """Load an amrgnn checkpoint, or ANY DeBERTa-v2/v3 one (``deberta-v2`` config and weights):
        the backbone loads strictly (a missing or mis-shaped backbone tensor is an error), the graph
        (and head) parameters it lacks are initialised and named in the log."""
        want_info = kwargs.pop("output_loading_info", False)
        model, info = super().from_pretrained(pretrained_model_name_or_path, *model_args, output_loading_info=True, **kwargs)
        new = re.compile("|".join(model._new_parameter_patterns))
        missing = sorted(info.get("missing_keys", []))
        backbone_missing = [k for k in missing if not new.search(k)]
        mismatched = [k if isinstance(k, str) else k[0] for k in info.get("mismatched_keys", [])]
        if backbone_missing or mismatched:
            raise ValueError(
                f"{pretrained_model_name_or_path}: the checkpoint does not fit the backbone of {cls.__name__}: "
                f"missing {backbone_missing[:8]}{'...' if len(backbone_missing) > 8 else ''}, "
                f"mismatched shapes {mismatched[:8]}"
            )
        #: names of the parameters this load initialised (trainers give them the head learning rate)
        model.initialised_parameters = list(missing)
        if missing:
            groups = sorted({re.sub(r"\.\d+\.", ".*.", k) for k in missing})
            logger.info(
                "%s: %d parameter tensors not in %s were initialised: %s",
                cls.__name__,
                len(missing),
                pretrained_model_name_or_path,
                ", ".join(groups),
            )
        return (model, info) if want_info else model


class AMRDebertaEncoder(DebertaV2Encoder):
    """DeBERTa-v2's encoder with :class:`AMRDebertaLayer` layers and the shared graph modules.

    Keeps every stock parameter name (``layer.N.attention.self.query_proj`` ...) and reuses the
    stock relative-position helpers; adds ``graph_states`` (one multi-scale pass for all fused
    layers) or ``relation_embeddings`` (relation mode).
    """

    def __init__(self, config: AMRDebertaConfig) -> None:
        super().__init__(config)
        self.config = config
        self.layer = nn.ModuleList([AMRDebertaLayer(config, i) for i in range(config.num_hidden_layers)])
        self.graph_mode = config.graph_attention if config.fused_layers else "none"
        self.graph_states = (
            MultiScaleGraphStates(config)
            if self.graph_mode == "multiscale" and config.graph_state_input == "embeddings"
            else None
        )
        n_rel = config.graph_num_relations * (2 if config.graph_undirected else 1)
        self.relation_embeddings = (
            RelationEmbedding(n_rel, config.graph_hidden_size) if self.graph_mode == "relation" else None
        )

    def graph_context(self, embedding_output: Tensor, graph: Data) -> GraphContext:
        """Everything the fused layers read from the batch's token graph, computed once."""
        config = self.config
        b, length = embedding_output.shape[:2]
        if graph.num_nodes != b * length:
            raise ValueError(
                f"graph has {graph.num_nodes} nodes but the batch has {b} x {length} positions: batch the "
                "token graphs with amrgnn.data.batch_token_graphs(graphs, seq_len=input_ids.size(1))"
            )
        graph = graph.to(embedding_output.device)
        ctx = GraphContext(batch_size=b, seq_len=length)
        if self.graph_mode == "multiscale":
            ctx.hops = _hops(graph, config.graph_num_scales, config.graph_undirected)
            if self.graph_states is not None:
                ctx.states = self.graph_states(embedding_output, ctx.hops)
        elif self.graph_mode == "relation":
            ctx.relation_table = self.relation_embeddings.weight
            ctx.pair_relations = pair_relations(
                graph, b, length, config.graph_num_relations, undirected=config.graph_undirected
            )
        return ctx

    def forward(
        self,
        hidden_states: Tensor,
        attention_mask: Tensor,
        output_hidden_states: bool = True,
        output_attentions: bool = False,
        query_states: Tensor | None = None,
        relative_pos: Tensor | None = None,
        return_dict: bool = True,
        graph: GraphContext | None = None,
    ) -> BaseModelOutput | tuple:
        input_mask = attention_mask if attention_mask.dim() <= 2 else attention_mask.sum(-2) > 0
        attention_mask = self.get_attention_mask(attention_mask)
        relative_pos = self.get_rel_pos(hidden_states, query_states, relative_pos)
        rel_embeddings = self.get_rel_embedding()

        all_hidden_states: tuple[Tensor, ...] | None = (hidden_states,) if output_hidden_states else None
        all_attentions: tuple[Tensor, ...] | None = () if output_attentions else None
        next_kv = hidden_states
        output_states = hidden_states
        for i, layer_module in enumerate(self.layer):
            output_states, attn_weights = layer_module(
                next_kv,
                attention_mask,
                query_states=query_states,
                relative_pos=relative_pos,
                rel_embeddings=rel_embeddings,
                output_attentions=output_attentions,
                graph=graph,
            )
            if all_attentions is not None:
                all_attentions = all_attentions + (attn_weights,)
            if i == 0 and self.conv is not None:
                output_states = self.conv(hidden_states, output_states, input_mask)
            if all_hidden_states is not None:
                all_hidden_states = all_hidden_states + (output_states,)
            if query_states is not None:
                query_states = output_states
            else:
                next_kv = output_states

        if not return_dict:
            return tuple(v for v in (output_states, all_hidden_states, all_attentions) if v is not None)
        return BaseModelOutput(last_hidden_state=output_states, hidden_states=all_hidden_states, attentions=all_attentions)


def _hops(graph: Data, max_k: int, undirected: bool) -> list[KHop]:
    if all(f"hop{k}_index" in graph for k in range(1, max_k + 1)):
        return [KHop(graph[f"hop{k}_index"], graph[f"hop{k}_type"]) for k in range(1, max_k + 1)]
    return exact_k_hop_typed(graph.edge_index, graph.edge_type, graph.num_nodes, max_k, undirected=undirected)


class AMRDebertaModel(AMRDebertaPreTrainedModel):
    r"""DeBERTa-v2/v3 whose attention reads the AMR token graph.

    Without a ``graph`` (or with ``graph_attention="none"``) it computes exactly what
    :class:`~transformers.DebertaV2Model` computes with the same weights.

    Example::

        >>> model = AMRDebertaModel.from_pretrained("microsoft/deberta-v3-base")  # graph terms initialised
        >>> graph = batch_token_graphs(graphs, seq_len=input_ids.size(1))
        >>> out = model(input_ids, attention_mask=attention_mask, graph=graph)
    """

    def __init__(self, config: AMRDebertaConfig) -> None:
        super().__init__(config)
        self.embeddings = DebertaV2Embeddings(config)
        self.encoder = AMRDebertaEncoder(config)
        self.post_init()

    def get_input_embeddings(self) -> nn.Embedding:
        return self.embeddings.word_embeddings

    def set_input_embeddings(self, new_embeddings: nn.Embedding) -> None:
        self.embeddings.word_embeddings = new_embeddings

    def forward(
        self,
        input_ids: Tensor | None = None,
        attention_mask: Tensor | None = None,
        token_type_ids: Tensor | None = None,
        position_ids: Tensor | None = None,
        inputs_embeds: Tensor | None = None,
        graph: Data | None = None,
        output_attentions: bool | None = None,
        output_hidden_states: bool | None = None,
        return_dict: bool | None = None,
        **kwargs: Any,
    ) -> BaseModelOutput | tuple:
        r"""
        Args:
            input_ids: ``[B, L]`` sub-word ids.
            attention_mask: ``[B, L]`` (1 for real tokens) or ``[B, L, L]``.
            graph: the batch's token graph over its ``B * L`` positions
                (:func:`~amrgnn.data.batch_token_graphs`); ``None`` runs the stock encoder.

        Returns:
            :class:`~transformers.modeling_outputs.BaseModelOutput` with ``last_hidden_state``
            ``[B, L, hidden]``.
        """
        config = self.config
        output_attentions = config.output_attentions if output_attentions is None else output_attentions
        output_hidden_states = config.output_hidden_states if output_hidden_states is None else output_hidden_states
        return_dict = config.return_dict if return_dict is None else return_dict
        outputs, _, _ = self.encode(
            input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            position_ids=position_ids,
            inputs_embeds=inputs_embeds,
            graph=graph,
            output_attentions=output_attentions,
            output_hidden_states=output_hidden_states,
        )
        return outputs if return_dict else tuple(v for v in outputs.to_tuple() if v is not None)

    def encode(
        self,
        input_ids: Tensor | None = None,
        *,
        attention_mask: Tensor | None = None,
        token_type_ids: Tensor | None = None,
        position_ids: Tensor | None = None,
        inputs_embeds: Tensor | None = None,
        graph: Data | None = None,
        output_attentions: bool = False,
        output_hidden_states: bool = False,
    ) -> tuple[BaseModelOutput, GraphContext | None, Tensor]:
        """:meth:`forward`'s work, also returning the graph context and the attention mask, for heads
        that run layers again (the enhanced mask decoder)."""
        if (input_ids is None) == (inputs_embeds is None):
            raise ValueError("pass exactly one of input_ids and inputs_embeds")
        if input_ids is not None:
            self.warn_if_padding_and_no_attention_mask(input_ids, attention_mask)
            input_shape = input_ids.size()
            device = input_ids.device
        else:
            input_shape = inputs_embeds.size()[:-1]
            device = inputs_embeds.device
        if attention_mask is None:
            attention_mask = torch.ones(input_shape, device=device)
        if token_type_ids is None:
            token_type_ids = torch.zeros(input_shape, dtype=torch.long, device=device)
        embedding_output = self.embeddings(
            input_ids=input_ids,
            token_type_ids=token_type_ids,
            position_ids=position_ids,
            mask=attention_mask,
            inputs_embeds=inputs_embeds,
        )
        context = None
        if graph is not None and self.encoder.graph_mode != "none":
            context = self.encoder.graph_context(embedding_output, graph)
        encoder_outputs = self.encoder(
            embedding_output,
            attention_mask,
            output_hidden_states=output_hidden_states,
            output_attentions=output_attentions,
            return_dict=True,
            graph=context,
        )
        return encoder_outputs, context, attention_mask
