"""Reading PENMAN: ids, tokens, alignments, layouts, and bad input located by file, id and line."""

from __future__ import annotations

import shutil

import pytest

from amrgnn.graph import AMRFormatError, ReadStats, expand_paths, parse_amr, read_amr

from ..conftest import FIXTURES, SAMPLE, corpus_path


def test_sample_ids_tokens_alignments():
    amrs = list(read_amr(SAMPLE))
    assert [a.id for a in amrs] == ["sample.1", "sample.2", "sample.3"]
    a = amrs[1]
    assert a.tokens[:4] == ["John", "did", "not", "eat"]
    assert a.alignments["e"] == (3,) and a.alignments["a"] == (6,)
    assert "p" not in a.alignments  # person is unaligned
    assert a.constant_alignments[("n", ":op1", '"John"')] == (0,)
    assert a.constant_alignments[("e", ":polarity", "-")] == (2,)
    assert a.role_alignments[("e", ":location", "c")] == (7,)
    assert a.path == str(SAMPLE) and a.line == 12


def test_tokens_fall_back_to_snt_and_ids_to_file_stem(tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("# ::snt Who killed Caesar ?\n(k / kill-01 :ARG0 (a / amr-unknown))\n\n# ::snt Hi .\n(h / hi)\n")
    amrs = list(read_amr(f))
    assert [a.id for a in amrs] == ["q.1", "q.2"]
    assert amrs[0].tokens == ["Who", "killed", "Caesar", "?"]


def test_inverted_roles_are_canonical():
    amr = parse_amr("(c / cat :ARG1-of (c2 / chase-01))")
    assert ("c2", ":ARG1", "c") in amr.graph.triples
    amr = parse_amr("(c / car :consist-of (w / wheel))")  # not an inverse under the AMR model
    assert ("c", ":consist-of", "w") in amr.graph.triples


def test_globs_and_amr3_layout(tmp_path):
    root = tmp_path / "amr_annotation_3.0"
    for kind, name in (("amrs", "amrs"), ("alignments", "alignments")):
        for split in ("training", "dev"):
            d = root / "data" / kind / "split" / split
            d.mkdir(parents=True)
            shutil.copy(SAMPLE, d / f"amr-release-3.0-{name}-{split}-sample.txt")
    files = expand_paths(root)
    assert all("alignments" in str(f) for f in files) and len(files) == 2
    assert len(expand_paths(str(root / "data/amrs/split/*/*.txt"))) == 2
    with pytest.raises(AMRFormatError, match="duplicate id"):
        list(read_amr(root))  # the same sample in two splits: ids collide
    stats = ReadStats()
    got = list(read_amr(root, skip_invalid=True, stats=stats))
    assert len(got) == 3 and stats.skipped["duplicate-id"] == 3 and stats.reconciles


@pytest.mark.parametrize(
    ("fixture", "reason", "graph_id", "line"),
    [
        ("bad_malformed.txt", "malformed-penman", "bad.2", 7),
        ("bad_alignment.txt", "alignment-out-of-range", "bad.2", 8),
        ("bad_empty_and_duplicate.txt", "empty-graph", "empty.2", 7),
        ("bad_encoding.txt", "not-utf8", "latin1.2", 6),
    ],
)
def test_bad_input_names_file_graph_and_line(fixture, reason, graph_id, line):
    path = FIXTURES / fixture
    with pytest.raises(AMRFormatError) as info:
        list(read_amr(path))
    err = info.value
    assert (err.reason, err.graph_id, err.line, err.path) == (reason, graph_id, line, str(path))
    assert f"{path}:{line}:" in str(err) and graph_id in str(err)


def test_skip_invalid_counts_reconcile():
    stats = ReadStats()
    files = [FIXTURES / f for f in ("bad_malformed.txt", "bad_alignment.txt", "bad_empty_and_duplicate.txt", "bad_encoding.txt")]
    got = list(read_amr(files + [FIXTURES / "missing.txt"], skip_invalid=True, stats=stats))
    assert [a.id for a in got] == ["ok.1", "ok.3", "ok.4"]  # ok.1 of later files are duplicates
    assert stats.skipped == {
        "malformed-penman": 1,
        "alignment-out-of-range": 1,
        "empty-graph": 1,
        "duplicate-id": 4,
        "not-utf8": 1,
    }
    assert stats.read == 11 and stats.yielded == 3 and stats.reconciles
    assert stats.files == 5 and stats.files_skipped == 1
    assert any("missing.txt" in e for e in stats.errors)


def test_unreadable_file_is_an_error():
    with pytest.raises(AMRFormatError, match="missing.txt.*cannot read"):
        list(read_amr(FIXTURES / "missing.txt"))


@pytest.mark.corpus
def test_public_corpora_counts():
    expected = {"lpp-v3.0": 1562, "bio-dev-aligned": 500, "qald9-train": 408, "qald9-test": 150}
    for name, n in expected.items():
        stats = ReadStats()
        assert sum(1 for _ in read_amr(corpus_path(name), stats=stats)) == n
        assert stats.reconciles and not stats.skipped


@pytest.mark.corpus
def test_bio_alignments_within_tokens():
    total = 0
    for amr in read_amr(corpus_path("bio-dev-aligned")):
        marks = (amr.alignments, amr.constant_alignments, amr.role_alignments, amr.reentrancy_alignments)
        for idx in [i for m in marks for i in m.values()]:
            assert all(0 <= i < len(amr.tokens) for i in idx)
            total += len(idx)
    assert total == 12663  # every ~e.N index of the file (grep -o '~e\.[0-9,]*' | count)
