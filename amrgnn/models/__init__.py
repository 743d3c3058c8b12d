"""AMR-aware DeBERTa: graph terms inside transformers' DeBERTa-v2/v3 attention, and task heads."""

from transformers import (
    AutoConfig,
    AutoModel,
    AutoModelForPreTraining,
    AutoModelForTokenClassification,
)

from .configuration import AMRDebertaConfig
from .convert import convert_bert_to_deberta, offline_backbone_dir
from .graph_inputs import GraphContext, pair_relations
from .heads import (
    AMRDebertaForEventExtraction,
    AMRDebertaForMaskedGraphModeling,
    EventExtractionOutput,
    MaskedGraphModelingOutput,
)
from .modeling import AMRDebertaEncoder, AMRDebertaModel, AMRDebertaPreTrainedModel
from .token_graph import AMRDebertaForTokenGraph, TokenGraphOutput

AutoConfig.register(AMRDebertaConfig.model_type, AMRDebertaConfig, exist_ok=True)
AutoModel.register(AMRDebertaConfig, AMRDebertaModel, exist_ok=True)
AutoModelForPreTraining.register(AMRDebertaConfig, AMRDebertaForMaskedGraphModeling, exist_ok=True)
# per-word predictions over word pairs: the closest of transformers' auto classes
AutoModelForTokenClassification.register(AMRDebertaConfig, AMRDebertaForTokenGraph, exist_ok=True)

__all__ = [
    "AMRDebertaConfig",
    "AMRDebertaEncoder",
    "AMRDebertaForEventExtraction",
    "AMRDebertaForMaskedGraphModeling",
    "AMRDebertaForTokenGraph",
    "AMRDebertaModel",
    "AMRDebertaPreTrainedModel",
    "EventExtractionOutput",
    "GraphContext",
    "MaskedGraphModelingOutput",
    "TokenGraphOutput",
    "convert_bert_to_deberta",
    "offline_backbone_dir",
    "pair_relations",
]
