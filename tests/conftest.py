"""Shared test helpers: where the public corpora are, and small hand-written graphs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("AMRGNN_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT / "data" / "samples" / "sample.amr.txt"

#: Every AMR file of the public corpora (see ../shared/data/README.md).
CORPUS_FILES = {
    "lpp-v3.0": "little-prince-amr/amr-bank-struct-v3.0.txt",
    "lpp-v1.6-training": "little-prince-amr/amr-bank-struct-v1.6-training.txt",
    "lpp-v1.6-dev": "little-prince-amr/amr-bank-struct-v1.6-dev.txt",
    "lpp-v1.6-test": "little-prince-amr/amr-bank-struct-v1.6-test.txt",
    "bio-dev": "bio-amr/amr-release-dev-bio.txt",
    "bio-dev-aligned": "bio-amr/alignment-release-dev-bio.txt",
    "qald9-train": "qald9-amr/qald-9-amr-train.txt",
    "qald9-test": "qald9-amr/qald-9-amr-test.txt",
}


def corpus_path(name: str) -> Path:
    """The path of a public corpus file, or skip the test (with the reason) when it is absent."""
    p = SHARED_DATA / CORPUS_FILES[name]
    if not p.is_file():
        pytest.skip(f"public corpus {name} not found at {p} (../shared/data is absent)")
    return p


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("AMRGNN_REQUIRE_SCATTER"):
        import torch_scatter  # noqa: F401  # the scatter run must really have torch-scatter
