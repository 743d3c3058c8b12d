"""benchmarks/ace2005.sh on a fixture directory laid out like the LDC release: the data stage runs
for real, every later stage is printed (DRY_RUN=1) and each printed command is checked against the
command line it calls."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from amrgnn.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "ace2005.sh"
FIXTURE = ROOT / "tests" / "fixtures" / "ace2005"
STAGES = ["mlgm", "parser", "ee-text", "ee-amr", "ee-graph-arg", "continual", "low-resource", "cross-domain", "study", "report"]


def _run(args, env_extra, tmp_path):
    env = {**os.environ, "PY": sys.executable, "OUT": str(tmp_path / "out"), **env_extra}
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=900)


def test_script_on_a_release_layout(tmp_path):
    release = tmp_path / "LDC2006T06"
    shutil.copytree(FIXTURE / "data", release / "data")
    r = _run([str(release), str(tmp_path / "AMR3")], {"DRY_RUN": "1", "PREPARE_ARGS": f"--split-dir {FIXTURE / 'split'}",
                                                       "EXTRA": "--max-steps 2"}, tmp_path)
    assert r.returncode == 0, r.stderr
    data = tmp_path / "out" / "data"
    assert json.loads((data / "summary.json").read_text())["parts"]["train"]["documents"] == 4
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("DRY_RUN ")]
    assert [ln.split()[1].rstrip(":") for ln in lines] == STAGES
    parser = build_parser()
    for ln in lines:
        argv = shlex.split(ln.split(":", 1)[1])
        if argv[0] == "amrgnn":
            parser.parse_args(argv[1:])  # exits (SystemExit) on an option the command lacks
        else:
            assert argv[1].endswith("study.py")
            help_text = subprocess.run([sys.executable, argv[1], "--help"], capture_output=True, text=True, timeout=120).stdout
            assert all(opt in help_text for opt in argv if opt.startswith("--")), argv
    joined = "\n".join(lines)
    assert f"--data {tmp_path / 'AMR3'}/data/amrs/split/training" in joined  # AMR 3.0 when given
    assert "ace05-5tasks.json" in joined and f"--train {data / 'train.json'}" in joined


def test_script_usage_and_a_wrong_release(tmp_path):
    assert _run([], {}, tmp_path).returncode == 2
    r = _run([str(tmp_path)], {"DRY_RUN": "1"}, tmp_path)
    assert r.returncode == 2 and "not an ACE2005 release" in r.stderr


def _release_with_three_documents_per_genre(root: Path) -> Path:
    """The fixture release with each document three times under new ids (``..._0001`` -> ``_0001..3``),
    so that a split drawn per genre has train, dev and test documents in every genre."""
    src = FIXTURE / "data" / "English"
    for f in src.glob("*/timex2norm/*"):
        doc = f.name.split(".")[0]
        for k in (1, 2, 3):
            new = f"{doc[:-1]}{k}"
            out = root / "data" / "English" / f.relative_to(src).parent / f.name.replace(doc, new)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f.read_text(encoding="utf-8").replace(doc, new), encoding="utf-8")
    return root


def test_script_runs_every_stage_for_real_on_a_tiny_backbone(tmp_path):
    """Every stage the script calls runs (2 optimizer steps each) on the fixture release and a tiny
    AMR 3.0 layout; the closing table prints the test F1 of the train-ee runs as they were scored."""
    from .conftest import SAMPLE
    from .tiny_backbone import make_tiny_backbone

    release = _release_with_three_documents_per_genre(tmp_path / "LDC2006T06")
    words = {w.lower() for f in release.rglob("*.sgm") for w in re.findall(r"[A-Za-z]+", f.read_text(encoding="utf-8"))}
    backbone = make_tiny_backbone(tmp_path / "bb", [SAMPLE], extra_words=sorted(words))
    for part in ("training", "dev"):
        d = tmp_path / "AMR3" / "data" / "amrs" / "split" / part
        d.mkdir(parents=True)
        shutil.copy(SAMPLE, d / f"amr-release-3.0-amrs-{part}-sample.txt")
    streams = tmp_path / "streams.json"  # the fixture's training types in three tasks
    streams.write_text(json.dumps([["Conflict:Attack", "Justice:Sentence", "Justice:Arrest-Jail"],
                                   ["Transaction:Transfer-Ownership", "Transaction:Transfer-Money"],
                                   ["Business:Merge-Org", "Justice:Release-Parole", "Contact:Meet"]]))
    env = {"BACKBONE": str(backbone), "SEEDS": "1", "EPOCHS": "1", "MLGM_EPOCHS": "1", "PARSER_EPOCHS": "1",
           "EXTRA": "--max-steps 2", "LOWRES_SIZES": "2", "STREAMS": str(streams),
           "PREPARE_ARGS": f"--split-dir {FIXTURE / 'split'}",
           "STUDY_ARGS": "--sizes 100% --conditions text,amr --settings lowres --min-steps 2 --evaluations 1"}
    r = _run([str(release), str(tmp_path / "AMR3")], env, tmp_path)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = tmp_path / "out"
    assert all((out / f"{s}.done").is_file() for s in STAGES)
    assert "amr-release-3.0-amrs-training-sample.txt" in json.dumps(json.loads((out / "mlgm" / "data_summary.json").read_text()))
    # cross-domain: trained on bn+nw of the per-genre split, every genre scored
    genres = json.loads((out / "data-genres" / "domains.json").read_text())
    assert sorted(set(genres.values())) == ["bc", "bn", "cts", "nw", "un", "wl"] and len(genres) == 18
    test_ids = (out / "data-genres" / "split" / "test.txt").read_text().split()
    assert sorted(genres[d] for d in test_ids) == ["bc", "bn", "cts", "nw", "un", "wl"]
    cross = (out / "cross-domain" / "report.md").read_text()
    assert all(f"| bn+nw | {g} (out)" in cross for g in ("bc", "cts", "un", "wl")) and "bn+nw (in)" in cross
    arg_graph = json.loads((out / "ee-graph-arg" / "config.json").read_text())
    assert arg_graph["ee_argument_graph"] and arg_graph["graph_attention"] == "none"
    study = json.loads((out / "study.json").read_text())
    assert sorted(r["condition"] for r in study["runs"]) == ["amr", "text"]
    # the closing table: OneIE's published numbers and our runs' test F1, as scored
    for run in ("ee-text", "ee-amr", "ee-graph-arg"):
        scores = json.loads((out / run / "scores.test.json").read_text())
        row = next(ln for ln in r.stdout.splitlines() if ln.startswith(run))
        assert [float(x) for x in row.split()[1:]] == [round(scores[k]["f1"], 1) for k in ("trigger_id", "trigger_cls", "arg_id", "arg_cls")]
    assert "OneIE (paper)            78.2         74.7         59.2         56.8" in r.stdout
