"""Low-resource and cross-domain protocols end to end on a tiny backbone: the subsets and domains
each run trains on, read-back of finished runs, the report's in/out-of-domain gap, bad input."""

from __future__ import annotations

import json

import pytest

from amrgnn.cli import main
from amrgnn.data.domains import ace_genre
from amrgnn.data.events import read_events
from amrgnn.data.subsample import sample_training
from amrgnn.tasks.protocols import runs as ee_runs
from amrgnn.tasks.protocols.report import collect_results, report_markdown

from ..conftest import SAMPLE
from ..event_corpus import WORDS, write_event_corpus
from ..tiny_backbone import make_tiny_backbone

FAST = ["--max-steps", "2", "--batch-size", "4", "--no-progress", "--epochs", "1"]


@pytest.fixture(scope="module")
def backbone(tmp_path_factory):
    return make_tiny_backbone(tmp_path_factory.mktemp("tiny-proto"), [SAMPLE], extra_words=WORDS)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("proto-data")
    return tuple(write_event_corpus(d / f"{n}.jsonl", docs=k, seed=s) for n, k, s in (("train", 9, 0), ("dev", 6, 1), ("test", 6, 2)))


def test_low_resource_curve(backbone, corpus, tmp_path, capsys, monkeypatch):
    out = tmp_path / "lr"
    args = ["low-resource", "--train", str(corpus[0]), "--dev", str(corpus[1]), "--test", str(corpus[2]),
            "--output-dir", str(out), "--sizes", "2", "33%", "--seeds", "1,2", "--backbone", str(backbone), *FAST]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert json.loads((out / "sizes.json").read_text()) == {"unit": "documents", "available": 9, "sizes": [2, 3, 9]}
    train = read_events(corpus[0])
    results = collect_results([out])
    assert sorted((r["size"], r["seed"]) for r in results) == [(2, 1), (2, 2), (3, 1), (3, 2), (9, 1), (9, 2)]
    for r in results:
        run = json.loads((tmp_path / "lr" / "runs" / "text" / f"documents{r['size']}-seed{r['seed']}" / "run.json").read_text())
        expected = sample_training(train, r["size"], r["seed"])
        assert run["train_ids"] == [s.id for s in expected]
        assert r["train_documents"] == r["size"] and r["train_sentences"] == len(expected)
        assert set(r["scores"]) == {"dev", "test"} and run["data"]["test"]["sha256"]
    for size in (2, 3, 9):
        assert f"| {size} | " in printed
    assert (out / "low_resource.png").stat().st_size > 0
    # results.csv: one row per (run, split, metric), the same F1 as results.json
    import pandas as pd

    table = pd.read_csv(out / "results.csv")
    from amrgnn.tasks.ee.score import METRICS, SCHEMA_FREE_METRICS

    assert len(table) == 6 * 2 * len(METRICS + SCHEMA_FREE_METRICS) and set(table["split"]) == {"dev", "test"}
    for r in results:
        row = table[(table["size"] == r["size"]) & (table["seed"] == r["seed"]) & (table["split"] == "test")
                    & (table["metric"] == "arg_cls")]
        assert row["f1"].item() == pytest.approx(r["scores"]["test"]["arg_cls"]["f1"])
    # finished runs are read back, not retrained
    monkeypatch.setattr(ee_runs, "fit_event_model", lambda *a, **k: pytest.fail("retrained a finished run"))
    assert main(args) == 0


def test_cross_domain_by_genre(backbone, corpus, tmp_path, capsys):
    out = tmp_path / "xd"
    assert main(["cross-domain", "--train", str(corpus[0]), "--dev", str(corpus[1]), "--test", str(corpus[2]),
                 "--output-dir", str(out), "--train-domains", "bn,nw", "--backbone", str(backbone), *FAST]) == 0
    printed = capsys.readouterr().out
    (r,) = collect_results([out])
    assert r["source"] == "bn+nw" and r["source_domains"] == ["bn", "nw"]
    assert set(r["scores"]) == {"dev", "test.bn", "test.nw", "test.bc", "test.bn+nw"}
    run = json.loads((out / "runs" / "text" / "bn+nw-seed42" / "run.json").read_text())
    assert {ace_genre(s.rsplit("-", 1)[0]) for s in run["train_ids"]} == {"bn", "nw"}
    test = read_events(corpus[2])
    assert r["scores"]["test.bc"]["sentences"] == sum(ace_genre(s.doc_id) == "bc" for s in test)
    assert r["scores"]["test.bn+nw"]["sentences"] == sum(ace_genre(s.doc_id) in ("bn", "nw") for s in test)
    assert "| text | bn+nw | bn+nw (in) |" in printed and "| text | bn+nw | bc (out) |" in printed
    assert "bn (out)" not in printed  # a part of the source is in-domain
    gap = r["scores"]["test.bn+nw"]["trigger_id"]["f1"] - r["scores"]["test.bc"]["trigger_id"]["f1"]
    row = next(line for line in printed.splitlines() if "bc (out)" in line)
    assert row.split("|")[9].strip() == f"{gap:.1f}"


def test_cross_domain_by_corpus_and_bad_input(backbone, corpus, tmp_path, capsys):
    other = tmp_path / "other.jsonl"
    write_event_corpus(other, docs=4, seed=5)
    a = f"news=oneie:{corpus[0]},{corpus[1]},{corpus[2]}"
    b = f"other=oneie:{other},{other},{other}"
    out = tmp_path / "xc"
    assert main(["cross-domain", "--domain", a, "--domain", b, "--output-dir", str(out), "--backbone", str(backbone), *FAST]) == 0
    text = report_markdown(collect_results([out]))
    for row in ("| text | news | news (in) |", "| text | news | other (out) |", "| text | other | other (in) |",
                "| text | other | news (out) |"):
        assert row in text
    capsys.readouterr()
    assert main(["cross-domain", "--domain", a, "--output-dir", str(tmp_path / "x1")]) == 2
    assert "at least two --domain" in capsys.readouterr().err
    assert main(["cross-domain", "--domain", "news=xml:a,b,c", "--domain", b, "--output-dir", str(tmp_path / "x2")]) == 2
    assert "format must be one of oneie, nlpcl, phee" in capsys.readouterr().err
    assert main(["cross-domain", "--train", str(corpus[0]), "--dev", str(corpus[1]), "--test", str(corpus[2]),
                 "--train-domains", "wl", "--output-dir", str(tmp_path / "x3"), "--backbone", str(backbone), *FAST]) == 2
    assert "no training sentences of domain(s) ['wl']" in capsys.readouterr().err
