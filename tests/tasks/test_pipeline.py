"""Text in, events out: the sentence splitter's offsets, EventExtractionPipeline against predict-ee's
decoding on the same words, transformers' pipeline registry, predict-ee --format text, and the clear
messages (no mention tagger; graphs that cannot be made for new text)."""

from __future__ import annotations

import json
import logging

import pytest
import transformers

from amrgnn.cli import main
from amrgnn.data.ee import EECollator, EEDataset, EELabels, encode_sentences
from amrgnn.data.events import Sentence, read_events
from amrgnn.data.text import split_sentences, tokenize
from amrgnn.errors import UsageError
from amrgnn.models import AMRDebertaForEventExtraction
from amrgnn.tasks.ee import EventExtractionPipeline
from amrgnn.tasks.ee.predict import predict_sentences

from ..conftest import SAMPLE
from ..event_corpus import WORDS
from ..tiny_backbone import make_tiny_backbone
from .learnable_corpus import write_learnable


def test_split_sentences_offsets_by_hand():
    text = "Mr. Smith fled to the U.S. on Monday.  Two  soldiers died!\nThe end"
    sents = split_sentences(text)
    assert [text[s.start : s.end] for s in sents] == ["Mr. Smith fled to the U.S. on Monday.", "Two  soldiers died!", "The end"]
    assert sents[0].words == ("Mr.", "Smith", "fled", "to", "the", "U.S.", "on", "Monday", ".")
    for s in sents:
        assert all(text[a:b] == w for w, (a, b) in zip(s.words, s.offsets, strict=True))
    assert sents[1].offsets[1] == (text.index("soldiers"), text.index("soldiers") + 8)
    whole = split_sentences(text, split=False)
    assert len(whole) == 1 and whole[0].words == tuple(w for s in sents for w in s.words)
    assert split_sentences("   \n ") == []
    assert tokenize("don't stop") == [("do", 0, 2), ("n't", 2, 5), ("stop", 6, 10)]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained on the learnable toy (the mention tagger is on by default), and the toy."""
    d = tmp_path_factory.mktemp("pipe")
    splits = {name: write_learnable(d, name, docs, seed)[0] for name, docs, seed in (("train", 22, 0), ("dev", 4, 1), ("test", 4, 2))}
    bb = make_tiny_backbone(d / "bb", [SAMPLE], extra_words=WORDS)
    out = d / "ee"
    assert main(["train-ee", "--train", str(splits["train"]), "--dev", str(splits["dev"]), "--backbone", str(bb),
                 "--output-dir", str(out), "--max-steps", "48", "--batch-size", "8", "--learning-rate", "5e-3",
                 "--head-learning-rate", "1e-2", "--no-progress", "--seed", "3"]) == 0
    return out, splits, bb, d


def test_pipeline_matches_predict_ee_decoding_and_offsets(trained):
    out, splits, _, _ = trained
    pipe = EventExtractionPipeline.from_pretrained(out, device="cpu")
    assert pipe.finds_arguments and pipe.graph_spec == "none"
    gold = read_events(splits["test"])
    # the reference: predict-ee's decoding of the same words with the model's own candidates
    model = AMRDebertaForEventExtraction.from_pretrained(str(out)).eval()
    bare = [Sentence(s.id, s.tokens) for s in gold]
    labels = EELabels([t[2:] for t in model.config.ee_trigger_labels[1::2]], list(model.config.ee_role_labels))
    examples, _ = encode_sentences(bare, pipe.tokenizer, labels)
    ref = predict_sentences(model, bare, EEDataset(examples), EECollator(pipe.tokenizer.pad_token_id), candidates="predicted")
    records = pipe([s.tokens for s in gold], batch_size=5)
    assert len(records) == len(gold)
    n_args = 0
    for rec, s, r in zip(records, gold, ref, strict=True):
        starts = [0]
        for w in s.tokens[:-1]:
            starts.append(starts[-1] + len(w) + 1)
        want = [(e.type, starts[e.start], [(a.role, starts[a.start]) for a in e.arguments]) for e in r.events]
        got = [(e["type"], e["trigger"]["start"], [(a["role"], a["start"]) for a in e["arguments"]]) for e in rec["events"]]
        assert got == want
        for e in rec["events"]:
            for span in (e["trigger"], *e["arguments"]):
                assert rec["text"][span["start"] : span["end"]] == span["text"]
            assert 0 < e["score"] <= 1 and all(0 < a["score"] <= 1 for a in e["arguments"])
            n_args += len(e["arguments"])
    assert n_args > 0  # the tagger found candidates, and roles were assigned
    # the toy is learned: the gold triggers come back from raw text
    found = {(s.id, e["type"]) for s, rec in zip(gold, records, strict=True) for e in rec["events"]}
    want = {(s.id, e.type) for s in gold for e in s.events}
    assert len(found & want) >= 0.9 * len(want)


def test_raw_text_single_and_list_and_registry(trained):
    out, splits, _, _ = trained
    pipe = EventExtractionPipeline.from_pretrained(out, device="cpu")
    s1, s2 = (" ".join(s.tokens) for s in read_events(splits["test"])[:2])
    text = f"{s1} .  {s2} ."
    rec = pipe(text)
    assert [text[s["start"] : s["end"]] for s in rec["sentences"]] == [f"{s1} .", f"{s2} ."]
    for e in rec["events"]:
        t = e["trigger"]
        assert text[t["start"] : t["end"]] == t["text"] and e["sentence"] in (0, 1)
        bounds = rec["sentences"][e["sentence"]]
        assert bounds["start"] <= t["start"] < t["end"] <= bounds["end"]
    assert pipe([text, s1]) == [rec, pipe(s1)]
    assert pipe(text, split_sentences=False)["sentences"] == [{"start": 0, "end": len(text)}]
    assert pipe([]) == [] and pipe("")["events"] == []
    via_hf = transformers.pipeline("amr-event-extraction", model=str(out), device="cpu")
    assert type(via_hf).__name__ == "EventExtractionPipeline" and via_hf(text) == rec


def test_predict_ee_text_format(trained, tmp_path, capsys):
    out, splits, _, _ = trained
    lines = [" ".join(s.tokens) for s in read_events(splits["test"])[:3]]
    src = tmp_path / "notes.txt"
    src.write_text(f"{lines[0]}\n\n{lines[1]} . {lines[2]}\n", encoding="utf-8")
    dst = tmp_path / "events.jsonl"
    assert main(["predict-ee", "--model", str(out), "--input", str(src), "--format", "text", "--output", str(dst), "--device", "cpu"]) == 0
    recs = [json.loads(x) for x in dst.read_text().splitlines()]
    assert [r["line"] for r in recs] == [1, 3] and len(recs[1]["sentences"]) == 2
    printed = capsys.readouterr().out
    assert "wrote 2 documents" in printed and "1 blank lines skipped" in printed
    pipe = EventExtractionPipeline.from_pretrained(out, device="cpu")
    assert recs[0]["events"] == pipe(lines[0])["events"]
    assert main(["predict-ee", "--model", str(out), "--input", str(src), "--format", "text", "--whole-file", "--output", str(dst)]) == 0
    (whole,) = [json.loads(x) for x in dst.read_text().splitlines()]
    assert whole["line"] == 1 and whole["text"] == src.read_text()


def test_no_tagger_warns_and_file_graphs_are_refused(trained, tmp_path, caplog):
    out, splits, bb, d = trained
    plain = tmp_path / "plain"
    assert main(["train-ee", "--train", str(splits["train"]), "--dev", str(splits["dev"]), "--backbone", str(bb),
                 "--output-dir", str(plain), "--max-steps", "2", "--no-mention-tagger", "--no-progress"]) == 0
    with caplog.at_level(logging.WARNING):
        pipe = EventExtractionPipeline.from_pretrained(plain, device="cpu")
    assert not pipe.finds_arguments and "no mention tagger" in caplog.text
    assert all(not e["arguments"] for e in pipe(" ".join(read_events(splits["test"])[0].tokens))["events"])
    amr = d / "train.amr.txt"
    graphs = tmp_path / "graphs"
    assert main(["train-ee", "--train", str(splits["train"]), "--dev", str(splits["dev"]), "--backbone", str(bb),
                 "--graphs", f"penman:{amr}", "--output-dir", str(graphs), "--max-steps", "2", "--no-progress"]) == 0
    with pytest.raises(UsageError, match="new text needs a parser"):
        EventExtractionPipeline.from_pretrained(graphs, device="cpu")


def test_predict_ee_records_carry_the_token_graph(trained, tmp_path):
    """A model trained with word-level graphs (tokengraph:PATH) writes, per predicted record, the
    graph it read; the pipeline refuses such a model on new text (the graphs are matched by id)."""
    out, splits, bb, _ = trained
    graphs = tmp_path / "graphs.jsonl"
    want = {}
    with open(graphs, "w", encoding="utf-8") as f:
        for path in splits.values():
            for s in read_events(path):
                edges = [[1, 0, ":ARG0"], [1, len(s.tokens) - 1, ":ARG1"]]
                want[s.id] = edges
                f.write(json.dumps({"id": s.id, "tokens": s.tokens, "edges": edges}) + "\n")
    model = tmp_path / "g"
    assert main(["train-ee", "--train", str(splits["train"]), "--dev", str(splits["dev"]), "--backbone", str(bb),
                 "--graphs", f"tokengraph:{graphs}", "--output-dir", str(model), "--max-steps", "2", "--no-progress"]) == 0
    pred = tmp_path / "pred.jsonl"
    assert main(["predict-ee", "--model", str(model), "--input", str(splits["test"]), "--output", str(pred)]) == 0
    recs = [json.loads(x) for x in pred.read_text().splitlines()]
    assert recs and all(r["token_graph"] == want[r["wnd_id"]] for r in recs)
    plain = tmp_path / "plain.jsonl"
    assert main(["predict-ee", "--model", str(out), "--input", str(splits["test"]), "--output", str(plain)]) == 0
    assert all("token_graph" not in json.loads(x) for x in plain.read_text().splitlines())
    with pytest.raises(UsageError, match="new text needs a parser"):
        EventExtractionPipeline.from_pretrained(model, device="cpu")


def test_a_model_trained_on_predicted_graphs_gets_them_on_new_text(trained, tmp_path, monkeypatch):
    """--graphs predicted:DIR at training: the pipeline predicts the new text's graphs with that
    predictor without being told (a new cache entry per new text); a missing predictor is named."""
    _, splits, bb, _ = trained
    parser = tmp_path / "parser"
    assert main(["train-parser", "--data", str(SAMPLE), "--output-dir", str(parser), "--backbone", str(bb), "--max-steps", "4",
                 "--batch-size", "4", "--dev", str(SAMPLE), "--eval-steps", "4", "--no-progress"]) == 0
    monkeypatch.setenv("AMRGNN_CACHE", str(tmp_path / "cache"))
    model = tmp_path / "ee-graphs"
    assert main(["train-ee", "--train", str(splits["train"]), "--dev", str(splits["dev"]), "--backbone", str(bb),
                 "--graphs", f"predicted:{parser}", "--output-dir", str(model), "--max-steps", "2", "--no-progress"]) == 0
    cache = tmp_path / "cache" / "token-graphs"
    before = set(cache.iterdir())
    pipe = EventExtractionPipeline.from_pretrained(model, device="cpu")
    assert pipe.graph_spec == f"predicted:{parser}" and pipe.model.config.graph_attention == "multiscale"
    rec = pipe("mary then met london and john died")
    assert rec["sentences"] == [{"start": 0, "end": 34}]
    assert len(set(cache.iterdir()) - before) == 1  # the new sentence's graphs were predicted
    parser.rename(tmp_path / "moved")
    with pytest.raises(Exception, match="graph predictor .* is not there"):
        EventExtractionPipeline.from_pretrained(model, device="cpu")
