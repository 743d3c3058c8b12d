"""Property-based tests of the PENMAN reader: mutated and truncated real records give an ``AMR`` or an
``AMRFormatError`` that names the file, the record and the right line, never another exception; with
``skip_invalid=True`` the counts reconcile. Plus the reader bugs these tests found, as examples."""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

import penman
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amrgnn.graph import AMRFormatError, ReadStats, parse_amr, read_amr
from amrgnn.graph.io import SKIP_REASONS

from ..conftest import SAMPLE, SHARED_DATA


def _seed_records() -> list[str]:
    """The sample's records and the first few of each public corpus (when ../shared/data is there)."""
    out = [b for b in SAMPLE.read_text(encoding="utf-8").split("\n\n") if "(" in b]
    for rel in ("bio-amr/alignment-release-dev-bio.txt", "little-prince-amr/amr-bank-struct-v3.0.txt", "qald9-amr/qald-9-amr-test.txt"):
        p = SHARED_DATA / rel
        if p.is_file():
            out += [b for b in p.read_text(encoding="utf-8").split("\n\n") if "(" in b][:15]
    return out


SEEDS = _seed_records()
# What tends to break PENMAN and alignments: brackets, roles, quotes, ~e.N marks, metadata lines,
# and the line breaks str.splitlines() knows but files do not.
PIECES = ["(", ")", ":", "::", '"', "/", "~", "~e.", "~e.7", "~e.99", "~e.1,", "~e.3,x", "~x.1", ":ARG0", ":ARG0-of",
          "-", "0", " ", "\t", "\n", "\n\n", "#", "# ::id x\n", "# ::id\n", "# ::tok\n", "# ::snt a b\n", "\\",
          "\r", "\r\n", "\x0c", "\x1c", "\x85", "\u2028", "\ufeff", "\x00", "é", "(a / b)", '"~e.1"']
MUTATION = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.sampled_from(PIECES)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 6)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6), st.integers(1, 40)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("drop-line"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("copy-line"), st.integers(0, 10**6), st.integers(0, 10**6)),
)
ALIGN_MARK = re.compile(r"~(?:[a-z]\.?)?([0-9]+(?:,[0-9]+)*)")


def _mutate(text: str, mutations: list[tuple[str, int, object]]) -> str:
    for op, pos, arg in mutations:
        i = pos % (len(text) + 1)
        if op == "insert":
            text = text[:i] + arg + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + arg:]
        elif op == "duplicate":
            text = text[:i] + text[i:i + arg] + text[i:]
        elif op == "truncate":
            text = text[:i]
        else:
            rows = text.split("\n")
            j = pos % len(rows)
            if op == "drop-line":
                del rows[j]
            else:
                rows.insert(j, rows[arg % len(rows)])
            text = "\n".join(rows)
    return text


RECORD = st.builds(_mutate, st.sampled_from(SEEDS), st.lists(MUTATION, max_size=6))
# Deterministic (derandomize) and stateless (no example database written into the checkout).
FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _quiet_penman():
    logging.disable(logging.WARNING)  # penman logs every missing target it recovers from
    yield
    logging.disable(logging.NOTSET)


def _check_error(err: AMRFormatError, text: str, path: str, first_line: int) -> None:
    """The error names the file and a line of the record; the line carries what it reports."""
    rows = text.split("\n")  # files break lines at \n only
    assert err.path == path and err.reason in SKIP_REASONS, err
    assert err.line is not None and first_line <= err.line < first_line + len(rows), (err, len(rows))
    assert f"{path}:{err.line}:" in str(err)
    row = rows[err.line - first_line]
    if err.reason == "alignment-out-of-range":
        bad = int(re.search(r"alignment to token (\d+)", str(err)).group(1))
        assert any(bad in map(int, m.group(1).split(",")) for m in ALIGN_MARK.finditer(row)), (err, row)
    elif err.reason == "malformed-penman":
        assert row.strip(), (err, row)  # never a blank line
    # the record is named by its ::id as penman reads the leading comments, else by its default id
    comments = []
    for r in rows:
        if r.strip() and not r.lstrip().startswith("#"):
            break
        comments.append(r)
    (g,) = penman.iterdecode(comments + ["(x / y)"])
    assert err.graph_id == (g.metadata.get("id") or "rec"), (err.graph_id, g.metadata)


@FAST
@given(RECORD)
def test_mutated_record_parses_or_names_file_and_line(text):
    try:
        amr = parse_amr(text, default_id="rec", path="corpus.txt", line=7)
    except AMRFormatError as err:
        _check_error(err, text, "corpus.txt", 7)
        return
    assert amr.graph.triples and amr.id and amr.path == "corpus.txt" and amr.line == 7
    n = len(amr.tokens)
    marks = (amr.alignments, amr.constant_alignments, amr.role_alignments, amr.reentrancy_alignments)
    assert all(0 <= i < n for m in marks for idx in m.values() for i in idx)


def _graph_blocks(data: bytes) -> list[tuple[int, bytes]]:
    """Reference: blank-line separated blocks with their first line, less plain-comment headers."""
    blocks, cur, start = [], [], 0
    for j, row in enumerate(data.split(b"\n") + [b""], 1):
        if row.strip():
            start = start if cur else j
            cur.append(row)
        elif cur:
            blocks.append((start, b"\n".join(cur)))
            cur = []
    return [(s, b) for s, b in blocks if not (all(r.lstrip().startswith(b"#") for r in b.split(b"\n")) and b"::" not in b)]


@FAST
@given(st.lists(RECORD, min_size=1, max_size=4), st.sampled_from([None, b"\xff", b"\xc3", b"\x80"]), st.integers(0, 10**6))
def test_mutated_file_counts_reconcile(records, bad_byte, at):
    data = "\n\n".join(records).encode("utf-8", "surrogatepass")
    if bad_byte is not None:
        i = at % (len(data) + 1)
        data = data[:i] + bad_byte + data[i:]
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "corpus.txt"
        f.write_bytes(data)
        n_rows = data.count(b"\n") + 1
        try:
            strict = [a.id for a in read_amr(f, progress=False)]
        except AMRFormatError as err:
            strict = None
            assert err.path == str(f) and err.reason in SKIP_REASONS and 1 <= err.line <= n_rows, err
            assert f"{f}:{err.line}:" in str(err)
        stats = ReadStats()
        got = list(read_amr(f, skip_invalid=True, stats=stats, progress=False))
    blocks = _graph_blocks(data)
    assert stats.reconciles and stats.yielded == len(got) and stats.read == len(blocks)
    assert len({a.id for a in got}) == len(got)
    assert {a.line for a in got} <= {s for s, _ in blocks}
    if strict is not None:  # nothing wrong: both modes agree
        assert [a.id for a in got] == strict and not stats.skipped


# ------------------------------------------------------------------------------- bugs found above
def test_lines_are_file_lines_not_splitlines_rows(tmp_path):
    """penman splits a str with str.splitlines(), which also breaks at \\f, \\r, \\x1c, \\u2028, ...:
    a sentence holding one spilled out of its comment, and error lines were off."""
    f = tmp_path / "c.txt"
    f.write_text("# ::id a\n# ::snt one\x0ctwo\u2028three\n(a / alpha)\n\n"
                 "# ::id b\n(b / beta\x0c:ARG0 (g / gamma)\n   :ARG1 (\n", encoding="utf-8")
    stats = ReadStats()
    (a,) = read_amr(f, skip_invalid=True, stats=stats)
    assert a.tokens == ["one", "two", "three"] and a.graph.triples == [("a", ":instance", "alpha")]
    with pytest.raises(AMRFormatError) as info:
        list(read_amr(f))
    assert (info.value.graph_id, info.value.line) == ("b", 7) and f"{f}:7:" in str(info.value)


def test_bom_and_undecodable_headers(tmp_path):
    f = tmp_path / "c.txt"
    f.write_bytes(b"\xef\xbb\xbf# a header comment in Latin-1: caf\xe9\n\n# ::snt x\n(a / alpha)\n\n"
                  b"# ::snt caf\xe9\n(b / beta)\n\n# ::snt y\n(c / gamma)\n")
    stats = ReadStats()
    got = [a.id for a in read_amr(f, skip_invalid=True, stats=stats)]
    assert got == ["c.1", "c.3"]  # the header is no graph; the bad 2nd graph still takes its number
    assert stats.read == 3 and stats.skipped == {"not-utf8": 1} and stats.reconciles
    g = tmp_path / "bom.txt"
    g.write_bytes(b"\xef\xbb\xbf# ::id a\n(a / alpha)\n")
    assert [a.id for a in read_amr(g)] == ["a"]  # a UTF-8 byte-order mark is no PENMAN error


def test_alignment_error_points_at_the_mark_not_a_longer_one():
    text = "# ::tok a b c d e\n(x / xx~e.0\n   :ARG0~e.55 (y / yy~e.1)\n   :ARG1 (z / zz~e.5))"
    with pytest.raises(AMRFormatError, match="token 5 ") as info:
        parse_amr(text, path="c.txt", line=10)
    assert info.value.line == 13  # the ~e.5 of z, not the ~e.55 of the role two lines up


def test_error_names_the_record_not_the_next_line():
    with pytest.raises(AMRFormatError) as info:
        parse_amr("# ::id\n(a / alpha :ARG0 (", default_id="c.4", path="c.txt")
    assert info.value.graph_id == "c.4"  # `::id` without a value: the default id, not "(a"
    with pytest.raises(AMRFormatError) as info:
        parse_amr('# ::id q\n(a / b :ARG0 (c / "::id z") :ARG1 (', path="c.txt")
    assert info.value.graph_id == "q"
    with pytest.raises(AMRFormatError) as info:
        parse_amr("# ::id x y ::date 1\n(a / b~e.3)", path="c.txt")
    assert info.value.graph_id == "x y" == parse_amr("# ::id x y ::date 1\n(a / b)").id  # as penman reads it


def test_two_graphs_in_one_block_are_an_error_not_silently_one(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("# ::id a\n(a / alpha)\n# ::id b\n(b / beta)\n\n# ::id c\n(c / gamma)\n", encoding="utf-8")
    with pytest.raises(AMRFormatError, match="text after the graph") as info:
        list(read_amr(f))
    assert (info.value.reason, info.value.graph_id, info.value.line) == ("malformed-penman", "a", 4)
    stats = ReadStats()
    assert [a.id for a in read_amr(f, skip_invalid=True, stats=stats)] == ["c"]
    assert stats.skipped == {"malformed-penman": 1} and stats.reconciles
    assert parse_amr("(a / alpha)\n# a trailing comment").graph.triples == [("a", ":instance", "alpha")]
