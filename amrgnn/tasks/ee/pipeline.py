"""Text in, events out: :class:`EventExtractionPipeline`, a :class:`transformers.Pipeline` over a
``train-ee`` model directory, registered as ``"amr-event-extraction"``.

    from amrgnn import EventExtractionPipeline
    p = EventExtractionPipeline.from_pretrained("out/ee")
    p("Rebels attacked the town on Monday. Two soldiers died.")
    # -> {"text": ..., "sentences": [{"start": 0, "end": 35}, ...], "events": [{"type": "Conflict:Attack",
    #     "score": 0.97, "trigger": {"text": "attacked", "start": 7, "end": 15}, "arguments": [...]}, ...]}

Sentences and words come from :mod:`amrgnn.data.text` (spaCy's rule-based tokenizer); a model
trained with graphs gets them the way it was trained (its ``predicted:DIR`` predictor, read from its
``ee_config.json``); argument candidates come from the model's mention tagger.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import DataLoader, Subset
from transformers import AutoTokenizer, Pipeline
from transformers.pipelines import PIPELINE_REGISTRY

from ...data import text as raw_text
from ...data.ee import EECollator, EEDataset, EELabels, encode_sentences
from ...data.events import Sentence
from ...data.graphs import attach_graphs, parse_graph_source
from ...data.text import TextSentence
from ...errors import MissingInputError, UsageError
from ...models import AMRDebertaForEventExtraction

__all__ = ["PIPELINE_TASK", "EventExtractionPipeline", "predict_text_file", "resolve_pipeline_graphs"]

logger = logging.getLogger(__name__)

PIPELINE_TASK = "amr-event-extraction"
#: graph sources that can make graphs for new text (the others match corpus sentences by id)
RAW_TEXT_SOURCES = ("predicted", "amrlib")


def resolve_pipeline_graphs(model: AMRDebertaForEventExtraction, override: str | None = None) -> str:
    """The graph source for raw text: ``override``, else the one the model was trained with
    (``ee_config.json`` beside its weights); ``"none"`` for a model whose encoder reads no graph
    (text-only or scaffold models)."""
    if not model.config.reads_graphs:
        return "none"
    model_dir = Path(getattr(model, "name_or_path", "") or "")
    spec = override
    if spec is None:
        saved = model_dir / "ee_config.json"
        spec = json.loads(saved.read_text(encoding="utf-8")).get("graphs", "none") if saved.is_file() else "none"
    source = parse_graph_source(spec)
    if not source.uses_graphs:
        logger.warning("%s reads graphs but none is given: predicting without them (pass graphs='predicted:DIR')", model_dir)
        return "none"
    if source.kind not in RAW_TEXT_SOURCES:
        raise UsageError(f"{model_dir}: trained with graphs from {spec!r}, which are matched to corpus sentences by id; "
                         "new text needs a parser: pass graphs='predicted:DIR' (a train-parser model) or 'amrlib'")
    if source.kind == "predicted" and not Path(source.arg).is_dir():
        beside = model_dir / source.arg  # a relative path saved at training: also tried from the model directory
        if Path(source.arg).is_absolute() or not beside.is_dir():
            raise MissingInputError(f"{model_dir}: its graph predictor {source.arg} is not there; pass graphs='predicted:DIR'")
        spec = f"predicted:{beside}"
    return spec


def _pretokenised(words: Sequence[str]) -> tuple[str, list[TextSentence]]:
    """A sentence given as words: its text is the words joined by spaces."""
    offsets, pos = [], 0
    for w in words:
        offsets.append((pos, pos + len(w)))
        pos += len(w) + 1
    text = " ".join(words)
    return text, ([TextSentence(0, len(text), tuple(words), tuple(offsets))] if words else [])


class EventExtractionPipeline(Pipeline):
    """Events with character offsets for raw text (a string, a list of strings) or pre-tokenised
    sentences (a list of word lists).

    Args:
        model: a trained :class:`~amrgnn.models.AMRDebertaForEventExtraction`.
        tokenizer: its tokenizer.
        graphs: the graph source (default: the one the model was trained with; see
            :func:`resolve_pipeline_graphs`).
        max_seq_len: sub-words per sentence (words beyond get no label).
        device: as transformers' pipelines (default: the best available).
    """

    def __init__(self, model: AMRDebertaForEventExtraction, tokenizer: Any = None, *, graphs: str | None = None,
                 max_seq_len: int = 256, **kwargs: Any) -> None:
        if tokenizer is None:
            tokenizer = AutoTokenizer.from_pretrained(model.name_or_path)
        super().__init__(model=model, tokenizer=tokenizer, **kwargs)
        self.model.eval()
        self.graph_spec = resolve_pipeline_graphs(model, graphs)
        self.max_seq_len = max_seq_len
        trig = model.config.ee_trigger_labels
        self.labels = EELabels([t[2:] for t in trig[1::2]], list(model.config.ee_role_labels))
        self.finds_arguments = model.entity_classifier is not None
        if not self.finds_arguments:
            logger.warning("%s has no mention tagger (it was trained on given entity mentions with --no-mention-tagger, or "
                           "before train-ee trained one by default): raw-text predictions carry triggers only, no arguments; "
                           "retrain it with train-ee to get arguments", model.name_or_path)

    @classmethod
    def from_pretrained(cls, path: str | Path, device: int | str | torch.device | None = None, **kwargs: Any) -> EventExtractionPipeline:
        """The pipeline of a ``train-ee`` output directory."""
        model = AMRDebertaForEventExtraction.from_pretrained(str(path))
        return cls(model, AutoTokenizer.from_pretrained(str(path)), device=device, task=PIPELINE_TASK, **kwargs)

    # transformers' single-item protocol (preprocess -> _forward -> postprocess); __call__ batches itself
    def _sanitize_parameters(self, split_sentences: bool | None = None, **kwargs: Any) -> tuple[dict, dict, dict]:
        return ({} if split_sentences is None else {"split_sentences": split_sentences}), {}, {}

    def preprocess(self, inputs: str | Sequence[str], split_sentences: bool = True) -> dict[str, Any]:
        if isinstance(inputs, str):
            return {"text": inputs, "sentences": raw_text.split_sentences(inputs, split=split_sentences)}
        text, sents = _pretokenised(list(inputs))
        return {"text": text, "sentences": sents}

    def _forward(self, model_inputs: dict[str, Any]) -> dict[str, Any]:
        return {**model_inputs, "decoded": self._decode(model_inputs["sentences"], batch_size=16)}

    def postprocess(self, model_outputs: dict[str, Any]) -> dict[str, Any]:
        return _record(model_outputs["text"], model_outputs["sentences"], model_outputs["decoded"])

    def __call__(self, inputs: str | Sequence[str] | Sequence[Sequence[str]], batch_size: int | None = None,
                 split_sentences: bool = True, **kwargs: Any) -> dict[str, Any] | list[dict[str, Any]]:
        """One record for a string; a list of records for a list of strings or of word lists (a
        single pre-tokenised sentence is ``[words]``: a flat list of strings is a list of texts).

        Each record: ``{"text", "sentences": [{"start", "end"}], "events": [{"type", "score",
        "sentence", "trigger": {"text", "start", "end"}, "arguments": [{"role", "text", "start",
        "end", "score"}]}]}`` with ``text[start:end]`` the trigger's (argument's) text.
        """
        if kwargs:
            raise TypeError(f"unexpected arguments {sorted(kwargs)}")
        batch_size = batch_size or getattr(self, "_batch_size", None) or 16  # the call's, the pipeline's, or 16
        single = isinstance(inputs, str)
        items = [inputs] if single else list(inputs)
        docs = [self.preprocess(x, split_sentences) for x in items]
        flat = [s for d in docs for s in d["sentences"]]
        decoded = iter(self._decode(flat, batch_size=batch_size))
        records = [_record(d["text"], d["sentences"], [next(decoded) for _ in d["sentences"]]) for d in docs]
        return records[0] if single else records

    def _decode(self, sentences: Sequence[TextSentence], batch_size: int) -> list:
        """``model.decode`` over ``sentences`` in batches of similar length (sub-words)."""
        if not sentences:
            return []
        sents = [Sentence(f"s{i}", list(s.words)) for i, s in enumerate(sentences)]
        source = parse_graph_source(self.graph_spec)
        graphs, _, _ = attach_graphs(source, sents, self.tokenizer, backbone=Path(self.model.name_or_path))
        examples, _ = encode_sentences(sents, self.tokenizer, self.labels, max_seq_len=self.max_seq_len, graphs=graphs)
        dataset = EEDataset(examples)
        order = sorted(range(len(examples)), key=lambda i: examples[i].input_ids.numel())
        config = self.model.config
        collator = EECollator(self.tokenizer.pad_token_id, config.graph_num_scales, config.graph_undirected,
                              use_graph=source.uses_graphs)
        out: list = [None] * len(sents)
        for batch in DataLoader(Subset(dataset, order), batch_size=batch_size, shuffle=False, collate_fn=collator):
            idxs = batch["index"].tolist()
            graph = batch.get("graph")
            with torch.inference_mode():
                decoded = self.model.decode(
                    batch["input_ids"].to(self.device), batch["word_index"].to(self.device), [len(sents[i].tokens) for i in idxs],
                    candidates=None if self.finds_arguments else [[] for _ in idxs],
                    attention_mask=batch["attention_mask"].to(self.device),
                    graph=graph.to(self.device) if graph is not None else None,
                )
            for i, (events, _) in zip(idxs, decoded, strict=True):
                out[i] = events
        return out


def _span(text: str, sent: TextSentence, start: int, end: int) -> dict[str, Any]:
    a, b = sent.offsets[start][0], sent.offsets[end - 1][1]
    return {"text": text[a:b], "start": a, "end": b}


def _record(text: str, sentences: Sequence[TextSentence], decoded: Sequence[list]) -> dict[str, Any]:
    events = []
    for k, (sent, evs) in enumerate(zip(sentences, decoded, strict=True)):
        for ev in evs:
            events.append({
                "type": ev.type, "score": round(ev.score, 4), "sentence": k, "trigger": _span(text, sent, ev.start, ev.end),
                "arguments": [{"role": a.role, **_span(text, sent, a.start, a.end), "score": round(a.score, 4)} for a in ev.arguments],
            })
    return {"text": text, "sentences": [{"start": s.start, "end": s.end} for s in sentences], "events": events}


def predict_text_file(model_dir: str | Path, input_path: str | Path, output_path: str | Path, *, whole_file: bool = False,
                      graphs: str | None = None, batch_size: int = 32, max_seq_len: int = 256,
                      device: str | None = None) -> tuple[int, int, int]:
    """``predict-ee --format text``: each line of ``input_path`` a document (``whole_file``: the file
    one document), one JSON record per document (with its ``line``; blank lines are skipped and
    counted). Returns ``(documents, blank lines, events)``."""
    text = Path(input_path).read_text(encoding="utf-8")
    if whole_file:
        docs, blank = ([(1, text)] if text.strip() else []), int(not text.strip())
    else:
        lines = text.splitlines()
        docs = [(k, line) for k, line in enumerate(lines, 1) if line.strip()]
        blank = len(lines) - len(docs)
    pipe = EventExtractionPipeline.from_pretrained(model_dir, device=device, graphs=graphs, max_seq_len=max_seq_len)
    records = pipe([t for _, t in docs], batch_size=batch_size)
    with open(output_path, "w", encoding="utf-8") as f:
        for (line, _), rec in zip(docs, records, strict=True):
            f.write(json.dumps({"line": line, **rec}, ensure_ascii=False) + "\n")
    return len(docs), blank, sum(len(r["events"]) for r in records)


PIPELINE_REGISTRY.register_pipeline(PIPELINE_TASK, pipeline_class=EventExtractionPipeline,
                                    pt_model=AMRDebertaForEventExtraction, type="text")
