"""The ``amrgnn`` command line (also ``python -m amrgnn``).

Each command lives in a module of this package (``graphs``, ``pretrain``, ``events``,
``protocols``) as a :class:`Command`; those modules and the configuration dataclasses they read
import no torch, so ``--help`` is fast, and a command imports what it needs when it runs.

Exit status: 0 on success; 2 with one line naming the file, record and line for the project's input
errors (:class:`~amrgnn.errors.InputError`: malformed AMR or event files, impossible options,
missing parser models); 1 with a traceback for anything else, which is a bug.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import InputError
from .command import Command
from .events import EVALUATE, PREDICT_EE, TRAIN_EE
from .graphs import ABLATE_GNN, CONVERT_BACKBONE, PREPARE, SHOW
from .parser import EVALUATE_GRAPHS, PARSE, TRAIN_PARSER
from .pretrain import PRETRAIN
from .protocols import CONTINUAL, CROSS_DOMAIN, LOW_RESOURCE, REPORT
from .view import VIEW

__all__ = ["COMMANDS", "EXIT_BAD_INPUT", "Command", "build_parser", "main"]

EXIT_BAD_INPUT = 2

#: The commands, in ``--help`` order (a new command is a :class:`Command` added here).
COMMANDS: tuple[Command, ...] = (
    PREPARE, SHOW, ABLATE_GNN, CONVERT_BACKBONE, PRETRAIN, EVALUATE, TRAIN_EE, PREDICT_EE,
    CONTINUAL, LOW_RESOURCE, CROSS_DOMAIN, REPORT, TRAIN_PARSER, PARSE, EVALUATE_GRAPHS, VIEW,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amrgnn", description="AMR graphs for PyTorch Geometric and AMR-aware DeBERTa.")
    parser.add_argument("--version", action="version", version=f"amrgnn {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in COMMANDS:
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.description or cmd.help, epilog=cmd.epilog)
        cmd.add_arguments(p)
        p.set_defaults(_run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (input errors: 2 and one line; bugs propagate)."""
    args = build_parser().parse_args(argv)
    try:
        return args._run(args)
    except InputError as e:
        print(f"amrgnn: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
