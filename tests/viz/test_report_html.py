"""``amrgnn view``: the HTML error-analysis page, its counts (the scorer's definitions) and the CLI."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from amrgnn.cli import main
from amrgnn.data.events import EventFormatError, read_events
from amrgnn.tasks.ee.score import METRICS, score_events
from amrgnn.viz.report import render_prediction_report, report_counts

ATTACK = ["Rebels", "attacked", "the", "town", "with", "tanks", "in", "2003", "."]
SCRIPT = "<script>alert(1)</script>"
GRAPH = [[1, 0, ":ARG0"], [1, 3, ":ARG1"], [1, 5, ":instrument"]]


def _event(etype: str, start: int, end: int, tokens: list[str], *args: tuple[int, int, str]) -> dict:
    return {"event_type": etype, "trigger": {"start": start, "end": end, "text": " ".join(tokens[start:end])},
            "arguments": [{"start": s, "end": e, "role": r, "text": " ".join(tokens[s:e])} for s, e, r in args]}


def _record(sid: str, tokens: list[str], events: list[dict], **extra) -> dict:
    return {"doc_id": "d", "wnd_id": sid, "tokens": tokens, "entity_mentions": [], "event_mentions": events, **extra}


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


SUE = ["The", "company", "was", "sued", "."]
MEET = ["They", "met", "Bob", "&", "Ann", "."]
DIE = ["Soldiers", "died", "."]
EMPTY = ["Nothing", SCRIPT, "&", "happened", "."]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """s1: a correct trigger with a correct (Attacker), a wrong-role (Place for Target), a missed
    (Instrument) and a spurious (Time) argument; s2: a missed trigger (no prediction for the
    sentence at all); s3: a spurious trigger; s4: a wrong type; s5: no events."""
    gold = _write(tmp_path / "gold.jsonl", [
        _record("s1", ATTACK, [_event("Conflict:Attack", 1, 2, ATTACK, (0, 1, "Attacker"), (2, 4, "Target"), (5, 6, "Instrument"))]),
        _record("s2", DIE, [_event("Life:Die", 1, 2, DIE)]),
        _record("s3", MEET, []),
        _record("s4", SUE, [_event("Justice:Sue", 3, 4, SUE)]),
        _record("s5", EMPTY, []),
    ])
    pred = _write(tmp_path / "pred.jsonl", [
        _record("s1", ATTACK, [_event("Conflict:Attack", 1, 2, ATTACK, (0, 1, "Attacker"), (2, 4, "Place"), (7, 8, "Time"))],
                token_graph=GRAPH),
        _record("s3", MEET, [_event("Contact:Meet", 1, 2, MEET)]),
        _record("s4", SUE, [_event("Justice:Charge-Indict", 3, 4, SUE)]),
        _record("s5", EMPTY, []),
    ])
    return pred, gold


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.children, self.text = tag, attrs, parent, [], []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        out = []
        for c in self.children:
            if (tag is None or c.tag == tag) and (cls is None or cls in c.classes) and all(
                    c.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(c)
            out += c.find(tag, cls, **attrs)
        return out


VOID = {"meta", "input", "br", "img", "link", "hr", "source", "col", "wbr", "area", "base", "embed", "track"}


class Tree(HTMLParser):
    """A strict little DOM: every non-void element must be closed, in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#root", {}, None)
        self.doctype = ""
        self.feed(text)
        self.close()
        assert self.node is self.root, f"unclosed <{self.node.tag}>"

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Node(tag, dict(attrs), self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.node.children.append(Node(tag, dict(attrs), self.node))

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID and self.node.tag == tag, f"</{tag}> closes <{self.node.tag}>"
        self.node = self.node.parent  # type: ignore[assignment]

    def handle_data(self, data: str) -> None:
        self.node.text.append(data)


def _sentence(tree: Tree, sid: str) -> Node:
    (sec,) = [s for s in tree.root.find("section", "sent") if s.find("h3")[0].text[0].strip() == sid]
    return sec


def test_counts_follow_the_scorer(files):
    pred, gold = files
    c = report_counts(pred, gold)
    assert c == {"sentences": 5, "missed_trigger": 1, "spurious_trigger": 1, "wrong_type": 1, "missed_argument": 1,
                 "spurious_argument": 1, "wrong_role": 1, "correct_trigger": 1, "correct_argument": 1,
                 "predicted_trigger": 3, "predicted_argument": 3, "gold_trigger": 3, "gold_argument": 3}
    score = score_events(read_events(gold), read_events(pred, predictions=True))
    tc, ac = score.metrics["trigger_cls"], score.metrics["arg_cls"]
    assert (c["correct_trigger"], c["predicted_trigger"], c["gold_trigger"]) == (tc.match, tc.pred, tc.gold)
    assert (c["correct_argument"], c["predicted_argument"], c["gold_argument"]) == (ac.match, ac.pred, ac.gold)


def test_error_marks_and_filter_attributes(files):
    pred, gold = files
    tree = Tree(render_prediction_report(pred, gold))
    assert tree.doctype.lower() == "doctype html"
    marks = {k: len(tree.root.find("li", f"err-{k}")) for k in ("missed", "spurious", "wrong-type", "wrong-role")}
    assert marks == {"missed": 2, "spurious": 2, "wrong-type": 1, "wrong-role": 1}
    assert [li.attrs["data-item"] for li in tree.root.find("li", "err-missed")] == ["argument", "trigger"]
    attrs = {s.find("h3")[0].text[0].strip(): (s.attrs["data-types"], s.attrs["data-errors"], "empty" in s.classes)
             for s in tree.root.find("section", "sent")}
    assert attrs == {"s1": ("Conflict:Attack", "missed spurious wrong-role", False), "s2": ("Life:Die", "missed", False),
                     "s3": ("Contact:Meet", "spurious", False),
                     "s4": ("Justice:Charge-Indict Justice:Sue", "wrong-type", False), "s5": ("", "", True)}
    (select,) = tree.root.find("select", id="f-type")
    assert [o.attrs["value"] for o in select.find("option")] == [
        "", "Conflict:Attack", "Contact:Meet", "Justice:Charge-Indict", "Justice:Sue", "Life:Die"]
    assert [i.attrs["value"] for i in tree.root.find("input", "f-err")] == ["missed", "spurious", "wrong-type", "wrong-role", "none"]
    assert tree.root.find("span", id="shown")[0].all_text() == "4"  # s5 (no events) is hidden by default
    (wrong,) = tree.root.find("li", "err-wrong-role")
    assert "predicted Place, gold Target" in wrong.all_text() and "the town" in wrong.all_text()
    s1 = _sentence(tree, "s1")
    assert [g.attrs["data-role"] for g in s1.find("figure", "pred")[0].find("g", "arc")] == ["Attacker", "Place", "Time"]
    assert [g.classes[1] for g in s1.find("figure", "gold")[0].find("g", "arc")] == ["st-correct", "st-wrong-role", "st-missed"]
    assert "no prediction" in _sentence(tree, "s2").find("h3")[0].all_text()
    assert not _sentence(tree, "s2").find("figure", "pred") and _sentence(tree, "s2").find("figure", "gold")


def _metrics(tree: Tree) -> dict[str, tuple[float, ...]]:
    return {tr.attrs["data-metric"]: tuple(float(td.all_text()) for td in tr.find("td")[:3])
            for tr in tree.root.find("tr") if "data-metric" in tr.attrs}


def test_scores_and_per_type_table(files):
    pred, gold = files
    tree = Tree(render_prediction_report(pred, gold))
    shown = _metrics(tree)
    assert list(shown) == list(METRICS)
    assert shown["trigger_id"] == (66.67, 66.67, 66.67) and shown["trigger_cls"] == (33.33, 33.33, 33.33)
    assert shown["arg_id"] == (66.67, 66.67, 66.67) and shown["arg_cls"] == (33.33, 33.33, 33.33)
    (table,) = tree.root.find("table", id="per-type")
    rows = [[td.all_text() for td in tr.find("td")] for tr in table.find("tr") if "data-type" in tr.attrs]
    assert rows == [["Conflict:Attack", "1", "1", "100.00", "33.33"], ["Justice:Sue", "1", "0", "0.00", "0.00"],
                    ["Life:Die", "1", "0", "0.00", "0.00"], ["Contact:Meet", "0", "1", "0.00", "0.00"],
                    ["Justice:Charge-Indict", "0", "1", "0.00", "0.00"]]


def test_scores_equal_the_scorers(files, tmp_path):
    """With a predicted sentence that gold lacks (P, R and F1 differ), every number is score_events'."""
    pred, gold = files
    extra = tmp_path / "extra.jsonl"
    extra.write_text(pred.read_text(encoding="utf-8") + json.dumps(_record("s9", DIE, [_event("Life:Die", 1, 2, DIE)])) + "\n")
    tree = Tree(render_prediction_report(extra, gold))
    score = score_events(read_events(gold), read_events(extra, predictions=True))
    shown = _metrics(tree)
    for m in METRICS:
        assert shown[m] == tuple(round(x, 2) for x in (score.metrics[m].p, score.metrics[m].r, score.metrics[m].f1)), m
    assert shown["trigger_cls"] == (25.0, 33.33, 28.57)
    assert report_counts(extra, gold)["spurious_trigger"] == 2
    assert "not in gold" in _sentence(tree, "s9").find("h3")[0].all_text() and not _sentence(tree, "s9").find("figure", "gold")


def test_text_is_escaped_and_nothing_is_fetched(files):
    pred, gold = files
    page = render_prediction_report(pred, gold, title="A & B <i>")
    assert SCRIPT not in page and page.count("<script") == 1 and "A &amp; B &lt;i&gt;" in page
    tree = Tree(page)
    assert tree.root.find("title")[0].all_text() == "A & B <i>"
    assert _sentence(tree, "s5").find("p", "text")[0].all_text() == " ".join(EMPTY)
    words = [t.all_text() for t in _sentence(tree, "s5").find("text", "w")]
    assert words == EMPTY and "&" in [t.all_text() for t in _sentence(tree, "s3").find("text", "w")]
    assert "http://" not in page and "https://" not in page
    everything = tree.root.find()
    assert not [n for n in everything if "src" in n.attrs or "href" in n.attrs or n.tag in ("link", "iframe", "img")]
    assert not [n for n in everything if "hidden" in n.attrs and n.tag != "legend"]  # nothing needs JS to appear


def test_type_filter_keeps_distinct_types_apart(tmp_path):
    """Types that differ only in whitespace against ``_`` (or in ``%``) get distinct filter values."""
    types = ["Life Die", "Life_Die", "Life%20Die", "Life  Die"]
    recs = [_record(f"s{k}", DIE, [_event(t, 1, 2, DIE)]) for k, t in enumerate(types)]
    tree = Tree(render_prediction_report(_write(tmp_path / "types.jsonl", recs)))
    (select,) = tree.root.find("select", id="f-type")
    values = {o.all_text(): o.attrs["value"] for o in select.find("option") if o.attrs["value"]}
    assert sorted(values) == sorted(types) and len(set(values.values())) == len(types)
    assert all(" " not in v for v in values.values())  # one word of data-types each
    for k, t in enumerate(types):
        assert _sentence(tree, f"s{k}").attrs["data-types"].split() == [values[t]]
    assert {tr.attrs["data-type"] for tr in tree.root.find("tr") if "data-type" in tr.attrs} == set(values.values())


def _graph_arcs(tree: Tree) -> list[tuple[str, str]]:
    return [(g.attrs["data-rel"], g.find("text")[0].all_text()) for g in tree.root.find("g", "tg-arc")]


def test_token_graph_drawn_when_present(files, tmp_path):
    pred, gold = files
    tree = Tree(render_prediction_report(pred, gold))
    assert _graph_arcs(tree) == [(":ARG0", ":ARG0"), (":ARG1", ":ARG1"), (":instrument", ":instrument")]
    assert [len(g.find("path", "line")) for g in tree.root.find("g", "tg-arc")] == [1, 1, 1]
    assert tree.root.find("input", id="show-graph")
    plain = _write(tmp_path / "plain.jsonl", [_record("s1", ATTACK, [_event("Conflict:Attack", 1, 2, ATTACK, (0, 1, "Attacker"))])])
    tree = Tree(render_prediction_report(plain))
    assert _graph_arcs(tree) == [] and not tree.root.find("input", id="show-graph") and not tree.root.find("g", "tg")
    assert len(tree.root.find("g", "arc")) == 1 and "No gold" in tree.root.find("p", "no-gold")[0].all_text()
    bad = _write(tmp_path / "bad.jsonl", [_record("s1", ATTACK, [], token_graph=[[0, 99, ":ARG0"]])])
    with pytest.raises(EventFormatError, match=r"bad\.jsonl:1: sentence 's1': token_graph entry 0"):
        render_prediction_report(bad)


TEXT = "Rebels attacked the town. Soldiers died."
PIPELINE = {"line": 1, "text": TEXT, "sentences": [{"start": 0, "end": 25}, {"start": 26, "end": 40}], "events": [
    {"type": "Conflict:Attack", "score": 0.91, "sentence": 0, "trigger": {"text": "attacked", "start": 7, "end": 15},
     "arguments": [{"role": "Attacker", "text": "Rebels", "start": 0, "end": 6, "score": 0.8}]},
    {"type": "Life:Die", "score": 0.7, "sentence": 1, "trigger": {"text": "died", "start": 35, "end": 39}, "arguments": []}]}


def _boxed_words(svg: Node, cls: str) -> list[str]:
    """The words whose centre lies in a ``rect.<cls>``."""
    boxes = [(float(r.attrs["x"]), float(r.attrs["x"]) + float(r.attrs["width"])) for r in svg.find("rect", cls)]
    return [t.all_text() for t in svg.find("text", "w") if any(a <= float(t.attrs["x"]) <= b for a, b in boxes)]


def test_text_pipeline_records(tmp_path):
    path = _write(tmp_path / "text.jsonl", [PIPELINE])
    tree = Tree(render_prediction_report(path))
    assert report_counts(path)["sentences"] == 2 and report_counts(path)["predicted_trigger"] == 2
    first, second = tree.root.find("section", "sent")
    assert _boxed_words(first.find("svg")[0], "trig") == ["attacked"] and _boxed_words(first.find("svg")[0], "argbox") == ["Rebels"]
    assert _boxed_words(second.find("svg")[0], "trig") == ["died"]  # "died." is cut at the trigger's end
    labels = [t.all_text() for t in first.find("text", "lab")]
    assert labels == ["Conflict:Attack 0.91", "Attacker 0.80"]
    assert not tree.root.find("section", id="scores") and not tree.root.find("figure", "gold")
    assert not tree.root.find("li", "err") and "data-errors" not in first.attrs
    assert "text pipeline" in tree.root.find("p", "no-gold")[0].all_text()
    bad = dict(PIPELINE, events=[dict(PIPELINE["events"][0], trigger={"start": 7, "end": 99})])
    _write(tmp_path / "bad.jsonl", [PIPELINE, bad])
    with pytest.raises(EventFormatError, match=r"bad\.jsonl:2: event 0 trigger: span 7:99 is empty or outside 0:25"):
        render_prediction_report(tmp_path / "bad.jsonl")


def test_cli_end_to_end(files, tmp_path, capsys):
    pred, gold = files
    out = tmp_path / "report.html"
    assert main(["view", str(pred), "--gold", str(gold), "--html", str(out), "--title", "dev"]) == 0
    line = capsys.readouterr().out
    assert line.count("\n") == 1 and f"wrote {out}: 5 sentences" in line and "1 wrong-role arguments" in line
    tree = Tree(out.read_text(encoding="utf-8"))
    assert tree.root.find("h1")[0].all_text() == "dev" and len(tree.root.find("li", "err")) == 6
    text = _write(tmp_path / "text.jsonl", [PIPELINE])
    assert main(["view", str(text), "--html", str(tmp_path / "t.html")]) == 0
    assert "2 predicted triggers, 1 arguments; no gold" in capsys.readouterr().out


def test_cli_bad_input_exits_2(files, tmp_path, capsys):
    pred, gold = files
    html = str(tmp_path / "r.html")
    assert main(["view", str(tmp_path / "nope.jsonl"), "--html", html]) == 2
    err = capsys.readouterr().err
    assert "nope.jsonl: no such file or directory" in err and err.count("\n") == 1
    assert main(["view", str(pred), "--gold", str(tmp_path / "nogold.jsonl"), "--html", html]) == 2
    assert "nogold.jsonl" in capsys.readouterr().err
    broken = tmp_path / "broken.jsonl"
    broken.write_text(pred.read_text(encoding="utf-8").splitlines()[0] + "\n{not json\n", encoding="utf-8")
    assert main(["view", str(broken), "--gold", str(gold), "--html", html]) == 2
    assert f"{broken}:2: not JSON" in capsys.readouterr().err
    text = _write(tmp_path / "text.jsonl", [PIPELINE])
    assert main(["view", str(text), "--gold", str(gold), "--html", html]) == 2
    assert "have no gold" in capsys.readouterr().err
    assert main(["view", str(pred), "--html", str(tmp_path / "no" / "dir" / "r.html")]) == 2
    assert not Path(html).exists()
