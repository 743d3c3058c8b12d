"""Rich ERE preparation on a hand-written fixture laid out like an LDC release (a discussion-forum
source with XML markup and an entity reference, a newswire source)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amrgnn.cli import main
from amrgnn.data.ace.ere import prepare_ere, read_rich_ere
from amrgnn.data.ace.errors import SourceFormatError
from amrgnn.data.events import EventReadStats, read_events

ERE = Path(__file__).resolve().parents[1] / "fixtures" / "ere"
RELEASE = ERE / "LDC2015E68"
SPLIT = ERE / "split"


def test_offsets_count_the_source_markup_and_references(tmp_path):
    summary = prepare_ere([RELEASE], tmp_path, split_dir=SPLIT)
    total = summary["total"]
    assert total["offset_conventions"] == {"file": 2}
    assert total["notes"].get("charseq-text-differs", 0) == 0
    # the author attribute, the headline: markup, never sentence text
    assert total["dropped"]["mentions"] == {"in-markup": 1, "in-outside-text:HEADLINE": 1}
    assert total["dropped"]["events"] == {"in-outside-text:HEADLINE": 1}
    recs = [json.loads(line) for line in open(tmp_path / "train.json")]
    assert recs[0]["tokens"][:3] == ["Ajax", "&", "Sons"]
    assert all("farmer_joe" not in r["sentence"] and "<" not in r["sentence"] for r in recs)
    ev = recs[0]["event_mentions"][0]
    assert ev["event_type"] == "personnel:endposition"
    assert sorted((a["role"], a["text"]) for a in ev["arguments"]) == [("entity", "Ajax & Sons"), ("person", "forty workers"), ("time", "yesterday")]
    for part in ("train", "dev"):
        stats = EventReadStats()
        sents = read_events(tmp_path / f"{part}.json", "oneie", stats=stats)
        assert stats.dropped == {} and len(sents) == summary["parts"][part]["sentences"]
        assert stats.arguments == summary["parts"][part]["arguments"]


def test_truncated_annotation_names_the_element(tmp_path):
    root = tmp_path / "rel" / "data"
    (root / "source").mkdir(parents=True)
    (root / "ere").mkdir()
    for f in (RELEASE / "data" / "source").iterdir():
        (root / "source" / f.name).write_bytes(f.read_bytes())
    for f in (RELEASE / "data" / "ere").iterdir():
        (root / "ere" / f.name).write_bytes(f.read_bytes())
    ann = root / "ere" / "NYT_ENG_TEST_0001.rich_ere.xml"
    text = ann.read_text()
    ann.write_text(text[: text.index("<trigger") + 20])
    with pytest.raises(SourceFormatError, match=r"NYT_ENG_TEST_0001\.rich_ere\.xml:\d+: <event_mention id=.em-1.>: not well-formed"):
        read_rich_ere(ann)
    assert main(["prepare", "ere", str(tmp_path / "rel"), "--out", str(tmp_path / "o"), "--split-dir", str(SPLIT)]) == 2
    assert main(["prepare", "ere", str(tmp_path / "rel"), "--out", str(tmp_path / "o"), "--split-dir", str(SPLIT), "--skip-invalid"]) == 0
    assert json.loads((tmp_path / "o" / "summary.json").read_text())["skipped_documents"]["dev"]["counts"] == {"truncated": 1}


def test_shipped_ere_split_with_missing_documents(tmp_path, capsys):
    assert main(["prepare", "ere", str(RELEASE), "--out", str(tmp_path), "--split", "textee4", "--skip-invalid"]) == 0
    assert "0 (9105)" in capsys.readouterr().out
