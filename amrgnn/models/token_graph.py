"""Predicting the word-level AMR token graph from text: a semantic-dependency-style biaffine parser
on the AMR-aware encoder (run without a graph).

Dozat & Manning (2018, "Simpler but More Accurate Semantic Dependency Parsing"): every ordered word
pair gets an independent arc score (a sigmoid, so the output is a graph, not a tree), and a
separate scorer labels the arcs. Words are the mean of their sub-words' states: AMR aligns concepts
to whole words, and names, numbers and rare predicates are often split into several pieces, so
every piece should speak (the first sub-word alone carries less of a long word).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn
from transformers import initialization as init
from transformers.modeling_outputs import ModelOutput

from .biaffine import Biaffine
from .configuration import AMRDebertaConfig
from .heads import _activation
from .modeling import AMRDebertaModel, AMRDebertaPreTrainedModel

__all__ = ["AMRDebertaForTokenGraph", "TokenGraphOutput", "mean_word_states"]


def mean_word_states(sequence: Tensor, word_ids: Tensor, num_words: int) -> Tensor:
    """The mean of each word's sub-word states.

    Shapes:
        sequence: ``[B, L, H]``; word_ids: ``[B, L]`` (``-1``: special or padding); output
        ``[B, W, H]`` (zero for words without sub-words).
    """
    b, length, h = sequence.shape
    valid = word_ids >= 0
    flat = (torch.arange(b, device=sequence.device).unsqueeze(1) * num_words + word_ids.clamp(min=0)).masked_fill(~valid, b * num_words)
    sums = sequence.new_zeros(b * num_words + 1, h).index_add_(0, flat.view(-1), sequence.reshape(-1, h))
    counts = torch.bincount(flat.view(-1), minlength=b * num_words + 1).clamp(min=1).to(sequence.dtype)
    return (sums / counts.unsqueeze(-1))[:-1].view(b, num_words, h)


@dataclass
class TokenGraphOutput(ModelOutput):
    """Outputs of :class:`AMRDebertaForTokenGraph`.

    Attributes:
        loss: arc BCE (positives weighted by ``config.tg_arc_pos_weight``) + relation BCE (multi-label:
            a word pair can carry several relations; summed over relations, mean over pairs).
        arc_logits: ``[B, W, W]`` logit that word ``i`` has an edge to word ``j``.
        rel_logits: ``[P, R]`` relation logits of the requested ``rel_pairs``.
    """

    loss: Tensor | None = None
    arc_logits: Tensor | None = None
    rel_logits: Tensor | None = None


class _MLP(nn.Sequential):
    def __init__(self, config: AMRDebertaConfig, size: int) -> None:
        super().__init__(nn.Linear(config.hidden_size, size), _activation(config), nn.Dropout(config.hidden_dropout_prob))


class AMRDebertaForTokenGraph(AMRDebertaPreTrainedModel):
    """Predicts the word-level AMR token graph: arcs by a biaffine scorer with sigmoid outputs,
    relations (``config.tg_num_relations`` classes of the model's ``amr_vocab.json``) by a
    bilinear scorer over each arc's source and target, one sigmoid per relation (a word pair can
    carry several: the words of a name meet by ``:name`` and ``:op1``).

    The encoder runs without graph terms (``graph_attention="none"``); any DeBERTa-v2/v3 or MLGM
    checkpoint (or the converted offline backbone) loads into it.
    """

    _new_parameter_patterns = (r"^(arc_head|arc_dep|arc_scorer|arc_distance|rel_head|rel_dep|rel_scorer)\.",)
    _keys_to_ignore_on_load_unexpected = [
        r"^(cls|lm_predictions|mask_predictions|relation_head|trigger_classifier|argument_head|entity_classifier)\.",
        r"position_embeddings", r"graph_",
    ]

    def __init__(self, config: AMRDebertaConfig) -> None:
        super().__init__(config)
        if not config.tg_num_relations:
            raise ValueError("set config.tg_num_relations (the relations of the model's amr_vocab.json)")
        self.deberta = AMRDebertaModel(config)
        self.arc_head, self.arc_dep = _MLP(config, config.tg_arc_size), _MLP(config, config.tg_arc_size)
        self.arc_scorer = Biaffine(config.tg_arc_size)
        # most AMR edges link nearby words, in a preferred direction: a bias per signed distance
        self.arc_distance = nn.Embedding(2 * config.tg_max_distance + 1, 1) if config.tg_max_distance > 0 else None
        self.rel_head, self.rel_dep = _MLP(config, config.tg_label_size), _MLP(config, config.tg_label_size)
        self.rel_scorer = nn.Bilinear(config.tg_label_size, config.tg_label_size, config.tg_num_relations)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        if isinstance(module, nn.Embedding) and module is getattr(self, "arc_distance", None):
            init.zeros_(module.weight)
        elif isinstance(module, nn.Bilinear):
            init.normal_(module.weight, mean=0.0, std=self.config.initializer_range)
            init.zeros_(module.bias)

    def word_states(self, input_ids: Tensor, word_ids: Tensor, num_words: int, attention_mask: Tensor | None = None) -> Tensor:
        """``[B, W, H]``: the mean of each word's sub-word states."""
        outputs, _, _ = self.deberta.encode(input_ids, attention_mask=attention_mask)
        return mean_word_states(outputs.last_hidden_state, word_ids, num_words)

    def arc_logits(self, words: Tensor) -> Tensor:
        """``[B, W, W]`` logit that word ``i`` has an edge to word ``j`` (biaffine + distance bias)."""
        logits = self.arc_scorer(self.arc_head(words), self.arc_dep(words))
        if self.arc_distance is not None:
            n, d = words.size(1), self.config.tg_max_distance
            pos = torch.arange(n, device=words.device)
            offset = (pos.view(1, n) - pos.view(n, 1)).clamp(-d, d) + d  # [W, W]: j - i, shifted
            logits = logits + self.arc_distance(offset).squeeze(-1).to(logits.dtype)
        return logits

    def rel_logits(self, words: Tensor, pairs: Tensor) -> Tensor:
        """Relation logits ``[P, R]`` of ``pairs`` ``[P, 3]`` (batch, source word, target word)."""
        src = self.rel_head(words[pairs[:, 0], pairs[:, 1]])
        dst = self.rel_dep(words[pairs[:, 0], pairs[:, 2]])
        return self.rel_scorer(src, dst)

    def forward(
        self,
        input_ids: Tensor,
        attention_mask: Tensor | None = None,
        word_ids: Tensor | None = None,
        word_mask: Tensor | None = None,
        arc_labels: Tensor | None = None,
        rel_pairs: Tensor | None = None,
        rel_labels: Tensor | None = None,
        index: Tensor | None = None,
        return_dict: bool | None = None,
    ) -> TokenGraphOutput:
        r"""
        Args:
            word_ids: ``[B, L]`` word of each sub-word (``-1``: special or padding).
            word_mask: ``[B, W]`` real words.
            arc_labels: ``[B, W, W]`` gold arcs (1.0 / 0.0).
            rel_pairs, rel_labels: ``[P, 3]`` gold arcs (batch, i, j) and ``[P, R]`` their relations (multi-hot).
            index: ignored (the collator's example positions).
        """
        if word_ids is None or word_mask is None:
            raise ValueError("word_ids ([B, L]) and word_mask ([B, W]) are required")
        words = self.word_states(input_ids, word_ids, word_mask.size(1), attention_mask)
        arc_logits = self.arc_logits(words)
        rel = self.rel_logits(words, rel_pairs) if rel_pairs is not None and rel_pairs.numel() else None
        loss = None
        if arc_labels is not None:
            n = word_mask.size(1)
            valid = word_mask.unsqueeze(2) & word_mask.unsqueeze(1) & ~torch.eye(n, dtype=torch.bool, device=word_mask.device)
            pos_weight = torch.tensor(self.config.tg_arc_pos_weight, device=arc_logits.device)
            loss = nn.functional.binary_cross_entropy_with_logits(
                arc_logits.float()[valid], arc_labels.float()[valid], pos_weight=pos_weight
            )
            if rel is not None and rel_labels is not None:
                rel_loss = nn.functional.binary_cross_entropy_with_logits(rel.float(), rel_labels.float(), reduction="none")
                loss = loss + rel_loss.sum(-1).mean()
        return TokenGraphOutput(loss=loss, arc_logits=arc_logits, rel_logits=rel)
