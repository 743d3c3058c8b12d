"""The AMR-aware DeBERTa encoder: transformers' DeBERTa-v2 with graph terms in its attention."""

from __future__ import annotations

import json
import math
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file
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

from ..errors import InputError, MissingInputError
from ..graph.khop import KHop, exact_k_hop_typed
from ..nn.multiscale import MultiScaleAggregation
from .argument_graph import ArgumentGraphFeatures
from .attention import AMRDebertaLayer, GraphProjection
from .biaffine import Biaffine
from .configuration import AMRDebertaConfig
from .graph_inputs import GraphContext, pair_relations
from .graph_states import MultiScaleGraphStates

logger = logging.get_logger(__name__)

__all__ = [
    "AMRDebertaEncoder",
    "AMRDebertaModel",
    "AMRDebertaPreTrainedModel",
    "CheckpointError",
    "check_checkpoint",
    "check_file",
]

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
        elif isinstance(module, Biaffine):
            init.zeros_(module.weight)  # every pair starts at probability 0.5
        elif isinstance(module, ArgumentGraphFeatures):
            module.reset_parameters()  # the argument head starts out as the text-only one
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
        the backbone loads strictly (a missing or mis-shaped backbone tensor is a
        :class:`CheckpointError`), the graph (and head) parameters it lacks are initialised and named
        in the log. A local checkpoint directory is checked first: a missing or corrupt
        ``config.json`` or weights file is an error naming the file."""
        want_info = kwargs.pop("output_loading_info", False)
        ignore_mismatched = kwargs.pop("ignore_mismatched_sizes", False)
        path = pretrained_model_name_or_path
        if path is not None and kwargs.get("state_dict") is None and not kwargs.get("subfolder"):
            local = Path(path)
            if local.is_dir():
                check_checkpoint(local, config=kwargs.get("config") is None)
            elif local.exists():
                raise MissingInputError(f"{path}: not a checkpoint directory (config.json and model.safetensors)")
            elif local.is_absolute() or str(path).startswith("."):
                raise MissingInputError(f"{path}: no such checkpoint directory")
        model, info = super().from_pretrained(path, *model_args, output_loading_info=True, ignore_mismatched_sizes=True, **kwargs)
        model.initialised_parameters = model._check_loaded(info, path, ignore_mismatched=ignore_mismatched)
        return (model, info) if want_info else model

    @classmethod
    def from_weights_file(cls, weights_file: str | os.PathLike, config: AMRDebertaConfig, **kwargs: Any) -> Any:
        """The model of ``config`` with the tensors of one file: ``*.safetensors``, or torch's format
        read with ``weights_only=True`` (e.g. a stock DeBERTa's weights, with or without the
        ``deberta.`` prefix). Strict: the parameters a stock checkpoint lacks
        (``_new_parameter_patterns``) are initialised; any other missing, an unexpected or a
        mis-shaped tensor is a :class:`CheckpointError` naming the file."""
        path = Path(weights_file)
        check_file(path)
        try:
            state = load_file(str(path)) if path.suffix == ".safetensors" else torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:  # unpickling refused, a foreign format ...
            raise CheckpointError(f"{path}: not a weights file ({exc})") from exc
        if not isinstance(state, dict) or not all(isinstance(v, Tensor) for v in state.values()):
            raise CheckpointError(f"{path}: not a mapping of tensor names to tensors")
        model, info = super().from_pretrained(None, config=config, state_dict=state, output_loading_info=True, ignore_mismatched_sizes=True, **kwargs)
        model.initialised_parameters = model._check_loaded(info, path, unexpected=True)
        return model

    def _check_loaded(self, info: dict[str, Any], source: Any, *, unexpected: bool = False, ignore_mismatched: bool = False) -> list[str]:
        """Raise unless only the parameters a stock checkpoint lacks are missing (and, with
        ``unexpected``, nothing is left over); returns the names of the initialised parameters."""
        new = re.compile("|".join(self._new_parameter_patterns))
        missing = sorted(info.get("missing_keys", []))
        mismatched = sorted(info.get("mismatched_keys", []), key=lambda m: m[0])  # (name, file shape, model shape)
        problems = {"missing": [k for k in missing if not new.search(k)]}
        if not ignore_mismatched:
            problems["mis-shaped (file vs model)"] = [f"{k} {list(a)} vs {list(b)}" for k, a, b in mismatched]
        if unexpected:
            problems["unexpected"] = sorted(info.get("unexpected_keys", []))
        if any(problems.values()):
            raise CheckpointError(
                f"{source}: the checkpoint does not fit the backbone of {type(self).__name__}: "
                + "; ".join(f"{what} {_first(keys)}" for what, keys in problems.items() if keys)
            )
        initialised = sorted({*missing, *(k for k, _, _ in mismatched)})
        if initialised:
            groups = sorted({re.sub(r"\.\d+\.", ".*.", k) for k in initialised})
            logger.info(
                "%s: %d parameter tensors not in %s were initialised: %s",
                type(self).__name__, len(initialised), source, ", ".join(groups),
            )
        return initialised


def _first(keys: list[str], n: int = 8) -> str:
    return f"{len(keys)} tensors: {', '.join(keys[:n])}{' ...' if len(keys) > n else ''}"


class CheckpointError(InputError, ValueError):
    """A checkpoint or weights file that is corrupt, or does not fit the model (the message names it)."""


def check_file(path: str | os.PathLike) -> None:
    """A clear error naming ``path`` when it is missing or, by its kind, unreadable: a ``.safetensors``
    whose header does not parse or whose tensors run past its end (truncated), a ``.json`` that does
    not parse, a ``.pt`` / ``.pth`` (torch's zip format) without its central directory (truncated)."""
    path = Path(path)
    if not path.is_file():
        raise MissingInputError(f"{path}: missing")
    try:
        if path.suffix == ".safetensors":
            with safe_open(str(path), framework="pt"):
                pass
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in (".pt", ".pth"):
            zipfile.ZipFile(path).close()
    except (SafetensorError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise CheckpointError(f"{path}: truncated or corrupt ({exc})") from exc


def check_checkpoint(directory: str | os.PathLike, *, config: bool = True) -> None:
    """Check a checkpoint directory's ``config.json`` (with ``config``) and weights
    (``model.safetensors``, the shards of an index, or ``pytorch_model.bin``) with :func:`check_file`."""
    d = Path(directory)
    if config:
        check_file(d / "config.json")
    for index in (d / "model.safetensors.index.json", d / "pytorch_model.bin.index.json"):
        if index.is_file():
            check_file(index)
            shards = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {}).values()
            break
    else:
        shards = ["pytorch_model.bin" if (d / "pytorch_model.bin").is_file() else "model.safetensors"]
    for name in sorted(set(shards)):
        check_file(d / name)


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
