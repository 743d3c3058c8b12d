"""AMREE prediction: decode triggers (BIO) and argument roles with a trained model, write them as
OneIE-style JSON lines, and predict whole files with a ``train-ee`` model directory."""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from pathlib import Path

import torch
from torch import Tensor
from torch.utils.data import DataLoader
from transformers import AutoTokenizer

from ...data.ee import NO_ROLE, EECollator, EEDataset, EELabels, bio_spans, encode_sentences
from ...data.events import Argument, EventMention, Sentence, read_events
from ...data.graphs import attach_graphs, parse_graph_source
from ...models import AMRDebertaConfig, AMRDebertaForEventExtraction

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
    """Predicted events for ``sentences`` (triggers decoded from the BIO tags; each predicted
    trigger paired with every candidate; the argmax role, ``<none>`` dropped).

    ``allowed_types`` / ``allowed_roles`` restrict the decoding to those labels (the others' logits
    are masked, as class-incremental learning does for types not seen yet)."""
    config = model.config
    trig_labels = config.ee_trigger_labels
    roles = config.ee_role_labels
    device = device or next(model.parameters()).device
    trig_bias, role_bias = label_masks(config, allowed_types, allowed_roles, device)
    was_training = model.training
    model.eval()
    out: list[Sentence | None] = [None] * len(sentences)
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False, collate_fn=collator)
    with torch.no_grad():
        for batch in loader:
            graph = batch.get("graph")
            words, _ = model.word_states(
                batch["input_ids"].to(device),
                batch["word_index"].to(device),
                attention_mask=batch["attention_mask"].to(device),
                graph=graph.to(device) if graph is not None else None,
            )
            tags = (model.trigger_classifier(words).float() + trig_bias).argmax(-1).cpu()
            ent_tags = model.entity_classifier(words).argmax(-1).cpu() if model.entity_classifier is not None else None
            pairs, owners = [], []
            per_sent: list[tuple[int, list[EventMention], list[tuple[int, int, str | None]]]] = []
            for row, idx in enumerate(batch["index"].tolist()):
                s = sentences[idx]
                n = len(s.tokens)
                visible = batch["word_index"][row, :n] >= 0
                labels = [trig_labels[t] if visible[w] else "O" for w, t in enumerate(tags[row, :n].tolist())]
                events = [EventMention(t, a, b, [], text=" ".join(s.tokens[a:b])) for a, b, t in bio_spans(labels)]
                if candidates == "predicted" and ent_tags is not None:
                    ent_labels = [["O", "B-ENT", "I-ENT"][t] if visible[w] else "O" for w, t in enumerate(ent_tags[row, :n].tolist())]
                    cands = [(a, b, None) for a, b, _ in bio_spans(ent_labels)]
                else:
                    cands = [(e.start, e.end, e.id) for e in s.entities if bool(visible[e.start : e.end].all())]
                for k, ev in enumerate(events):
                    for c, (a, b, _) in enumerate(cands):
                        pairs.append((row, ev.start, ev.end, a, b))
                        owners.append((len(per_sent), k, c))
                per_sent.append((idx, events, cands))
            if pairs:
                logits = model.argument_logits(words, torch.tensor(pairs, dtype=torch.long, device=device))
                best = (logits.float() + role_bias).argmax(-1).tolist()
                for (j, k, c), r in zip(owners, best, strict=True):
                    if roles[r] == NO_ROLE:
                        continue
                    _, events, cands = per_sent[j]
                    a, b, eid = cands[c]
                    s = sentences[per_sent[j][0]]
                    events[k].arguments.append(Argument(a, b, roles[r], eid, " ".join(s.tokens[a:b])))
            for idx, events, _ in per_sent:
                s = sentences[idx]
                out[idx] = Sentence(s.id, s.tokens, s.entities, events, s.doc_id, s.path, s.line, s.raw)
    model.train(was_training)
    return [s for s in out if s is not None]


def label_masks(
    config: AMRDebertaConfig,
    allowed_types: Collection[str] | None,
    allowed_roles: Collection[str] | None,
    device: torch.device | str | None = None,
) -> tuple[Tensor, Tensor]:
    """Additive logit masks ``([T], [R])`` over ``config.ee_trigger_labels`` and
    ``config.ee_role_labels``: ``0`` for ``O`` / ``<none>`` and the allowed labels, ``-inf`` for
    the rest (``None``: everything allowed)."""
    trig = torch.zeros(len(config.ee_trigger_labels), device=device)
    if allowed_types is not None:
        allowed = set(allowed_types)
        for i, lab in enumerate(config.ee_trigger_labels):
            if i and lab[2:] not in allowed:
                trig[i] = float("-inf")
    role = torch.zeros(len(config.ee_role_labels), device=device)
    if allowed_roles is not None:
        allowed = set(allowed_roles)
        for i, lab in enumerate(config.ee_role_labels):
            if i and lab not in allowed:
                role[i] = float("-inf")
    return trig, role


def write_predictions(sentences: list[Sentence], path: str | os.PathLike) -> None:
    """JSON lines: each input record with ``tokens`` and ``event_mentions`` replaced by the predictions
    (arguments carry ``start``/``end``, ``role`` and the ``entity_id`` where the candidate was one)."""
    with open(path, "w", encoding="utf-8") as f:
        for s in sentences:
            rec = dict(s.raw or {})
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
) -> int:
    """Predict events for a file with a ``train-ee`` model; returns the number of sentences.
    Event types and roles the model does not know are counted in the input, never a crash."""
    model_dir = Path(model_dir)
    saved = json.loads((model_dir / "ee_config.json").read_text()) if (model_dir / "ee_config.json").is_file() else {}
    spec = graphs or saved.get("graphs", "none")
    model = AMRDebertaForEventExtraction.from_pretrained(str(model_dir)).eval()
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
                              candidates="predicted" if predicted else "given")
    write_predictions(preds, output_path)
    return len(preds)
