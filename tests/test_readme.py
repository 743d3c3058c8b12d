"""The README's first example runs as written (on the sample corpus instead of the Little Prince)."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import SAMPLE

README = Path(__file__).resolve().parents[1] / "README.md"


def test_first_example_runs():
    block = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    assert "from amrgnn.graph import read_amr, align" in block
    code = block.replace('"amr-bank-struct-v3.0.txt"', repr(str(SAMPLE)))
    scope: dict = {}
    exec(compile(code, str(README), "exec"), scope)  # the documentation's own code  # noqa: S102
    assert callable(scope["align"]) and scope["data"]["token", "amr", "token"].edge_index.size(0) == 2
