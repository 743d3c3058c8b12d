"""Named extension points: event formats, graph sources, continual methods, graph layers.

A :class:`Registry` maps a name to an object, or to the ``"module:attribute"`` that holds it, so
that listing the choices (a command line's ``--help``) imports nothing heavy. Adding a reader, a
graph source, a method or a layer is one new module and one registration::

    from amrgnn.data.events import EVENT_FORMATS

    @EVENT_FORMATS.register("myformat")
    def read_myformat(path, *, skip_invalid=False, stats=None, predictions=False): ...
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from .errors import UsageError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Names -> objects (or lazy ``"module:attribute"`` references), in registration order.

    Args:
        what: what the entries are, for messages (``"event format"``).
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, T | str] = {}

    def register(self, name: str, obj: T | None = None, *, lazy: str | None = None) -> Any:
        """Register ``obj`` under ``name``; without ``obj`` (and ``lazy``), a decorator.
        ``lazy="package.module:attribute"`` registers without importing."""
        if lazy is not None:
            self._add(name, lazy)
            return None
        if obj is not None:
            self._add(name, obj)
            return obj

        def decorate(o: T) -> T:
            self._add(name, o)
            return o

        return decorate

    def _add(self, name: str, obj: T | str) -> None:
        old = self._entries.get(name)
        if old is not None and old is not obj and not (isinstance(old, str) and _matches(old, obj)):
            raise ValueError(f"{self.what} {name!r} is registered already")
        self._entries[name] = obj

    def names(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def get(self, name: str) -> T:
        """The entry (imported on first use); an unknown name is a :class:`UsageError` listing the
        choices."""
        if name not in self._entries:
            raise UsageError(f"unknown {self.what} {name!r}; choose from {', '.join(self._entries)}")
        entry = self._entries[name]
        if isinstance(entry, str):
            module, _, attr = entry.partition(":")
            entry = getattr(importlib.import_module(module), attr)
            self._entries[name] = entry
        return entry  # type: ignore[return-value]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.what!r}: {', '.join(self._entries)})"


def _matches(ref: str, obj: object) -> bool:
    """Whether a lazy reference names ``obj`` (a module registering itself after a lazy entry)."""
    module, _, attr = ref.partition(":")
    return getattr(obj, "__module__", None) == module and getattr(obj, "__name__", None) == attr


def lazy_exports(module_name: str, table: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """PEP 562 ``__getattr__``/``__dir__`` for a package whose names live in submodules:
    ``table`` maps a name to its submodule (relative, ``".ee.train"``), imported on first access."""

    def __getattr__(name: str) -> Any:
        if name not in table:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        return getattr(importlib.import_module(table[name], module_name), name)

    def __dir__() -> list[str]:
        return sorted(table)

    return __getattr__, __dir__
