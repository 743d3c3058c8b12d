"""benchmarks/ace2005.sh on a fixture directory laid out like the LDC release: the data stage runs
for real, every later stage is printed (DRY_RUN=1) and each printed command is checked against the
command line it calls."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from amrgnn.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "ace2005.sh"
FIXTURE = ROOT / "tests" / "fixtures" / "ace2005"
STAGES = ["mlgm", "parser", "ee-text", "ee-amr", "continual", "low-resource", "cross-domain", "study", "report"]


def _run(args, env_extra, tmp_path):
    env = {**os.environ, "PY": sys.executable, "OUT": str(tmp_path / "out"), **env_extra}
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300)


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
