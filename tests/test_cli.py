"""The amrgnn command line: prepare, show, --help and exit status 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from amrgnn.cli import main

from .conftest import FIXTURES, SAMPLE


def test_prepare_prints_and_writes_summary(tmp_path, capsys):
    assert main(["prepare", "amr", str(SAMPLE), "--out", str(tmp_path), "--max-k", "3", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "graphs read        3" in out and "pairs at k=3" in out
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["graphs_read"] == s["converted"] == 3 and s["skipped_total"] == 0 and s["files"] == 1
    assert set(s["k_hop_pairs"]) == {"1", "2", "3"}
    assert main(["prepare", "amr", str(SAMPLE), "--out", str(tmp_path), "--max-k", "3", "--quiet"]) == 0
    assert "(cached)" in capsys.readouterr().out


def test_bad_input_exits_2_with_location(tmp_path, capsys):
    bad = FIXTURES / "bad_malformed.txt"
    assert main(["prepare", "amr", str(bad), "--out", str(tmp_path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:7:" in err and "bad.2" in err and "Traceback" not in err


def test_skip_invalid_reconciles(tmp_path, capsys):
    files = [str(FIXTURES / f) for f in ("bad_malformed.txt", "bad_alignment.txt", "bad_empty_and_duplicate.txt", "bad_encoding.txt")]
    assert main(["prepare", "amr", *files, "--out", str(tmp_path), "--skip-invalid", "--quiet"]) == 0
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["graphs_read"] == 11 and s["converted"] == 3 and s["skipped_total"] == 8 and s["reconciles"]
    assert s["skipped"] == {"alignment-out-of-range": 1, "duplicate-id": 4, "empty-graph": 1, "malformed-penman": 1, "not-utf8": 1}
    assert "malformed-penman" in capsys.readouterr().out


def test_show_draws_png(tmp_path):
    out = tmp_path / "g.png"
    assert main(["show", str(SAMPLE), "--id", "sample.2", "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_show_errors(tmp_path, capsys):
    assert main(["show", str(SAMPLE), "--id", "nope", "-o", str(tmp_path / "g.png")]) == 2
    assert "no graph with id 'nope'" in capsys.readouterr().err
    assert main(["show", str(SAMPLE), "--id", "sample.1", "-o", str(tmp_path / "g.pdf")]) == 2


def test_console_script_and_module_entry_point(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    r = subprocess.run([sys.executable, "-m", "amrgnn", "--help"], capture_output=True, text=True, env=env, check=False)
    assert r.returncode == 0 and "prepare" in r.stdout and "show" in r.stdout
    r = subprocess.run(
        [sys.executable, "-m", "amrgnn", "prepare", "amr", str(FIXTURES / "bad_alignment.txt"), "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 2 and "alignment-out-of-range" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("argv", [["prepare", "amr", "--help"], ["show", "--help"]])
def test_help(argv, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 0 and "usage" in capsys.readouterr().out
