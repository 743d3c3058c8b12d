"""What every protocol run records beside its results (so a table can be regenerated), and the
statistics its tables share."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import subprocess
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["file_sha256", "package_versions", "read_json", "run_metadata", "write_json"]


@lru_cache(maxsize=64)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (cached per path, size and modification time)."""
    st = os.stat(path)
    return _sha256(os.path.abspath(path), st.st_size, st.st_mtime_ns)


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages a result depends on."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("amrgnn", "torch", "transformers", "torch-geometric", "accelerate", "tokenizers", "penman", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def _git_commit() -> str | None:
    root = Path(__file__).resolve().parents[3]
    if not (root / ".git").exists():
        return None
    try:
        res = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if res.returncode != 0:
        return None
    return res.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def run_metadata(config: Mapping[str, Any], data_files: Mapping[str, str | None], seed: int | None = None) -> dict[str, Any]:
    """Configuration, seed, package versions, data hashes (SHA-256 of each input file), the code's
    git commit where it runs from a checkout, the command line and the host."""
    return {
        "config": dict(config),
        "seed": seed,
        "data": {k: {"path": str(v), "sha256": file_sha256(v)} for k, v in data_files.items() if v},
        "versions": package_versions(),
        "git_commit": _git_commit(),
        "command": sys.argv,
        "host": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "started": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Write JSON atomically (a temporary file renamed over ``path``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)
