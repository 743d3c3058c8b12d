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
    assert ev["event_type"] == "Personnel:End-Position"  # the file's personnel:endposition, with ACE's name
    assert sorted((a["role"], a["text"]) for a in ev["arguments"]) == [("Entity", "Ajax & Sons"), ("Person", "forty workers"), ("Time", "yesterday")]
    for part in ("train", "dev"):
        stats = EventReadStats()
        sents = read_events(tmp_path / f"{part}.json", "oneie", stats=stats)
        assert stats.dropped == {} and len(sents) == summary["parts"][part]["sentences"]
        assert stats.arguments == summary["parts"][part]["arguments"]


def test_ere_names_follow_ace():
    from amrgnn.data.ace.ere import ERE_ONLY_EVENT_TYPES, ere_event_type, ere_role

    assert ere_event_type("justice", "arrestjail") == ("Justice", "Arrest-Jail")
    assert ere_event_type("movement", "transportperson") == ("Movement", "Transport-Person")
    assert ere_event_type("business", "declarebankruptcy") == ("Business", "Declare-Bankruptcy")
    assert ere_event_type("newkind", "thing") == ("newkind", "thing")  # outside the inventory: as written
    # Rich ERE's 38 types as the files spell them: each gets a name, 31 of them ACE's
    spelled = ("business:declarebankruptcy business:endorg business:mergeorg business:startorg conflict:attack "
               "conflict:demonstrate contact:broadcast contact:contact contact:correspondence contact:meet justice:acquit "
               "justice:appeal justice:arrestjail justice:chargeindict justice:convict justice:execute justice:extradite "
               "justice:fine justice:pardon justice:releaseparole justice:sentence justice:sue justice:trialhearing "
               "life:beborn life:die life:divorce life:injure life:marry manufacture:artifact movement:transportartifact "
               "movement:transportperson personnel:elect personnel:endposition personnel:nominate personnel:startposition "
               "transaction:transaction transaction:transfermoney transaction:transferownership").split()
    names = {":".join(ere_event_type(*t.split(":"))) for t in spelled}
    assert len(spelled) == len(names) == 38 and all(n[0].isupper() for n in names)
    assert len(names - set(ERE_ONLY_EVENT_TYPES)) == 31 and set(ERE_ONLY_EVENT_TYPES) <= names
    assert ere_role("attacker") == "Attacker" and ere_role("org") == "Org"


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
