"""AMREE prediction: decode triggers (BIO) and argument roles with a trained model, write them as
OneIE-style JSON lines, and predict whole files with a ``train-ee`` model directory."""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Sequence
from pathlib import Path

import torch
from torch.utils.data import DataLoader, Subset
from transformers import AutoTokenizer

from ...data.ee import EECollator, EEDataset, EELabels, encode_sentences
from ...data.events import Argument, EventMention, Sentence, read_events
from ...data.graphs import attach_graphs, parse_graph_source
from ...models import AMRDebertaForEventExtraction
from ...models.decoding import label_masks

__all__ = ["label_masks", "predict_file", "predict_sentences", "write_predictions"]


def predict_sentences(
    model: AMRDebertaForEventExtraction,
    sentences: list[Sentence],
    dataset: EEDataset,
    collator: EECollator,
    *,
    batch_size: int = 32,
    candidates: str = "given",
    device: torch.device | None = None,
    allowed_types: Collection[str] | None = None,
    allowed_roles: Collection[str] | None = None,
) -> list[Sentence]:
    """Predicted events for ``sentences`` (:meth:`AMRDebertaForEventExtraction.decode` per batch;
    ``candidates``: the sentences' entity mentions, or ``"predicted"`` by the model's mention tagger).

    ``allowed_types`` / ``allowed_roles`` restrict the decoding to those labels (the others' logits
    are masked, as class-incremental learning does for types not seen yet)."""
    device = device or next(model.parameters()).device
    out: list[Sentence | None] = [None] * len(sentences)
    order = sorted(range(len(dataset)), key=lambda i: dataset[i].input_ids.numel())  # batches of similar length
    loader = DataLoader(Subset(dataset, order), batch_size=batch_size, shuffle=False, collate_fn=collator)
    use_tagger = candidates == "predicted" and model.entity_classifier is not None
    for batch in loader:
        graph = batch.get("graph")
        idxs = batch["index"].tolist()
        batch_sents = [sentences[i] for i in idxs]
        decoded = model.decode(
            batch["input_ids"].to(device), batch["word_index"].to(device), [len(s.tokens) for s in batch_sents],
            candidates=None if use_tagger else [[(e.start, e.end) for e in s.entities] for s in batch_sents],
            allowed_types=allowed_types, allowed_roles=allowed_roles,
            attention_mask=batch["attention_mask"].to(device), graph=graph.to(device) if graph is not None else None,
        )
        for i, s, (events, _) in zip(idxs, batch_sents, decoded, strict=True):
            mentions = [
                EventMention(ev.type, ev.start, ev.end, [
                    Argument(a.start, a.end, a.role, None if use_tagger else s.entities[a.candidate].id,
                             " ".join(s.tokens[a.start : a.end]))
                    for a in ev.arguments
                ], text=" ".join(s.tokens[ev.start : ev.end]))
                for ev in events
            ]
            out[i] = Sentence(s.id, s.tokens, s.entities, mentions, s.doc_id, s.path, s.line, s.raw)
    return [s for s in out if s is not None]


def write_predictions(sentences: list[Sentence], path: str | os.PathLike,
                      token_graphs: Sequence[list[tuple[int, int, str]] | None] | None = None) -> None:
    """JSON lines: each input record with ``tokens`` and ``event_mentions`` replaced by the predictions
    (arguments carry ``start``/``end``, ``role`` and the ``entity_id`` where the candidate was one);
    with ``token_graphs``, each record's word-level graph the model read as ``token_graph``
    (``[[i, j, relation], ...]``, word indices)."""
    with open(path, "w", encoding="utf-8") as f:
        for k_sent, s in enumerate(sentences):
            rec = dict(s.raw or {})
            if token_graphs is not None and token_graphs[k_sent] is not None:
                rec["token_graph"] = [list(e) for e in token_graphs[k_sent]]
            if "wnd_id" not in rec and "sent_id" not in rec:
                rec["sent_id"] = s.id
            rec["tokens"] = s.tokens
            rec["event_mentions"] = [
                {
                    "id": f"{s.id}-EV{k}",
                    "event_type": ev.type,
                    "trigger": {"start": ev.start, "end": ev.end, "text": ev.text},
                    "arguments": [
                        {"start": a.start, "end": a.end, "role": a.role, "text": a.text, **({"entity_id": a.entity_id} if a.entity_id else {})}
                        for a in ev.arguments
                    ],
                }
                for k, ev in enumerate(s.events)
            ]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")



def predict_file(
    model_dir: str | os.PathLike,
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    fmt: str = "oneie",
    graphs: str | None = None,
    batch_size: int = 32,
    max_seq_len: int = 256,
    skip_invalid: bool = False,
    device: str | torch.device | None = None,
) -> int:
    """Predict events for a file with a ``train-ee`` model; returns the number of sentences.
    Event types and roles the model does not know are counted in the input, never a crash."""
    model_dir = Path(model_dir)
    saved = json.loads((model_dir / "ee_config.json").read_text()) if (model_dir / "ee_config.json").is_file() else {}
    spec = graphs or saved.get("graphs", "none")
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    model = AMRDebertaForEventExtraction.from_pretrained(str(model_dir)).to(device).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    sents = read_events(input_path, fmt, skip_invalid=skip_invalid)
    trig = model.config.ee_trigger_labels
    labels = EELabels([t[2:] for t in trig[1::2]], list(model.config.ee_role_labels))
    source = parse_graph_source(spec)
    graph_list, _, _ = attach_graphs(source, sents, tokenizer, backbone=model_dir)
    examples, _ = encode_sentences(sents, tokenizer, labels, max_seq_len=max_seq_len, graphs=graph_list)
    predicted = model.config.ee_entity_labels is not None and not any(s.entities for s in sents)
    collator = EECollator(
        tokenizer.pad_token_id, model.config.graph_num_scales, model.config.graph_undirected,
        use_graph=source.uses_graphs, with_entities=model.config.ee_entity_labels is not None,
    )
    preds = predict_sentences(model, sents, EEDataset(examples), collator, batch_size=batch_size,
                              candidates="predicted" if predicted else "given", device=device)
    word_graphs = source.word_graphs(sents) if source.uses_graphs and source.produces == "words" else None
    write_predictions(preds, output_path, word_graphs)
    return len(preds)
