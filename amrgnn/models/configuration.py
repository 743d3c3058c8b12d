"""Configuration of the AMR-aware DeBERTa encoder: a DeBERTa-v2 configuration plus the graph terms."""

from __future__ import annotations

import os
from typing import Any

from transformers import DebertaV2Config
from transformers.utils import logging

logger = logging.get_logger(__name__)

__all__ = ["AMRDebertaConfig", "GRAPH_ATTENTION_MODES", "GRAPH_STATE_INPUTS"]

GRAPH_ATTENTION_MODES = ("multiscale", "relation", "none")
GRAPH_STATE_INPUTS = ("embeddings", "hidden")


class AMRDebertaConfig(DebertaV2Config):
    r"""A :class:`~transformers.DebertaV2Config` with the graph-aware attention's hyperparameters.

    Every DeBERTa-v2/v3 field keeps its meaning; a stock ``deberta-v2`` ``config.json`` loads as an
    ``AMRDebertaConfig`` with the defaults below. The fused layers add two terms to the attention
    scores, scaled like c2p/p2c (by :math:`1/\sqrt{d \cdot s}`, DeBERTa's ``scale_factor`` :math:`s`):
    source-to-edge :math:`q_i \cdot K^g_j` and edge-to-target :math:`Q^g_i \cdot k_j`.

    Args:
        graph_attention (str): Where :math:`K^g, Q^g` come from. ``"multiscale"`` (default): per-token
            graph states of the multi-scale aggregation over the token graph
            (:class:`~amrgnn.nn.MultiScaleAggregation`); ``"relation"``: relation embeddings gathered
            per token pair (:math:`q_i \cdot K^r_{r(i,j)}` and :math:`Q^r_{r(i,j)} \cdot k_j`, the
            reference's other mode, :math:`r(i,j)` the relation of the edge ``i -> j`` or
            ``<none>``); ``"none"``: stock DeBERTa attention.
        graph_layers (list[int], optional): Indices of the fused layers (negative counts from the
            top); ``None`` fuses every layer.
        graph_hidden_size (int): Width of the graph states.
        graph_num_scales (int): Number of exact-distance scales :math:`K`.
        graph_num_relations (int): Size of the relation vocabulary (:class:`~amrgnn.graph.AMRVocab`,
            ``<none>`` and ``<unk>`` included); also the classes of masked relation prediction.
        graph_combine (str): How the scales combine: ``"cat"``, ``"sum"`` or ``"attention"``.
        graph_state_input (str): ``"embeddings"`` (default): one aggregation of the embedding output
            gives every fused layer its states in one batched pass before the encoder;
            ``"hidden"``: each fused layer aggregates its own input hidden states (more expressive,
            one aggregation per layer).
        graph_undirected (bool): Aggregate over the token graph's edges in both directions.
        graph_dropout (float, optional): Dropout on graph states (default: ``hidden_dropout_prob``).
        mgm_relation_hidden_size (int, optional): Width of the masked-relation MLP (default:
            ``hidden_size``).
        mgm_enhanced_mask_decoder (bool, optional): Predict masked tokens through DeBERTa's enhanced
            mask decoder (the last layer run twice more with absolute positions); ``None`` (default):
            where the backbone has one (relative attention, absolute positions not added at the input).
        ee_trigger_labels (list[str]): BIO trigger labels of :class:`AMRDebertaForEventExtraction`.
        ee_role_labels (list[str]): Argument roles, index 0 being "no role".
        ee_entity_labels (list[str], optional): BIO mention labels for predicted candidate spans;
            ``None`` uses the given entity mentions only.
        ee_scaffold_weight (float): Weight of the graph scaffold of :class:`AMRDebertaForEventExtraction`
            (:class:`~amrgnn.models.scaffold.TokenGraphScaffold`: the token graph predicted from the encoder
            output as an auxiliary training loss; ``0``: none). The encoder reads no graph for it.
        ee_scaffold_size (int): Width of the scaffold's arc MLPs.
        ee_argument_graph (bool): The argument head reads the token graph between each trigger and
            candidate (:class:`~amrgnn.models.argument_graph.ArgumentGraphFeatures`); with
            ``graph_attention="none"`` the encoder, and so the trigger head, read no graph.
        tg_num_relations (int, optional): Relation classes of :class:`AMRDebertaForTokenGraph` (its
            ``amr_vocab.json``'s relations).
        tg_arc_size (int): Width of the biaffine arc scorer's head and dependent MLPs.
        tg_label_size (int): Width of the relation scorer's MLPs.
        tg_arc_threshold (float): Arc probability above which a word pair is an edge (tuned on dev).
        tg_arc_pos_weight (float): Weight of the positive (edge) pairs in the arc loss.
        tg_max_distance (int): A learned arc bias per signed word distance ``j - i``, clipped to
            ``+-tg_max_distance`` (``0``: none).
    """

    model_type = "amr-deberta-v2"

    graph_attention: str = "multiscale"
    graph_layers: list[int] | None = None
    graph_hidden_size: int = 128
    graph_num_scales: int = 4
    graph_num_relations: int = 160
    graph_combine: str = "cat"
    graph_state_input: str = "embeddings"
    graph_undirected: bool = True
    graph_dropout: float | None = None
    mgm_relation_hidden_size: int | None = None
    mgm_enhanced_mask_decoder: bool | None = None
    ee_trigger_labels: list[str] | None = None
    ee_role_labels: list[str] | None = None
    ee_entity_labels: list[str] | None = None
    ee_scaffold_weight: float = 0.0
    ee_scaffold_size: int = 128
    ee_argument_graph: bool = False
    tg_num_relations: int | None = None
    tg_arc_size: int = 256
    tg_label_size: int = 128
    tg_arc_threshold: float = 0.5
    tg_arc_pos_weight: float = 1.0
    tg_max_distance: int = 10

    def __post_init__(self, **kwargs: Any) -> None:
        super().__post_init__(**kwargs)
        if self.graph_attention not in GRAPH_ATTENTION_MODES:
            raise ValueError(f"graph_attention must be one of {GRAPH_ATTENTION_MODES}, got {self.graph_attention!r}")
        if self.graph_state_input not in GRAPH_STATE_INPUTS:
            raise ValueError(f"graph_state_input must be one of {GRAPH_STATE_INPUTS}, got {self.graph_state_input!r}")
        if self.graph_num_scales < 1:
            raise ValueError(f"graph_num_scales must be >= 1, got {self.graph_num_scales}")
        if self.graph_num_relations < 2:
            raise ValueError(f"graph_num_relations must be >= 2 (<none> and <unk>), got {self.graph_num_relations}")
        if self.graph_layers is not None:
            n = self.num_hidden_layers
            bad = [i for i in self.graph_layers if not -n <= i < n]
            if bad:
                raise ValueError(f"graph_layers {bad} out of range for {n} layers")

    @property
    def reads_graphs(self) -> bool:
        """Whether the model needs a token graph at prediction (graph attention or graph argument features)."""
        return self.graph_attention != "none" or self.ee_argument_graph

    @property
    def fused_layers(self) -> list[int]:
        """Sorted non-negative indices of the layers that carry graph terms (empty when off)."""
        if self.graph_attention == "none":
            return []
        n = self.num_hidden_layers
        if self.graph_layers is None:
            return list(range(n))
        return sorted({i % n for i in self.graph_layers})

    @classmethod
    def from_deberta(cls, config: DebertaV2Config, **graph_kwargs: Any) -> AMRDebertaConfig:
        """The same backbone configuration with graph fields (``graph_kwargs``) added."""
        data = config.to_dict()
        data.pop("model_type", None)
        data.update(graph_kwargs)
        return cls.from_dict(data)

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: str | os.PathLike, **kwargs: Any) -> AMRDebertaConfig:
        """Load an ``amr-deberta-v2`` or a stock ``deberta-v2`` configuration (the latter gets the
        graph defaults, overridable through ``kwargs``)."""
        config_dict, kwargs = cls.get_config_dict(pretrained_model_name_or_path, **kwargs)
        model_type = config_dict.get("model_type", cls.model_type)
        if model_type == DebertaV2Config.model_type:
            logger.info("%s: a stock deberta-v2 configuration; graph terms get their defaults", pretrained_model_name_or_path)
            config_dict = {**config_dict, "model_type": cls.model_type}
        elif model_type != cls.model_type:
            raise ValueError(
                f"{pretrained_model_name_or_path}: model type {model_type!r}; amrgnn reads 'deberta-v2' or "
                f"'{cls.model_type}' checkpoints (convert a BERT one with `amrgnn convert-backbone`)"
            )
        return cls.from_dict(config_dict, **kwargs)
