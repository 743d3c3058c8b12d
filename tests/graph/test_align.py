"""Tests of the rule-based aligner (amrgnn.graph.aligner) on hand-made graphs and on Bio AMR."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from amrgnn.graph.aligner import align, is_markup, lemmas, lemmatize
from amrgnn.graph.io import AMR, parse_amr, read_amr

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BIO_DEV = DATA / "bio-amr" / "alignment-release-dev-bio.txt"


def amr(tokens: str, graph: str) -> AMR:
    return parse_amr(f"# ::id t\n# ::tok {tokens}\n{graph}")


def words(a: AMR, span: tuple[int, ...]) -> list[str]:
    return [a.tokens[i] for i in span]


def assert_in_range(a: AMR) -> None:
    n = len(a.tokens)
    for table in (a.alignments, a.constant_alignments, a.role_alignments):
        for key, span in table.items():
            assert span, key
            assert all(isinstance(i, int) and 0 <= i < n for i in span), (key, span, n)


# --------------------------------------------------------------------------------------------------
# lemmatiser


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("boys", "boy"), ("studies", "study"), ("boxes", "box"), ("cells", "cell"),
        ("running", "run"), ("making", "make"), ("binding", "bind"),
        ("stopped", "stop"), ("activated", "activate"), ("used", "use"), ("inhibited", "inhibit"),
        ("was", "be"), ("were", "be"), ("been", "be"), ("saw", "see"), ("seen", "see"),
        ("men", "man"), ("children", "child"), ("Found", "find"), ("analysis", "analysis"),
    ],
)
def test_lemmatize(word: str, lemma: str) -> None:
    assert lemmatize(word) == lemma


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("phosphorylation", "phosphorylate"), ("treatment", "treat"), ("efficiently", "efficient"),
        ("higher", "high"), ("largest", "large"), ("sensitivity", "sensitive"),
        ("expression", "express"), ("induction", "induce"), ("hydrolysis", "hydrolyze"),
        ("independent", "depend"), ("promoter", "promote"), ("inhibitors", "inhibit"),
        ("transcriptional", "transcribe"), ("purified", "purify"), ("mutant", "mutate"),
    ],
)
def test_lemma_candidates(word: str, lemma: str) -> None:
    cands = lemmas(word)
    assert cands[0] == word.lower()
    assert lemma in cands


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("fled", "flee"), ("sang", "sing"), ("lying", "lie"), ("sank", "sink"), ("stole", "steal"),
     ("swam", "swim"), ("born", "bear"), ("died", "die"), ("went", "go"), ("shot", "shoot")],
)
def test_irregular_verbs_of_event_triggers(word: str, lemma: str) -> None:
    # the forms the old hand-written inflection rules missed (lemmatize("died") was "di")
    assert lemmatize(word) == lemma
    assert lemma in lemmas(word)


@pytest.mark.parametrize(
    ("tokens", "graph", "words_of_root"),
    [
        ("The boy fled .", "(f / flee-05 :ARG0 (b / boy))", ["fled"]),
        ("The ship sank .", "(s / sink-01 :ARG1 (s2 / ship))", ["sank"]),
        ("She was born in Paris .", '(b / bear-02 :ARG1 (s / she) :location (c / city :name (n / name :op1 "Paris")))', ["born"]),
        ("The bomb went off .", "(g / go-off-16 :ARG1 (b / bomb))", ["went", "off"]),
        ("They shot down the plane .", "(s / shoot-down-05 :ARG0 (t / they) :ARG1 (p / plane))", ["shot", "down"]),
    ],
)
def test_event_triggers_align(tokens: str, graph: str, words_of_root: list[str]) -> None:
    a = align(amr(tokens, graph))
    root = a.graph.top
    assert words(a, a.alignments[root]) == words_of_root


def test_markup_tokens() -> None:
    for tok in ("<i>", "</i>", "</i>@", "@<xref", "</xref>@", 'ref-type="fig"', 'rid="F1">', "<sup>"):
        assert is_markup(tok), tok
    for tok in ("<", ">", "@-@", "@/@", "BRAF", "=", "5", "i"):
        assert not is_markup(tok), tok


# --------------------------------------------------------------------------------------------------
# concepts


def test_exact_match() -> None:
    a = align(amr("The boy wants to go .", "(w / want-01 :ARG0 (b / boy) :ARG1 (g / go-02 :ARG0 b))"))
    assert a.alignments == {"w": (2,), "b": (1,), "g": (4,)}
    assert_in_range(a)


def test_lemma_match() -> None:
    a = align(amr("The boys were running to the stores .", "(r / run-02 :ARG0 (b / boy) :destination (s / store))"))
    assert a.alignments == {"r": (3,), "b": (1,), "s": (6,)}
    # the role word before the destination
    assert a.role_alignments == {("r", ":destination", "s"): (4,)}


def test_nominalisation_and_prefix_match() -> None:
    a = align(amr("The government stopped the phosphorylation .", "(s / stop-01 :ARG0 (g / govern-01) :ARG1 (p / phosphorylate-01))"))
    assert a.alignments == {"s": (2,), "g": (1,), "p": (4,)}


def test_prefix_needs_four_shared_letters() -> None:
    a = align(amr("The gov left .", "(l / leave-11 :ARG0 (g / govern-01))"))
    assert "g" not in a.alignments  # "gov" shares only 3 letters with "govern"
    assert a.alignments["l"] == (2,)  # left -> leave (irregular table)


def test_hyphenated_concept_spans_tokens() -> None:
    a = align(amr("wild @-@ type cells in vitro", "(c / cell :mod (w / wild-type) :location (i / in-vitro))"))
    assert a.alignments == {"c": (3,), "w": (0, 2), "i": (4, 5)}


def test_special_concepts() -> None:
    a = align(
        amr(
            "We can not say what our results mean .",
            "(p / possible-01 :polarity - :ARG1 (s / say-01 :ARG0 (w / we) :ARG1 (a / amr-unknown"
            " :ARG1-of (m / mean-01 :ARG0 (t / thing :ARG2-of (r / result-01 :ARG0 w))))))",
        )
    )
    assert a.alignments["p"] == (1,)  # possible-01 ~ can
    assert a.alignments["s"] == (3,)
    assert a.alignments["w"] == (0,)  # we ~ We (first, unused)
    assert a.alignments["a"] == (4,)  # amr-unknown ~ what
    assert a.alignments["r"] == (6,)  # result-01 ~ results
    assert a.alignments["t"] == (6,)  # thing shares its :ARG2-of predicate's noun
    assert a.constant_alignments[("p", ":polarity", "-")] == (2,)
    assert a.role_alignments[("p", ":polarity", "-")] == (2,)


def test_person_and_thing_unaligned_unless_matched() -> None:
    a = align(amr("Obama spoke .", '(s / speak-01 :ARG0 (p / person :name (n / name :op1 "Obama")))'))
    assert "p" not in a.alignments and "n" not in a.alignments
    assert a.constant_alignments == {("n", ":op1", '"Obama"'): (0,)}
    a = align(amr("The person spoke .", "(s / speak-01 :ARG0 (p / person))"))
    assert a.alignments["p"] == (1,)


# --------------------------------------------------------------------------------------------------
# constants


def test_names() -> None:
    a = align(
        amr(
            "He met barack OBAMA near mutant B @-@ Raf .",
            '(m / meet-03 :ARG0 (h / he) :ARG1 (p / person :name (n / name :op1 "Barack" :op2 "Obama"))'
            ' :location (e / enzyme :name (n2 / name :op1 "B-Raf")))',
        )
    )
    assert a.alignments["h"] == (0,)
    assert a.constant_alignments == {
        ("n", ":op1", '"Barack"'): (2,),
        ("n", ":op2", '"Obama"'): (3,),
        ("n2", ":op1", '"B-Raf"'): (6, 8),  # the @-@ joiner is skipped
    }


def test_numbers() -> None:
    a = align(
        amr(
            "Six dogs and 12 cats saw the third man 2 times .",
            "(s / see-01 :ARG0 (a / and :op1 (d / dog :quant 6) :op2 (c / cat :quant 12))"
            " :ARG1 (m / man :ord (o / ordinal-entity :value 3)) :frequency 2)",
        )
    )
    assert a.constant_alignments[("d", ":quant", "6")] == (0,)  # word number
    assert a.constant_alignments[("c", ":quant", "12")] == (3,)  # digits
    assert a.constant_alignments[("o", ":value", "3")] == (7,)  # ordinal
    assert a.alignments["o"] == (7,)  # ordinal-entity shares its value's token
    assert a.constant_alignments[("s", ":frequency", "2")] == (9,)
    assert a.alignments["a"] == (2,)


def test_polarity_words_and_prefixes() -> None:
    a = align(
        amr(
            "I did n't see the independent man .",
            "(s / see-01 :polarity - :ARG0 (i / i) :ARG1 (m / man :ARG0-of (d / depend-01 :polarity -)))",
        )
    )
    assert a.alignments == {"s": (3,), "i": (0,), "m": (6,), "d": (5,)}
    assert a.constant_alignments[("s", ":polarity", "-")] == (2,)  # n't
    assert a.constant_alignments[("d", ":polarity", "-")] == (5,)  # in- of independent


def test_polarity_picks_nearest_negation() -> None:
    a = align(
        amr(
            "No one left , but we did not stay .",
            "(c / contrast-01 :ARG1 (l / leave-11 :ARG0 (o / one :polarity -))"
            " :ARG2 (s / stay-01 :polarity - :ARG0 (w / we)))",
        )
    )
    assert a.alignments["c"] == (4,)
    assert a.constant_alignments[("o", ":polarity", "-")] == (0,)
    assert a.constant_alignments[("s", ":polarity", "-")] == (7,)


# --------------------------------------------------------------------------------------------------
# disambiguation, markup, existing alignments


def test_repeated_words_follow_graph_neighbours() -> None:
    a = align(
        amr(
            "The cat saw the dog and the dog saw the cat .",
            "(a / and :op1 (s / see-01 :ARG0 (c / cat) :ARG1 (d / dog))"
            " :op2 (s2 / see-01 :ARG0 (d2 / dog) :ARG1 (c2 / cat)))",
        )
    )
    assert a.alignments == {"a": (5,), "s": (2,), "c": (1,), "d": (4,), "s2": (8,), "d2": (7,), "c2": (10,)}


def test_repeated_words_prefer_unused_tokens() -> None:
    a = align(amr("cells and cells", "(a / and :op1 (c / cell) :op2 (c2 / cell))"))
    assert {a.alignments["c"], a.alignments["c2"]} == {(0,), (2,)}


def test_never_aligns_markup() -> None:
    a = align(
        amr(
            "mutant <i> BRAF </i> cells ( <xref ref-type=\"fig\" rid=\"F1\"> Fig. 1 </xref>@ )",
            '(c / cell :part (g / gene :name (n / name :op1 "BRAF") :ARG2-of (m / mutate-01))'
            " :ARG1-of (d / describe-01 :ARG0 (f / figure :mod 1)))",
        )
    )
    assert a.alignments["c"] == (4,)
    assert a.alignments["m"] == (0,)
    assert a.alignments["g"] == (0,)  # gene shares "mutant" with its :ARG2-of predicate
    assert a.alignments["f"] == (9,)
    assert a.constant_alignments[("n", ":op1", '"BRAF"')] == (2,)
    assert a.constant_alignments[("f", ":mod", "1")] == (10,)
    used = {i for t in (a.alignments, a.constant_alignments, a.role_alignments) for s in t.values() for i in s}
    assert not any(is_markup(a.tokens[i]) for i in used)
    assert_in_range(a)


def test_keeps_existing_alignments() -> None:
    src = parse_amr(
        "# ::id t\n# ::tok The boy wants the boy to go .\n"
        "(w / want-01 :ARG0~e.3 (b / boy~e.4) :ARG1 (g / go-02 :ARG0 b))"
    )
    assert src.alignments == {"b": (4,)} and src.role_alignments
    before = (dict(src.alignments), dict(src.constant_alignments), dict(src.role_alignments))
    out = align(src)
    assert out is not src
    assert (src.alignments, src.constant_alignments, src.role_alignments) == before  # input untouched
    assert out.alignments["b"] == (4,)  # kept, although "boy" at 1 comes first
    assert out.alignments["w"] == (2,) and out.alignments["g"] == (6,)
    assert out.role_alignments[("w", ":ARG0", "b")] == (3,)  # kept
    again = align(src, overwrite=True)
    assert again.alignments["b"] == (1,)
    assert ("w", ":ARG0", "b") not in again.role_alignments


def test_empty_and_unmatched() -> None:
    a = align(amr("nothing here", "(z / zebra :mod (q / quokka))"))
    assert a.alignments == {} and a.constant_alignments == {} and a.role_alignments == {}
    b = parse_amr("# ::id t\n(z / zebra)")
    assert b.tokens == []
    assert align(b).alignments == {}


# --------------------------------------------------------------------------------------------------
# Bio AMR dev, against the ISI alignments


def _prf(gold: list[AMR], pred: list[AMR], kind: str) -> tuple[float, float]:
    def pairs(a: AMR) -> set:
        out = set()
        if kind in ("concepts", "overall"):
            out |= {(v, i) for v, s in a.alignments.items() for i in s}
        if kind in ("constants", "overall"):
            out |= {(t, i) for t, s in a.constant_alignments.items() for i in s}
        if kind == "roles":
            out |= {(t, i) for t, s in a.role_alignments.items() for i in s}
        return {(a.id, *p) for p in out}

    g = set().union(*(pairs(a) for a in gold))
    p = set().union(*(pairs(a) for a in pred))
    return len(g & p) / max(len(p), 1), len(g & p) / max(len(g), 1)


@pytest.mark.corpus
def test_bio_amr_dev_against_isi() -> None:
    if not BIO_DEV.is_file():
        pytest.skip(f"Bio AMR dev alignments not found at {BIO_DEV} (the shared data folder is absent)")
    gold = list(read_amr(BIO_DEV, progress=False))
    assert len(gold) == 500
    bare = [dataclasses.replace(a, alignments={}, constant_alignments={}, role_alignments={}) for a in gold]
    pred = [align(a) for a in bare]
    for a in pred:
        assert_in_range(a)
        assert not any(is_markup(a.tokens[i]) for s in a.alignments.values() for i in s)
    # measured: overall P 0.913 R 0.821; concepts P 0.915 R 0.862; constants P 0.909 R 0.742;
    # roles P 0.779 R 0.554
    floors = {
        "overall": (0.89, 0.80),
        "concepts": (0.89, 0.84),
        "constants": (0.88, 0.72),
        "roles": (0.74, 0.52),
    }
    for kind, (p_min, r_min) in floors.items():
        p, r = _prf(gold, pred, kind)
        assert p >= p_min and r >= r_min, f"{kind}: precision {p:.3f} (floor {p_min}), recall {r:.3f} (floor {r_min})"


def test_held_out_bio_documents_are_whole_and_present():
    path = Path(__file__).resolve().parents[2] / "data" / "splits" / "bio-amr-dev-aligner-heldout.txt"
    held = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert len(held) == len(set(held)) == 139
    if not BIO_DEV.is_file():
        pytest.skip(f"{BIO_DEV} is absent")
    ids = [a.id for a in read_amr(BIO_DEV, progress=False)]
    assert set(held) <= set(ids)
    doc = lambda sid: sid.rsplit(".", 1)[0]  # noqa: E731
    held_docs = {doc(s) for s in held}
    # whole documents: no sentence of a held-out document is left in the tuning part
    assert {s for s in ids if doc(s) in held_docs} == set(held)
