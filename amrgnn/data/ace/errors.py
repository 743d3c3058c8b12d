"""The error of a malformed or truncated ACE / ERE source or annotation file."""

from __future__ import annotations

from ...errors import InputError

__all__ = ["SourceFormatError"]


class SourceFormatError(InputError):
    """A file the release should hold in a well-formed state is not: its message names the file,
    the element (``<charseq>`` of ``<entity_mention ID=...>``) and, where known, the line.

    ``prepare ... --skip-invalid`` counts the document by ``reason`` and skips it instead.
    """

    def __init__(self, path: str, element: str, message: str, *, reason: str = "malformed", line: int | None = None) -> None:
        self.path, self.element, self.reason, self.line = str(path), element, reason, line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {element}: {message}")
