"""Task heads on the AMR-aware encoder: masked graph modeling (MLGM) and event extraction (AMREE)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor, nn
from torch_geometric.data import Data
from transformers.modeling_outputs import ModelOutput
from transformers.models.deberta_v2.modeling_deberta_v2 import (
    DebertaV2OnlyMLMHead,
    LegacyDebertaV2OnlyMLMHead,
)

from .argument_graph import ArgumentGraphFeatures
from .configuration import AMRDebertaConfig
from .decoding import DecodedArgument, DecodedEvent, bio_spans, label_masks
from .modeling import GRAPH_PARAMETER_PATTERN, AMRDebertaModel, AMRDebertaPreTrainedModel
from .scaffold import TokenGraphScaffold

__all__ = [
    "AMRDebertaForEventExtraction",
    "AMRDebertaForMaskedGraphModeling",
    "EventExtractionOutput",
    "MaskedGraphModelingOutput",
    "PairClassifier",
    "gather_pairs",
    "span_mean",
]


def gather_pairs(hidden: Tensor, pairs: Tensor) -> tuple[Tensor, Tensor]:
    """States of the two positions of each pair.

    Shapes:
        hidden: ``[B, L, H]``; pairs: ``[P, 3]`` rows ``(batch, i, j)``; output: two ``[P, H]``.
    """
    return hidden[pairs[:, 0], pairs[:, 1]], hidden[pairs[:, 0], pairs[:, 2]]


def span_mean(words: Tensor, batch: Tensor, start: Tensor, end: Tensor) -> Tensor:
    """Mean of ``words[batch, start:end]`` per span, via prefix sums (no Python loop).

    Shapes:
        words: ``[B, W, H]``; batch, start, end: ``[P]`` (``end`` exclusive, ``end > start``);
        output: ``[P, H]``.
    """
    prefix = torch.nn.functional.pad(words.cumsum(1), (0, 0, 1, 0))  # [B, W + 1, H]
    total = prefix[batch, end] - prefix[batch, start]
    return total / (end - start).clamp(min=1).unsqueeze(-1).to(words.dtype)


class PairClassifier(nn.Module):
    r"""Relation logits of an ordered pair: :math:`W_2\,\sigma(W_1 [a \Vert b \Vert a \odot b])`.

    Shapes:
        input: two ``[P, H]``; output: ``[P, num_labels]``.
    """

    def __init__(self, hidden_size: int, inner_size: int, num_labels: int, act: nn.Module, dropout: float) -> None:
        super().__init__()
        self.dense = nn.Linear(3 * hidden_size, inner_size)
        self.act = act
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(inner_size, num_labels)

    def forward(self, a: Tensor, b: Tensor, extra: Tensor | None = None) -> Tensor:
        """``extra`` ``[P, inner_size]``: added to the hidden layer before the activation."""
        x = self.dense(torch.cat([a, b, a * b], dim=-1))
        x = self.act(x if extra is None else x + extra)
        return self.classifier(self.dropout(x))


def _activation(config: AMRDebertaConfig) -> nn.Module:
    from transformers.activations import get_activation

    return get_activation(config.hidden_act) if isinstance(config.hidden_act, str) else config.hidden_act


@dataclass
class MaskedGraphModelingOutput(ModelOutput):
    """Output of :class:`AMRDebertaForMaskedGraphModeling`.

    Attributes:
        loss: ``[]`` ``mlm_loss + relation_loss`` when labels are given.
        mlm_loss: ``[]`` masked-token cross-entropy.
        relation_loss: ``[]`` masked-relation cross-entropy.
        logits: token logits, ``[M, V]`` at the ``M`` positions whose ``labels != -100`` when labels
            are given (all a loss or metric needs), else ``[B, L, V]``.
        relation_logits: ``[P, R]`` for the ``relation_pairs``.
        hidden_states, attentions: as :class:`~transformers.modeling_outputs.BaseModelOutput`.
    """

    loss: Tensor | None = None
    mlm_loss: Tensor | None = None
    relation_loss: Tensor | None = None
    logits: Tensor | None = None
    relation_logits: Tensor | None = None
    hidden_states: tuple[Tensor, ...] | None = None
    attentions: tuple[Tensor, ...] | None = None


class AMRDebertaForMaskedGraphModeling(AMRDebertaPreTrainedModel):
    r"""MLGM: masked-token prediction plus masked AMR-relation prediction for token pairs.

    Tokens are predicted by DeBERTa's LM head (the stock parameter names, so a DeBERTa MLM
    checkpoint's head loads), through DeBERTa's *enhanced mask decoder* where the backbone has one
    (absolute positions not added at the input, ``position_biased_input=False``: the last layer runs
    twice more with absolute position embeddings added to its queries, as in He et al., 2021).
    Relations are predicted from the concatenated states of a token pair by a
    :class:`PairClassifier` over the relation vocabulary (``0 = <none>``: "no relation").
    """

    _new_parameter_patterns = (GRAPH_PARAMETER_PATTERN, r"^relation_head\.", r"^(cls|lm_predictions)\.")
    _tied_weights_keys = {
        "cls.predictions.decoder.weight": "deberta.embeddings.word_embeddings.weight",
        "cls.predictions.decoder.bias": "cls.predictions.bias",
    }
    _keys_to_ignore_on_load_unexpected = [r"mask_predictions.*"]

    def __init__(self, config: AMRDebertaConfig) -> None:
        super().__init__(config)
        self.deberta = AMRDebertaModel(config)
        self.legacy = config.legacy
        if self.legacy:
            self.cls = LegacyDebertaV2OnlyMLMHead(config)
        else:
            self._tied_weights_keys = {}
            self.lm_predictions = DebertaV2OnlyMLMHead(config)
        has_emd = config.relative_attention and not config.position_biased_input
        self.use_emd = has_emd if config.mgm_enhanced_mask_decoder is None else config.mgm_enhanced_mask_decoder
        if self.use_emd and not has_emd:
            raise ValueError("mgm_enhanced_mask_decoder needs relative attention and position_biased_input=False")
        if self.use_emd:
            # DeBERTa keeps the absolute position embeddings the enhanced mask decoder reads under
            # this name; stock transformers drops them when position_biased_input is False.
            emb = self.deberta.embeddings
            emb.position_embeddings = nn.Embedding(config.max_position_embeddings, emb.embedding_size)
            # checkpoints saved by transformers lack them (original DeBERTa ones have them)
            self._new_parameter_patterns = (*self._new_parameter_patterns, r"^deberta\.embeddings\.position_embeddings\.")
        inner = config.mgm_relation_hidden_size or config.hidden_size
        self.relation_head = PairClassifier(
            config.hidden_size, inner, config.graph_num_relations, _activation(config), config.hidden_dropout_prob
        )
        self.post_init()

    def get_output_embeddings(self) -> nn.Module:
        return self.cls.predictions.decoder if self.legacy else self.lm_predictions.lm_head.dense

    def set_output_embeddings(self, new_embeddings: nn.Module) -> None:
        if self.legacy:
            self.cls.predictions.decoder = new_embeddings
            self.cls.predictions.bias = new_embeddings.bias
        else:
            self.lm_predictions.lm_head.dense = new_embeddings
            self.lm_predictions.lm_head.bias = new_embeddings.bias

    def _token_logits(self, states: Tensor) -> Tensor:
        if self.legacy:
            return self.cls(states)
        return self.lm_predictions(states, self.deberta.embeddings.word_embeddings)

    def _enhanced_mask_decoder(self, hidden_states: tuple[Tensor, ...], attention_mask: Tensor, position_ids: Tensor | None, graph: Any) -> Tensor:
        """The last layer run twice on the second-to-last states, queries carrying absolute
        positions (DeBERTa's EMD)."""
        encoder = self.deberta.encoder
        emb = self.deberta.embeddings
        length = hidden_states[-2].size(1)
        if position_ids is None:
            position_ids = emb.position_ids[:, :length]
        z = emb.position_embeddings(position_ids.long())
        if emb.embed_proj is not None:
            z = emb.embed_proj(z)
        kv = hidden_states[-2]
        query = z + kv
        mask = encoder.get_attention_mask(attention_mask)
        rel_pos = encoder.get_rel_pos(kv)
        rel_emb = encoder.get_rel_embedding()
        last = encoder.layer[-1]
        for _ in range(2):
            query, _ = last(kv, mask, query_states=query, relative_pos=rel_pos, rel_embeddings=rel_emb, graph=graph)
        return query

    def forward(
        self,
        input_ids: Tensor | None = None,
        attention_mask: Tensor | None = None,
        token_type_ids: Tensor | None = None,
        position_ids: Tensor | None = None,
        inputs_embeds: Tensor | None = None,
        graph: Data | None = None,
        labels: Tensor | None = None,
        relation_pairs: Tensor | None = None,
        relation_labels: Tensor | None = None,
        output_attentions: bool | None = None,
        output_hidden_states: bool | None = None,
        return_dict: bool | None = None,
    ) -> MaskedGraphModelingOutput | tuple:
        r"""
        Args:
            graph: the token graph the encoder sees (masked relations removed from it).
            labels: ``[B, L]`` original ids at masked positions, ``-100`` elsewhere.
            relation_pairs: ``[P, 3]`` rows ``(batch, i, j)`` of masked (and negative) token pairs.
            relation_labels: ``[P]`` relation id of each pair (``0``: no relation).
        """
        return_dict = self.config.return_dict if return_dict is None else return_dict
        out_hidden = self.config.output_hidden_states if output_hidden_states is None else output_hidden_states
        outputs, context, mask = self.deberta.encode(
            input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            position_ids=position_ids,
            inputs_embeds=inputs_embeds,
            graph=graph,
            output_attentions=bool(output_attentions),
            output_hidden_states=out_hidden or self.use_emd,
        )
        sequence = outputs.last_hidden_state
        token_states = self._enhanced_mask_decoder(outputs.hidden_states, mask, position_ids, context) if self.use_emd else sequence

        mlm_loss = None
        if labels is not None:
            selected = labels != -100
            logits = self._token_logits(token_states[selected])
            mlm_loss = mean_cross_entropy(logits, labels[selected])
        else:
            logits = self._token_logits(token_states)

        relation_logits = relation_loss = None
        if relation_pairs is not None:
            relation_logits = self.relation_head(*gather_pairs(sequence, relation_pairs))
            if relation_labels is not None:
                relation_loss = mean_cross_entropy(relation_logits, relation_labels)
        losses = [x for x in (mlm_loss, relation_loss) if x is not None]
        loss = sum(losses[1:], losses[0]) if losses else None
        result = MaskedGraphModelingOutput(
            loss=loss,
            mlm_loss=mlm_loss,
            relation_loss=relation_loss,
            logits=logits,
            relation_logits=relation_logits,
            hidden_states=outputs.hidden_states if out_hidden else None,
            attentions=outputs.attentions,
        )
        return result if return_dict else result.to_tuple()


@dataclass
class EventExtractionOutput(ModelOutput):
    """Output of :class:`AMRDebertaForEventExtraction`.

    Attributes:
        loss: ``[]`` sum of the trigger, argument (and mention) cross-entropies given labels for
            (plus the weighted scaffold loss when training with one).
        trigger_logits: ``[B, W, T]`` BIO trigger-label logits per word.
        argument_logits: ``[P, R]`` role logits per (trigger, candidate) pair (``0``: no role).
        entity_logits: ``[B, W, E]`` BIO mention logits (``ee_entity_labels`` set).
        hidden_states, attentions: as :class:`~transformers.modeling_outputs.BaseModelOutput`.
    """

    loss: Tensor | None = None
    trigger_logits: Tensor | None = None
    argument_logits: Tensor | None = None
    entity_logits: Tensor | None = None
    hidden_states: tuple[Tensor, ...] | None = None
    attentions: tuple[Tensor, ...] | None = None


class AMRDebertaForEventExtraction(AMRDebertaPreTrainedModel):
    r"""AMREE: trigger tagging over words and argument-role classification of (trigger, candidate) pairs.

    A word is represented by its first sub-word; a span by the mean of its words. Triggers get BIO
    labels over event types (``config.ee_trigger_labels``); each (trigger span, candidate span) pair
    gets a role (``config.ee_role_labels``, index 0 = no role) from a :class:`PairClassifier`.
    Candidates are the given entity mentions, or spans predicted by a BIO mention tagger when
    ``config.ee_entity_labels`` is set. With ``config.ee_scaffold_weight > 0`` a
    :class:`~amrgnn.models.scaffold.TokenGraphScaffold` predicts the batch's token graph from the
    encoder output as an auxiliary loss (training only; set ``graph_attention="none"`` so that the
    encoder itself never reads the graph). With ``config.ee_argument_graph`` the argument head also reads
    the graph path between trigger and candidate (:class:`~amrgnn.models.argument_graph.ArgumentGraphFeatures`).
    """

    _new_parameter_patterns = (GRAPH_PARAMETER_PATTERN, r"^(trigger_classifier|argument_head|argument_graph|entity_classifier|scaffold)\.")
    _keys_to_ignore_on_load_unexpected = [r"^(cls|lm_predictions|mask_predictions|relation_head)\.", r"position_embeddings"]

    def __init__(self, config: AMRDebertaConfig) -> None:
        super().__init__(config)
        if not config.ee_trigger_labels or not config.ee_role_labels:
            raise ValueError("set config.ee_trigger_labels (BIO) and config.ee_role_labels (index 0: no role)")
        self.deberta = AMRDebertaModel(config)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.trigger_classifier = nn.Linear(config.hidden_size, len(config.ee_trigger_labels))
        self.argument_head = PairClassifier(
            config.hidden_size, config.hidden_size, len(config.ee_role_labels), _activation(config), config.hidden_dropout_prob
        )
        self.entity_classifier = (
            nn.Linear(config.hidden_size, len(config.ee_entity_labels)) if config.ee_entity_labels else None
        )
        self.scaffold = TokenGraphScaffold(config) if config.ee_scaffold_weight > 0 else None
        self.argument_graph = ArgumentGraphFeatures(config, config.hidden_size) if config.ee_argument_graph else None
        self.post_init()

    def word_states(
        self, input_ids: Tensor | None, word_index: Tensor, **encode_kwargs: Any
    ) -> tuple[Tensor, Any]:
        """Word representations ``[B, W, H]`` (first sub-word; zero for padding words, dropout in
        training) and the encoder output."""
        outputs, _, _ = self.deberta.encode(input_ids, **encode_kwargs)
        sequence = outputs.last_hidden_state
        rows = torch.arange(sequence.size(0), device=sequence.device).unsqueeze(1)
        words = sequence[rows, word_index.clamp(min=0)] * (word_index >= 0).unsqueeze(-1).to(sequence.dtype)
        return self.dropout(words), outputs

    def argument_logits(self, words: Tensor, pairs: Tensor, hops: tuple[Tensor, Tensor, Tensor] | None = None) -> Tensor:
        """Role logits ``[P, R]`` of ``pairs`` ``[P, 5]`` (batch, trigger start, end, candidate start, end);
        ``hops``: the batch's :meth:`ArgumentGraphFeatures.word_hops` (models with ``ee_argument_graph``)."""
        b = pairs[:, 0]
        trig = span_mean(words, b, pairs[:, 1], pairs[:, 2])
        cand = span_mean(words, b, pairs[:, 3], pairs[:, 4])
        extra = None
        if self.argument_graph is not None:
            if hops is None:
                raise ValueError("this model's argument head reads the token graph (config.ee_argument_graph): pass graph=")
            extra = self.argument_graph(hops, pairs)
        return self.argument_head(trig, cand, extra)

    def _word_hops(self, graph: Data | None, word_index: Tensor, seq_len: int) -> tuple[Tensor, Tensor, Tensor] | None:
        if self.argument_graph is None or graph is None:
            return None
        return self.argument_graph.word_hops(graph, word_index, seq_len)

    @torch.no_grad()
    def decode(
        self,
        input_ids: Tensor,
        word_index: Tensor,
        lengths: Sequence[int],
        *,
        candidates: Sequence[Sequence[tuple[int, int]]] | None = None,
        allowed_types: Collection[str] | None = None,
        allowed_roles: Collection[str] | None = None,
        **encode_kwargs: Any,
    ) -> list[tuple[list[DecodedEvent], list[tuple[int, int]]]]:
        """The events of a batch, in eval mode: triggers are the BIO spans of the argmax labels; each
        trigger is paired with every candidate span and takes the argmax role (index 0, no role,
        dropped). Words past the encoder's reach (``word_index`` ``-1``) are ``O`` and carry no candidate.

        Args:
            input_ids: ``[B, S]``; word_index: ``[B, W]`` (first sub-word of each word, ``-1``: none).
            lengths: the words of each sentence (``<= W``).
            candidates: per sentence, the given candidate spans (words, end exclusive); ``None``: the
                spans of the mention tagger (``config.ee_entity_labels``).
            allowed_types / allowed_roles: decode only these labels (``None``: all).
            encode_kwargs: ``attention_mask``, ``graph`` ... for the encoder.

        Returns:
            Per sentence, its events and the candidate spans (``DecodedArgument.candidate`` indexes them).
        """
        if candidates is None and self.entity_classifier is None:
            raise ValueError("this model has no mention tagger (config.ee_entity_labels is unset), so it cannot find "
                             "argument candidates itself: pass the candidate spans (e.g. entity mentions)")
        was_training = self.training
        self.eval()
        try:
            device = word_index.device
            words, _ = self.word_states(input_ids, word_index, **encode_kwargs)
            trig_bias, role_bias = label_masks(self.config, allowed_types, allowed_roles, device)
            probs = torch.softmax(self.trigger_classifier(words).float() + trig_bias, dim=-1)
            tag_p, tags = (t.cpu().tolist() for t in probs.max(dim=-1))
            visible = (word_index >= 0).cpu().tolist()
            if candidates is None:
                ent_tags = self.entity_classifier(words).argmax(-1).cpu().tolist()
                ent_names = self.config.ee_entity_labels
            trig_names = self.config.ee_trigger_labels
            out: list[tuple[list[DecodedEvent], list[tuple[int, int]]]] = []
            pairs, owners = [], []
            for row, n in enumerate(lengths):
                labels = [trig_names[tags[row][w]] if visible[row][w] else "O" for w in range(n)]
                events = [DecodedEvent(t, a, b, sum(tag_p[row][a:b]) / (b - a)) for a, b, t in bio_spans(labels)]
                if candidates is None:
                    spans = [(a, b) for a, b, _ in bio_spans([ent_names[ent_tags[row][w]] if visible[row][w] else "O" for w in range(n)])]
                else:
                    spans = [(int(a), int(b)) for a, b in candidates[row]]
                for k, ev in enumerate(events):
                    for c, (a, b) in enumerate(spans):
                        if all(visible[row][a:b]):
                            pairs.append((row, ev.start, ev.end, a, b))
                            owners.append((row, k, c))
                out.append((events, spans))
            if pairs:
                hops = self._word_hops(encode_kwargs.get("graph"), word_index, input_ids.size(1))
                logits = self.argument_logits(words, torch.tensor(pairs, dtype=torch.long, device=device), hops)
                role_p, best = (t.cpu().tolist() for t in torch.softmax(logits.float() + role_bias, dim=-1).max(dim=-1))
                for (row, k, c), r, p in zip(owners, best, role_p, strict=True):
                    if r:
                        a, b = out[row][1][c]
                        out[row][0][k].arguments.append(DecodedArgument(a, b, self.config.ee_role_labels[r], p, c))
            return out
        finally:
            self.train(was_training)

    def forward(
        self,
        input_ids: Tensor | None = None,
        attention_mask: Tensor | None = None,
        token_type_ids: Tensor | None = None,
        position_ids: Tensor | None = None,
        inputs_embeds: Tensor | None = None,
        graph: Data | None = None,
        word_index: Tensor | None = None,
        trigger_labels: Tensor | None = None,
        argument_pairs: Tensor | None = None,
        argument_labels: Tensor | None = None,
        entity_labels: Tensor | None = None,
        output_attentions: bool | None = None,
        output_hidden_states: bool | None = None,
        return_dict: bool | None = None,
    ) -> EventExtractionOutput | tuple:
        r"""
        Args:
            word_index: ``[B, W]`` position of each word's first sub-word (``-1``: padding word).
            trigger_labels: ``[B, W]`` BIO trigger label ids (``-100``: ignored).
            argument_pairs: ``[P, 5]`` rows ``(batch, trigger_start, trigger_end, cand_start,
                cand_end)`` in words, ends exclusive.
            argument_labels: ``[P]`` role ids (``0``: no role).
            entity_labels: ``[B, W]`` BIO mention label ids (with ``ee_entity_labels``).
        """
        if word_index is None:
            raise ValueError("word_index ([B, W] first sub-word of each word) is required")
        return_dict = self.config.return_dict if return_dict is None else return_dict
        out_hidden = self.config.output_hidden_states if output_hidden_states is None else output_hidden_states
        words, outputs = self.word_states(
            input_ids,
            word_index,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            position_ids=position_ids,
            inputs_embeds=inputs_embeds,
            graph=graph,
            output_attentions=bool(output_attentions),
            output_hidden_states=bool(out_hidden),
        )
        losses = []
        trigger_logits = self.trigger_classifier(words)
        if trigger_labels is not None:
            losses.append(mean_cross_entropy(trigger_logits, trigger_labels))
        entity_logits = None
        if self.entity_classifier is not None:
            entity_logits = self.entity_classifier(words)
            if entity_labels is not None:
                losses.append(mean_cross_entropy(entity_logits, entity_labels))
        argument_logits = None
        if argument_pairs is not None:
            seq_len = (input_ids if input_ids is not None else inputs_embeds).size(1)
            argument_logits = self.argument_logits(words, argument_pairs, self._word_hops(graph, word_index, seq_len))
            if argument_labels is not None:
                losses.append(mean_cross_entropy(argument_logits, argument_labels))
        if self.scaffold is not None and graph is not None and trigger_labels is not None:
            sequence = outputs.last_hidden_state
            mask = attention_mask if attention_mask is not None else sequence.new_ones(sequence.shape[:2])
            losses.append(self.config.ee_scaffold_weight * self.scaffold(sequence, mask, graph))
        loss = sum(losses[1:], losses[0]) if losses else None
        result = EventExtractionOutput(
            loss=loss,
            trigger_logits=trigger_logits,
            argument_logits=argument_logits,
            entity_logits=entity_logits,
            hidden_states=outputs.hidden_states if out_hidden else None,
            attentions=outputs.attentions,
        )
        return result if return_dict else result.to_tuple()


def mean_cross_entropy(logits: Tensor, labels: Tensor) -> Tensor:
    """Mean cross-entropy over the last dimension, ``-100`` ignored; ``0`` when nothing counts (no
    host sync, no NaN)."""
    flat, target = logits.reshape(-1, logits.size(-1)), labels.reshape(-1)
    total = nn.functional.cross_entropy(flat.float(), target, ignore_index=-100, reduction="sum")
    return total / (target != -100).sum().clamp(min=1)
