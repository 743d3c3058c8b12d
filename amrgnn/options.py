"""Configuration dataclasses as command lines: each option, its default and its help are declared
once, on the field they fill, and the same dataclass is what a run saves beside its results.

transformers' ``HfArgumentParser`` does this too, but importing it costs the whole ``transformers``
import (about 2 s here), which would put every ``--help`` above the time of ``import torch``; this
module needs only ``argparse`` and ``dataclasses``::

    @dataclass
    class Config:
        train: str = option(help="training file", metavar="FILE")   # no default: required
        epochs: float = option(16.0, help="training epochs")
        progress: bool = option(True, help="progress bars")          # -> --no-progress

    parser = argparse.ArgumentParser()
    add_options(parser, Config)
    cfg = from_namespace(Config, parser.parse_args())
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["add_options", "field_default", "from_namespace", "int_list", "option"]

T = TypeVar("T")
_MISSING = dataclasses.MISSING


def option(
    default: Any = _MISSING,
    *,
    help: str,
    default_factory: Callable[[], Any] | Any = _MISSING,
    flag: str | None = None,
    cli: bool = True,
    choices: Iterable[str] | Callable[[], Iterable[str]] | None = None,
    **argparse_kwargs: Any,
) -> Any:
    """A dataclass field with its command-line option.

    Args:
        default, default_factory: as :func:`dataclasses.field` (neither: a required option).
        help: the ``--help`` text (the default is appended).
        flag: the option string (default: ``--field-name``; ``--no-field-name`` for a ``True`` bool).
        cli: ``False`` keeps the field off the command line (set by code).
        choices: allowed values, or a function returning them (a registry's ``names``), called
            when the parser is built.
        argparse_kwargs: passed to ``add_argument`` (``metavar``, ``type``, ``action``, ``nargs``).
    """
    meta = {"help": help, "flag": flag, "cli": cli, "choices": choices, "argparse": argparse_kwargs}
    if default_factory is not _MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def int_list(text: str) -> list[int]:
    """``"1,2,3"`` or ``"1 2 3"`` -> ``[1, 2, 3]`` (an argparse ``type``)."""
    try:
        return [int(x) for x in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected integers separated by commas, got {text!r}") from None


def _base_type(tp: Any) -> tuple[Any, bool]:
    """``(element type, is_list)`` of an annotation, with ``X | None`` unwrapped."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _base_type(args[0]) if len(args) == 1 else (str, False)
    if origin in (list, tuple):
        args = typing.get_args(tp)
        return (args[0] if args else str), True
    return tp, False


def add_options(
    parser: argparse.ArgumentParser,
    cls: type,
    *,
    exclude: Iterable[str] = (),
    defaults: Mapping[str, Any] | None = None,
    required: Iterable[str] | None = None,
    group: str | None = None,
) -> None:
    """Add an option for every command-line field of dataclass ``cls``.

    Args:
        exclude: field names to leave out.
        defaults: defaults that differ for this command (e.g. fewer epochs).
        required: override which fields are required (default: those without a default).
        group: put the options in an argument group of this title.
    """
    hints = typing.get_type_hints(cls)
    skip = set(exclude)
    defaults = dict(defaults or {})
    needed = set(required) if required is not None else None
    target = parser.add_argument_group(group) if group else parser
    own = [f for f in dataclasses.fields(cls) if f.name in vars(cls).get("__annotations__", {})]
    inherited = [f for f in dataclasses.fields(cls) if f not in own]
    for f in own + inherited:  # a class's own options first, then those of its bases
        meta = f.metadata
        if f.name in skip or not meta.get("cli", False):
            continue
        tp, is_list = _base_type(hints[f.name])
        if f.name in defaults:
            default = defaults[f.name]
        elif f.default is not _MISSING:
            default = f.default
        elif f.default_factory is not _MISSING:
            default = f.default_factory()
        else:
            default = _MISSING
        kwargs: dict[str, Any] = dict(meta["argparse"])
        flag = meta["flag"] or "--" + f.name.replace("_", "-")
        help_text = meta["help"]
        is_required = default is _MISSING if needed is None else f.name in needed
        if tp is bool:
            if default is True:
                flag = meta["flag"] or "--no-" + f.name.replace("_", "-")
                kwargs.setdefault("action", "store_false")
                if not meta["flag"]:
                    help_text = f"turn off: {help_text}"
            else:
                kwargs.setdefault("action", "store_true")
            target.add_argument(flag, dest=f.name, default=bool(default), help=help_text, **kwargs)
            continue
        choices = meta["choices"]
        if callable(choices):
            choices = choices()
        if choices is not None:
            kwargs["choices"] = list(choices)
        if "type" not in kwargs and "action" not in kwargs:
            kwargs["type"] = str if tp is Path else tp
        if is_list and "nargs" not in kwargs and "action" not in kwargs and kwargs.get("type") is not int_list:
            kwargs["nargs"] = "+"
        if default is not _MISSING and default is not None and default != [] and "(default" not in help_text:
            shown = ",".join(map(str, default)) if isinstance(default, list) else default
            help_text += f" (default: {shown})"
        if is_required:
            kwargs["required"] = True
        else:
            kwargs["default"] = None if kwargs.get("action") == "append" or default is _MISSING else default
        target.add_argument(flag, dest=f.name, help=help_text, **kwargs)


def from_namespace(cls: type[T], args: argparse.Namespace, **values: Any) -> T:
    """An instance of ``cls`` from the parsed options it declares, ``values`` overriding. An
    ``append`` option left empty takes the field's default."""
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in values or not hasattr(args, f.name):
            continue
        v = getattr(args, f.name)
        if v is None and f.metadata.get("argparse", {}).get("action") == "append":
            continue
        kwargs[f.name] = v
    return cls(**kwargs, **values)


def field_default(cls: type, name: str) -> Any:
    """The default of field ``name`` of dataclass ``cls`` (to reuse it, not repeat it)."""
    f = next(f for f in dataclasses.fields(cls) if f.name == name)
    return f.default_factory() if f.default_factory is not _MISSING else f.default
