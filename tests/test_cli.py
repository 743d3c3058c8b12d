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


def test_internal_bug_is_not_bad_input(monkeypatch):
    """An internal IndexError/KeyError is a bug: it propagates (traceback, exit 1), never 'exit 2'."""
    import amrgnn.cli as cli
    from amrgnn.cli.command import Command

    monkeypatch.setattr(cli, "COMMANDS", (Command("boom", "x", lambda p: None, lambda a: [][1]),))
    with pytest.raises(IndexError):
        cli.main(["boom"])
    # through the console entry point: a traceback and exit status 1
    code = ("import sys, amrgnn.cli as c; from amrgnn.cli.command import Command\n"
            "c.COMMANDS = (Command('boom', 'x', lambda p: None, lambda a: {}['missing']),)\n"
            "sys.exit(c.main(['boom']))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "Traceback" in res.stderr and "KeyError: 'missing'" in res.stderr


def test_input_errors_are_one_line_exit_2(tmp_path, capsys):
    assert main(["evaluate", "--gold", str(tmp_path / "nope.jsonl"), "--pred", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.jsonl: no such file or directory" in err
    assert main(["show", str(SAMPLE), "--id", "no-such-id", "-o", str(tmp_path / "x.png")]) == 2
    assert "no graph with id 'no-such-id'" in capsys.readouterr().err


def test_help_imports_no_torch():
    """Every command's parser is built from torch-free modules (``--help`` stays fast)."""
    code = ("import sys; from amrgnn.cli import build_parser, COMMANDS; p = build_parser()\n"
            "for c in COMMANDS:\n"
            "    try: p.parse_args([c.name, '--help'])\n"
            "    except SystemExit: pass\n"
            "heavy = [m for m in ('torch', 'transformers', 'torch_geometric', 'matplotlib') if m in sys.modules]\n"
            "assert not heavy, heavy")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]


def test_options_come_from_the_config_dataclasses():
    """train-ee's options and defaults are EEConfig's fields; the protocols reuse them."""
    import dataclasses

    from amrgnn.cli import build_parser
    from amrgnn.tasks.ee import EEConfig

    parser = build_parser()
    args = parser.parse_args(["train-ee", "--train", "a", "--dev", "b", "--output-dir", "o"])
    cfg = EEConfig(train="a", dev="b", output_dir="o")
    for f in dataclasses.fields(EEConfig):
        if f.metadata.get("cli"):
            assert getattr(args, f.name) == getattr(cfg, f.name), f.name
    cont = parser.parse_args(["continual", "--train", "a", "--dev", "b", "--output-dir", "o", "--method", "joint,replay",
                              "--no-progress"])
    assert cont.epochs == 30.0 and cont.stopping == "dev" and cont.methods == ["joint,replay"] and cont.progress is False
    with pytest.raises(SystemExit):
        parser.parse_args(["train-ee", "--train", "a", "--dev", "b", "--output-dir", "o", "--format", "conll"])
