"""The project's input errors. The command line prints these as one line and exits with status 2;
any other exception is a bug and keeps its traceback (exit status 1)."""

from __future__ import annotations

__all__ = ["InputError", "UsageError"]


class InputError(Exception):
    """Bad input the user can fix: a malformed file, an impossible option, a missing resource."""


class UsageError(InputError, ValueError):
    """An option or combination of options that cannot work (what to pass instead is in the message)."""
