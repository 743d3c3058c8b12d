"""Property-based tests of the event readers (oneie, nlpcl, phee): real records, mutated (keys
dropped, values swapped for other types or other parts of the record, offsets out of range or not
integers, list items duplicated or dropped) or their text damaged (characters deleted, inserted,
duplicated, lines truncated, bytes that are not UTF-8), give sentences whose every span and label
is well-formed, or an ``EventFormatError`` naming the file and a line of it, never another
exception; with ``skip_invalid=True`` the counts reconcile. The records are read in place from
``tests/fixtures/events`` and, when present, ``../shared/data`` (GENEVA, PHEE)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amrgnn.data.events import EventFormatError, EventReadStats, read_events

from ..conftest import FIXTURES, SHARED_DATA

EV = FIXTURES / "events"

#: a small PHEE record (the layout of ../shared/data/phee), so that the phee reader is fuzzed without it
PHEE_RECORD = {
    "id": "1_1", "context": "A 54-year-old man, treated with amiodarone, developed thyrotoxicosis.", "is_mult_event": False,
    "annotations": [{"events": [{
        "event_id": "E1", "event_type": "Adverse_event",
        "Trigger": {"text": [["developed"]], "start": [[44]], "entity_id": ["T5"]},
        "Subject": {"text": [["A 54-year-old man"]], "start": [[0]], "entity_id": ["T3"],
                    "Age": {"text": [["54-year-old"]], "start": [[2]], "entity_id": ["T7"]}},
        "Treatment": {"text": [["amiodarone"]], "start": [[32]], "entity_id": ["T4"],
                      "Drug": {"text": [["amiodarone"], ["amiodarone"]], "start": [[32], [32]], "entity_id": ["T9", "T10"]}},
        "Effect": {"text": [["thyro", "toxicosis"]], "start": [[54, 59]], "entity_id": ["T6"]},
        "Speculated": {"text": [["developed"]], "start": [[44]], "entity_id": ["T8"], "value": False},
    }]}],
}


def _lines(path: Path, n: int, step: int = 1) -> list[dict]:
    if not path.is_file():
        return []
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % step == 0 and line.strip():
                out.append(json.loads(line))
            if len(out) == n:
                break
    return out


def _seeds() -> dict[str, list]:
    oneie = [json.loads(x) for p in ("gold.oneie.jsonl", "sample.events.jsonl", "unseen.events.jsonl", "bad.oneie.jsonl",
                                     "pred.oneie.jsonl") for x in (EV / p).read_text(encoding="utf-8").splitlines() if x.strip()]
    oneie += _lines(SHARED_DATA / "geneva" / "val.json", 12, 37) + _lines(SHARED_DATA / "geneva" / "train-lr1200-s160.json", 6, 41)
    nlpcl = json.loads((EV / "dev.nlpcl.json").read_text(encoding="utf-8"))
    nlpcl.append(copy.deepcopy(nlpcl[0]) | {"words": ["Rebels", "attacked", "the", "base", "at", "night"]})
    phee = [PHEE_RECORD] + _lines(SHARED_DATA / "phee" / "dev.json", 12, 29) + _lines(SHARED_DATA / "phee" / "train.json", 6, 97)
    return {"oneie": oneie, "nlpcl": nlpcl, "phee": phee}


SEEDS = _seeds()
#: the keys each reader reads (mutations go there more often than into, e.g., GENEVA's sub-word pieces)
READ = {"oneie": {"wnd_id", "sent_id", "doc_id", "tokens", "entity_mentions", "event_mentions"},
        "nlpcl": {"words", "golden-entity-mentions", "golden-event-mentions"},
        "phee": {"id", "context", "annotations"}}

OTHER_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 60), st.sampled_from([10**12, -(10**12), 0.0, 1.5, 2.0, float("nan")]),
    st.sampled_from(["", "0", "1", "x", "E1", "Trigger", "é"]), st.just([]), st.just({}), st.just([[]]), st.just([{}]),
    st.lists(st.integers(-1, 8), min_size=1, max_size=2), st.dictionaries(st.sampled_from(["start", "end", "id", "text"]),
                                                                          st.integers(-1, 8), max_size=2),
)
EDIT = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.none()),
    st.tuples(st.just("replace"), st.integers(0, 10**6), OTHER_VALUE),
    st.tuples(st.just("copy-from"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6), st.none()),
)
PIECES = ["{", "}", "[", "]", '"', ",", ":", "0", "-1", "99", "1.5", "null", "true", "\\", " ", "\n", "é", '"start": 3']
TEXT_EDIT = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.sampled_from(PIECES)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 8)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6), st.integers(1, 30)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


def _edit(root, fmt: str, edits) -> object:
    """``root`` (a record, or for nlpcl the whole list) with the edits applied, each at a path
    chosen by its index, mostly among the keys the reader reads."""
    root = copy.deepcopy(root)
    for op, at, arg in edits:
        paths = list(_paths(root))
        read = [p for p in paths if p and (p[0] if fmt != "nlpcl" else p[1] if len(p) > 1 else "words") in READ[fmt]]
        pool = read if read and at % 5 else paths
        path = pool[at % len(pool)]
        if not path:  # the root itself
            if op == "replace":
                root = arg
            continue
        parent = root
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = copy.deepcopy(arg)
        elif op == "copy-from":  # another part of the record here (a list for a dict, a text for an offset...)
            src = root
            for k in paths[arg % len(paths)]:
                src = src[k]
            parent[key] = copy.deepcopy(src)
        elif isinstance(parent, list):  # duplicate
            parent.insert(key, copy.deepcopy(parent[key]))
    return root


def _damage(text: str, edits) -> str:
    for op, pos, arg in edits:
        i = pos % (len(text) + 1)
        if op == "insert":
            text = text[:i] + arg + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + arg:]
        elif op == "duplicate":
            text = text[:i] + text[i:i + arg] + text[i:]
        else:
            text = text[:i]
    return text


@st.composite
def corpus_file(draw, fmt: str) -> bytes:
    """A file of the format: a few real records, some edited, some with their text damaged, and
    maybe a byte that is not UTF-8."""
    records = draw(st.lists(st.sampled_from(SEEDS[fmt]), min_size=1, max_size=3))
    if fmt == "nlpcl":
        root = _edit(records, fmt, draw(st.lists(EDIT, max_size=4)))
        text = _damage(json.dumps(root, ensure_ascii=False, indent=draw(st.sampled_from([None, 1]))),
                       draw(st.lists(TEXT_EDIT, max_size=draw(st.sampled_from([0, 0, 2])))))
    else:
        lines = []
        for rec in records:
            line = json.dumps(_edit(rec, fmt, draw(st.lists(EDIT, max_size=4))), ensure_ascii=False)
            lines.append(_damage(line, draw(st.lists(TEXT_EDIT, max_size=draw(st.sampled_from([0, 0, 0, 2]))))))
        text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))
    data = text.encode("utf-8")
    bad = draw(st.sampled_from([None] * 14 + [b"\xff", b"\xc3"]))
    if bad is not None:
        i = draw(st.integers(0, len(data)))
        data = data[:i] + bad + data[i:]
    return data


def _check_sentences(sents, fmt: str) -> None:
    """What every reader promises of what it yields: words, and spans and labels the encoder can use."""
    if fmt != "phee":  # (phee does not check that ids are unique)
        assert len({s.id for s in sents}) == len(sents)

    def span(start, end, n):
        return type(start) is int and type(end) is int and 0 <= start < end <= n

    for s in sents:
        n = len(s.tokens)
        assert isinstance(s.id, str) and n and all(isinstance(t, str) for t in s.tokens), s.tokens
        for e in s.entities:
            assert span(e.start, e.end, n) and isinstance(e.id, str), e
        for ev in s.events:
            assert span(ev.start, ev.end, n) and isinstance(ev.type, str), ev
            for a in ev.arguments:
                assert span(a.start, a.end, n) and isinstance(a.role, str) and a.role, a
                assert a.entity_id is None or isinstance(a.entity_id, str), a


FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _records(data: bytes) -> int:
    """How many items the nlpcl list has (its "lines" are list positions)."""
    try:
        root = json.loads(data)
    except ValueError:
        return 0
    return len(root) if isinstance(root, list) else 0


def _property(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / ("corpus.json" if fmt == "nlpcl" else "corpus.jsonl")
        f.write_bytes(data)
        n_lines = data.count(b"\n") + 1
        try:
            _check_sentences(read_events(f, fmt), fmt)
            strict_ok = True
        except EventFormatError as err:
            strict_ok = False
            assert err.path == str(f) and str(err).startswith(f"{f}:{err.line}:"), err
            assert 1 <= err.line <= max(n_lines, _records(data) if fmt == "nlpcl" else 0), (err, n_lines)
        for predictions in (False, True):
            stats = EventReadStats()
            try:
                sents = read_events(f, fmt, skip_invalid=True, stats=stats, predictions=predictions)
            except EventFormatError as err:  # only what spoils the whole file: empty, or (nlpcl) no JSON list
                assert not strict_ok and (err.reason == "empty-file" or fmt == "nlpcl"), err
                assert err.path == str(f), err
                continue
            _check_sentences(sents, fmt)
            assert stats.sentences + sum(stats.skipped_sentences.values()) == stats.records, stats
            assert len(sents) == stats.sentences and stats.records >= 1
            assert stats.events == sum(len(s.events) for s in sents)
            if strict_ok and not predictions:  # nothing wrong: nothing skipped or dropped
                assert not stats.skipped_sentences and not stats.dropped, stats


@pytest.mark.parametrize("fmt", ["oneie", "nlpcl", "phee"])
def test_seeds_read_as_they_are(fmt):
    """The unedited records: the fixtures' deliberately bad ones are skipped or dropped, the rest read."""
    assert SEEDS[fmt]
    for data in [SEEDS[fmt]] if fmt == "nlpcl" else SEEDS[fmt]:
        _property(fmt, json.dumps(data).encode())


@FAST
@given(corpus_file("oneie"))
def test_oneie_mutations_read_or_name_file_and_line(data):
    _property("oneie", data)


@FAST
@given(corpus_file("nlpcl"))
def test_nlpcl_mutations_read_or_name_file_and_line(data):
    _property("nlpcl", data)


@FAST
@given(corpus_file("phee"))
def test_phee_mutations_read_or_name_file_and_line(data):
    _property("phee", data)


# ------------------------------------------------------------------------------- bugs found above
_ONE = {"wnd_id": "s1", "tokens": ["Rebels", "attacked", "it"], "entity_mentions": [{"id": "m1", "start": 0, "end": 1}]}
_EV = {"event_type": "Conflict:Attack", "trigger": {"start": 1, "end": 2}}
_NL = {"words": ["Rebels", "attacked"], "golden-entity-mentions": [], "golden-event-mentions": []}
_PH_EV = {"event_id": "E1", "event_type": "Adverse_event", "Trigger": {"text": [["developed"]], "start": [[4]]}}


def _phee(**kw) -> dict:
    return {"id": "p_1", "context": "Man developed rash.", "annotations": [{"events": [_PH_EV | kw]}]}


@pytest.mark.parametrize(
    ("fmt", "record", "reason", "message"),
    [
        # before: KeyError, AttributeError, TypeError (unhashable), or bad data passed on to the encoder
        ("oneie", _ONE | {"entity_mentions": [{"start": 0, "end": 1}]}, "bad-entity", "entity mention 0 has no id"),
        ("oneie", _ONE | {"entity_mentions": ["m1"]}, "bad-entity", "entity mention 0 is a string, not an object"),
        ("oneie", _ONE | {"entity_mentions": [{"id": 3, "start": 0, "end": 1}]}, "bad-entity", "an id that is a number"),
        ("oneie", _ONE | {"entity_mentions": 5}, "bad-field", "entity_mentions is a number, not a list"),
        ("oneie", _ONE | {"event_mentions": {"e1": _EV}}, "bad-field", "event_mentions is an object, not a list"),
        ("oneie", _ONE | {"event_mentions": [[_EV]]}, "bad-event", "event mention 0 is a list, not an object"),
        ("oneie", _ONE | {"event_mentions": [_EV | {"event_type": 7}]}, "bad-event", "event_type that is a number"),
        ("oneie", _ONE | {"event_mentions": [_EV | {"trigger": [1, 2]}]}, "bad-trigger-span", "trigger is a list, not an object"),
        ("oneie", _ONE | {"event_mentions": [_EV | {"arguments": {"role": "Attacker"}}]}, "bad-argument", "arguments are an object"),
        ("oneie", _ONE | {"event_mentions": [_EV | {"arguments": ["m1"]}]}, "bad-argument", "argument is a string, not an object"),
        ("oneie", _ONE | {"event_mentions": [_EV | {"arguments": [{"entity_id": ["m1"], "role": "Attacker"}]}]},
         "bad-argument", "entity_id is a list, not a string"),
        ("oneie", _ONE | {"event_mentions": [_EV | {"arguments": [{"entity_id": "m1", "role": 3}]}]},
         "bad-argument", "role is a number, not a string"),
        ("oneie", _ONE | {"tokens": ["Rebels", None, "it"]}, "bad-tokens", "token 1 is null, not a string"),
        ("oneie", _ONE | {"tokens": "Rebels attacked it"}, "no-tokens", "tokens are a string, not a list"),
        ("nlpcl", "text", "bad-json", "expected a JSON object, got a string"),
        ("nlpcl", _NL | {"golden-event-mentions": "none"}, "bad-field", "golden-event-mentions is a string, not a list"),
        ("nlpcl", _NL | {"golden-entity-mentions": [7]}, "bad-entity", "entity mention 0 is a number, not an object"),
        ("nlpcl", _NL | {"golden-event-mentions": [{"event_type": "X", "trigger": {"start": 1, "end": 2}, "arguments": [
            {"start": 0, "end": 1, "role": ["Attacker"]}]}]}, "bad-argument", "role is a list, not a string"),
        ("nlpcl", _NL | {"words": ["Rebels", 2]}, "bad-tokens", "word 1 is a number, not a string"),
        ("phee", _phee() | {"context": {"text": "Man developed rash."}}, "bad-field", "context is an object, not a string"),
        ("phee", _phee() | {"annotations": {"events": []}}, "bad-field", "annotations is an object, not a list"),
        ("phee", _phee() | {"annotations": [None]}, "bad-event", "an annotation is null"),
        ("phee", {**_phee(), "annotations": [{"events": [None]}]}, "bad-event", "event is null"),
        ("phee", _phee(event_type=None), "bad-event", "event_type is null"),
        ("phee", _phee(Trigger={"text": None, "start": None}), "unmappable-offsets", "Trigger is an object whose text"),
        ("phee", _phee(Trigger={"text": [[None]], "start": [[4]]}), "unmappable-offsets", "does not match the context"),
        ("phee", _phee(Trigger=[["developed"]]), "unmappable-offsets", "Trigger is a list"),
        ("phee", _phee(Effect={"text": [["rash"]], "start": [[-5]]}), "unmappable-offsets", "'rash'"),
    ],
)
def test_bad_fields_are_format_errors(tmp_path, fmt, record, reason, message):
    f = tmp_path / "c.jsonl"
    good = {"oneie": {"wnd_id": "ok", "tokens": ["fine"]}, "nlpcl": _NL, "phee": _phee()}[fmt]
    f.write_text(json.dumps([good, record]) if fmt == "nlpcl" else json.dumps(good) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(EventFormatError, match=rf"^{f}:2: .*{message}.*\[{reason}\]$"):
        read_events(f, fmt)
    stats = EventReadStats()
    sents = read_events(f, fmt, skip_invalid=True, stats=stats)
    assert stats.records == 2 and stats.sentences + sum(stats.skipped_sentences.values()) == 2
    assert stats.skipped_sentences.get(reason, 0) + stats.dropped.get(reason, 0) == 1 and len(sents) == stats.sentences
    _check_sentences(sents, fmt)


@pytest.mark.parametrize("fmt", ["oneie", "nlpcl", "phee"])
def test_bytes_that_are_not_utf8(tmp_path, fmt):
    """Before: UnicodeDecodeError. A JSON-lines file skips the line; a JSON list is one document."""
    f = tmp_path / "c.jsonl"
    good = {"oneie": {"wnd_id": "ok", "tokens": ["fine"]}, "nlpcl": _NL, "phee": _phee()}[fmt]
    text = json.dumps([good, good], indent=1) if fmt == "nlpcl" else json.dumps(good) + "\n" + json.dumps(good) + "\n"
    at = text.rindex("fine" if fmt == "oneie" else "Rebels" if fmt == "nlpcl" else "rash")
    f.write_bytes(b"\xef\xbb\xbf" + text[:at].encode() + b"caf\xe9" + text[at:].encode())  # a BOM is fine, Latin-1 is not
    line = text[:at].count("\n") + 1
    with pytest.raises(EventFormatError, match=rf"^{f}:{line}: not UTF-8 .*0xe9.*\[not-utf8\]$"):
        read_events(f, fmt)
    if fmt != "nlpcl":
        stats = EventReadStats()
        assert len(read_events(f, fmt, skip_invalid=True, stats=stats)) == 1
        assert stats.records == 2 and dict(stats.skipped_sentences) == {"not-utf8": 1}
