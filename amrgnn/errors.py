"""The project's input errors. The command line prints these as one line and exits with status 2;
any other exception is a bug and keeps its traceback (exit status 1)."""

from __future__ import annotations

__all__ = ["InputError", "MissingDependencyError", "MissingInputError", "UsageError"]


class InputError(Exception):
    """Bad input the user can fix: a malformed file, an impossible option, a missing resource."""


class UsageError(InputError, ValueError):
    """An option or combination of options that cannot work (what to pass instead is in the message)."""


class MissingInputError(InputError, FileNotFoundError):
    """An input file or directory that is not there (or lacks what it must hold)."""


class MissingDependencyError(InputError, ImportError):
    """An optional package or model the chosen option needs is not installed."""
