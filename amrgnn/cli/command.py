"""One command of the ``amrgnn`` command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

__all__ = ["Command", "existing_path"]


@dataclass(frozen=True)
class Command:
    """A sub-command: its name and help, how it adds its options, and what it runs (importing what
    it needs when it runs, so that building the parser stays light)."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str | None = None
    epilog: str | None = None


def existing_path(*paths: str | Path | None, what: str = "input") -> None:
    """A :class:`UsageError` naming the first given path that does not exist."""
    for p in paths:
        if p is not None and not Path(p).exists():
            raise UsageError(f"{p}: no such file or directory ({what})")
