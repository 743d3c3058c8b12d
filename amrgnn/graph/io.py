"""Reading AMR corpora: PENMAN files, globs and the AMR 3.0 release layout, streamed.

Every graph comes back as an :class:`AMR` that keeps its id, its tokens and the ISI ``~e.N``
alignments of its concepts, constants and roles. Bad input raises :class:`AMRFormatError` naming the
file, the graph id and the line; with ``skip_invalid=True`` the graph is skipped and counted by reason
in a :class:`ReadStats`, whose counts always reconcile (``read == yielded + skipped``).
"""

from __future__ import annotations

import codecs
import glob
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import penman
import penman.surface
from penman import layout
from penman._lexer import PENMAN_RE, lex
from penman._parse import _parse  # penman<2: decode() is lex + _parse + interpret, done here
from penman.models import amr as amr_model
from tqdm.auto import tqdm

from ..errors import InputError

__all__ = [
    "AMR",
    "AMRFormatError",
    "ReadStats",
    "SKIP_REASONS",
    "expand_paths",
    "parse_amr",
    "read_amr",
]

Triple = tuple[str, str, str]

#: Why a graph or a file can be rejected (the keys of :attr:`ReadStats.skipped`).
SKIP_REASONS = (
    "not-utf8",
    "malformed-penman",
    "empty-graph",
    "duplicate-id",
    "alignment-out-of-range",
)

_ALIGNMENT = r"[ \t]*~(?:[a-z]\.?)?([0-9]+(?:,[0-9]+)*)"  # penman's ALIGNMENT token
_GLOB_CHARS = re.compile(r"[*?\[]")


class AMRFormatError(InputError, ValueError):
    """Bad AMR input, located by file, graph id and (1-based) line."""

    def __init__(
        self, reason: str, message: str, *, path: str | None, graph_id: str | None, line: int | None
    ) -> None:
        self.reason = reason
        self.path = path
        self.graph_id = graph_id
        self.line = line
        where = path or "<string>"
        if line is not None:
            where += f":{line}"
        gid = f" graph {graph_id!r}:" if graph_id else ""
        super().__init__(f"{where}:{gid} {message} [{reason}]")


@dataclass
class AMR:
    """One AMR graph with its sentence.

    Attributes:
        id: the ``::id`` metadata value (``<file stem>.<n>`` when the file has none).
        tokens: ``::tok`` split on spaces, else ``::snt`` split on spaces.
        graph: the ``penman.Graph`` (AMR model: inverted roles are stored de-inverted).
        alignments: concept variable -> token indices (ISI ``~e.N`` on the concept).
        constant_alignments: attribute triple ``(var, role, constant)`` -> token indices.
        role_alignments: edge or attribute triple -> token indices (``~e.N`` on the role).
        reentrancy_alignments: edge triple -> token indices of a ``~e.N`` on a re-entrant variable
            (``:ARG0 b~e.7``: another mention of ``b``, e.g. a pronoun).
        path, line: where the graph's first line is (``None`` for graphs built in memory).
    """

    id: str
    tokens: list[str]
    graph: penman.Graph
    alignments: dict[str, tuple[int, ...]] = field(default_factory=dict)
    constant_alignments: dict[Triple, tuple[int, ...]] = field(default_factory=dict)
    role_alignments: dict[Triple, tuple[int, ...]] = field(default_factory=dict)
    reentrancy_alignments: dict[Triple, tuple[int, ...]] = field(default_factory=dict)
    path: str | None = None
    line: int | None = None

    @property
    def metadata(self) -> dict[str, str]:
        return self.graph.metadata

    @property
    def num_aligned(self) -> int:
        """How many concepts and constants have at least one aligned token."""
        return len(self.alignments) + len(self.constant_alignments)


@dataclass
class ReadStats:
    """Counts from one :func:`read_amr` pass.

    ``read`` counts graphs (blocks with metadata or a graph; file header comments are not graphs) and
    always equals ``yielded + sum(skipped.values())``. Files that cannot be opened are counted in
    ``files_skipped`` (their graphs were never seen).
    """

    files: int = 0
    files_skipped: int = 0
    read: int = 0
    yielded: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    max_errors_kept: int = 20

    def record_skip(self, err: AMRFormatError) -> None:
        self.skipped[err.reason] += 1
        if len(self.errors) < self.max_errors_kept:
            self.errors.append(str(err))

    @property
    def reconciles(self) -> bool:
        return self.read == self.yielded + sum(self.skipped.values())


# --------------------------------------------------------------------------------------------------
# paths


def expand_paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Resolve files, globs and directories into a sorted list of AMR files.

    A directory that holds the AMR 3.0 release layout (``data/alignments/split`` or
    ``data/amrs/split``) expands to its split files, the aligned ones when present (they carry the
    same graphs plus ``::tok`` and ``~e.N``). Any other directory expands to its ``*.txt`` files,
    recursively. A path that does not exist and matches no glob is kept, so reading it reports it.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for sub in ("data/alignments/split", "data/amrs/split", "alignments/split", "amrs/split"):
                if (p / sub).is_dir():
                    p = p / sub
                    break
            out.extend(sorted(q for q in p.rglob("*.txt") if q.is_file()))
        elif not p.exists() and _GLOB_CHARS.search(str(raw)):
            out.extend(sorted(Path(q) for q in glob.glob(str(raw), recursive=True) if Path(q).is_file()))
        else:
            out.append(p)
    return out


# --------------------------------------------------------------------------------------------------
# one graph


def _metadata_id(text: str) -> str | None:
    """The ``::id`` of the leading comment lines, read as penman reads metadata (so that errors
    raised before or without penman name the graph as :attr:`AMR.id` would)."""
    found = None
    for row in text.split("\n"):
        comment = row.lstrip()
        if not comment:
            continue
        if not comment.startswith("#"):
            break
        while comment:
            comment, sep, meta = comment.rpartition("::")
            key, _, value = meta.partition(" ")
            if sep and key == "id":
                found = value.rstrip()
    return found or None


def parse_amr(
    text: str,
    *,
    default_id: str = "amr",
    path: str | None = None,
    line: int = 1,
) -> AMR:
    """Parse one PENMAN block (metadata comments + graph) into an :class:`AMR`.

    Raises:
        AMRFormatError: malformed PENMAN, an empty graph or an alignment beyond the tokens.
    """
    graph_id = _metadata_id(text) or default_id
    if all(not row.strip() or row.lstrip().startswith("#") for row in text.split("\n")):
        raise AMRFormatError("empty-graph", "metadata without a graph", path=path, graph_id=graph_id, line=line)
    try:
        tokens = lex(text.split("\n"), pattern=PENMAN_RE)  # file lines: str.splitlines() also breaks at \f, \u2028
        tree = _parse(tokens)
        while tokens and tokens.peek().type == "COMMENT":
            tokens.next()
        if tokens:  # penman.decode would drop it: a second graph (blank line missing?) or junk
            raise penman.DecodeError("text after the graph (a missing blank line between graphs?)", lineno=tokens.peek().lineno)
        graph = layout.interpret(tree, amr_model.model)
    except penman.DecodeError as e:
        err_line = line + (e.lineno - 1 if getattr(e, "lineno", None) else 0)
        msg = getattr(e, "message", None) or str(e).splitlines()[-1]
        raise AMRFormatError(
            "malformed-penman", f"malformed PENMAN: {msg}", path=path, graph_id=graph_id, line=err_line
        ) from None
    except penman.PenmanError as e:
        raise AMRFormatError(
            "malformed-penman", f"malformed PENMAN: {e}", path=path, graph_id=graph_id, line=line
        ) from None
    if not graph.triples:
        raise AMRFormatError(
            "empty-graph", "metadata without a graph", path=path, graph_id=graph_id, line=line
        )
    meta = graph.metadata
    amr_id = meta.get("id") or default_id
    tok = meta.get("tok")
    if tok is None:
        tok = meta.get("snt", "")
    tokens = tok.split() if tok.strip() else []

    alignments: dict[str, tuple[int, ...]] = {}
    constant_alignments: dict[Triple, tuple[int, ...]] = {}
    role_alignments: dict[Triple, tuple[int, ...]] = {}
    reentrancy_alignments: dict[Triple, tuple[int, ...]] = {}
    if "~" in text:  # cheap test: only aligned graphs carry ~e.N surface markers
        variables = graph.variables()
        n = len(tokens)
        for triple, al in penman.surface.alignments(graph).items():
            idx = tuple(al.indices)
            _check_indices(idx, n, triple, text, path, amr_id, line)
            if triple[1] == ":instance":
                alignments[triple[0]] = tuple(sorted(set(alignments.get(triple[0], ()) + idx)))
            elif triple[2] in variables:  # a mark on a re-entrant reference: another mention
                reentrancy_alignments[triple] = idx
            else:
                constant_alignments[triple] = idx
        for triple, al in penman.surface.role_alignments(graph).items():
            idx = tuple(al.indices)
            _check_indices(idx, n, triple, text, path, amr_id, line, role=True)
            role_alignments[triple] = idx
    return AMR(
        id=amr_id,
        tokens=tokens,
        graph=graph,
        alignments=alignments,
        constant_alignments=constant_alignments,
        role_alignments=role_alignments,
        reentrancy_alignments=reentrancy_alignments,
        path=path,
        line=line,
    )


def _check_indices(
    idx: tuple[int, ...], n: int, triple: Triple, text: str, path: str | None, gid: str, line: int, *, role: bool = False
) -> None:
    bad = [i for i in idx if i < 0 or i >= n]
    if not bad:
        return
    # The line of the mark: the first that carries the bad index right after the triple's label (or
    # role), else the first with any mark that carries it.
    anchor = re.escape(triple[1]) + "(?:-of)?" if role else r"(?<![^\s/(])" + re.escape(triple[2] or "")
    rows = [(j, row) for j, row in enumerate(text.split("\n")) if not row.lstrip().startswith("#")]
    offset = 0
    for pattern in (anchor + _ALIGNMENT, _ALIGNMENT):
        hits = [j for j, row in rows if any(bad[0] in map(int, m.group(1).split(",")) for m in re.finditer(pattern, row))]
        if hits:
            offset = hits[0]
            break
    raise AMRFormatError(
        "alignment-out-of-range",
        f"{triple[0]} {triple[1]} {triple[2]}: alignment to token {bad[0]} but the sentence has {n} tokens",
        path=path,
        graph_id=gid,
        line=line + offset,
    )


# --------------------------------------------------------------------------------------------------
# streaming over files


def _blocks(fh) -> Iterator[tuple[int, int, bytes]]:
    """Yield ``(first_line, n_bytes, block)`` for each blank-line separated block of a binary file."""
    start = 0
    buf: list[bytes] = []
    nbytes = 0
    for lineno, raw in enumerate(fh, 1):
        nbytes += len(raw)
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):  # written by some Windows editors
            raw = raw[len(codecs.BOM_UTF8):]
        if raw.strip():
            if not buf:
                start = lineno
            buf.append(raw)
        elif buf:
            yield start, nbytes, b"".join(buf)
            buf, nbytes = [], 0
    if buf:
        yield start, nbytes, b"".join(buf)


def _decode(block: bytes, path: str, start: int) -> str:
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError:
        for j, row in enumerate(block.split(b"\n")):
            try:
                row.decode("utf-8")
            except UnicodeDecodeError as e:
                raise AMRFormatError(
                    "not-utf8",
                    f"not UTF-8 (byte {row[e.start]:#04x} at column {e.start + 1})",
                    path=path,
                    graph_id=_metadata_id(block.decode("utf-8", "replace")),
                    line=start + j,
                ) from None
        raise


def _is_header(block: bytes) -> bool:
    """A block of plain ``#`` comments with no ``::`` metadata is a file header, not a graph (whatever
    its encoding: it is never decoded)."""
    return b"::" not in block and all(r.lstrip().startswith(b"#") for r in block.split(b"\n") if r.strip())


def read_amr(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    skip_invalid: bool = False,
    stats: ReadStats | None = None,
    progress: bool | None = None,
) -> Iterator[AMR]:
    """Stream AMR graphs from PENMAN files, globs or an AMR 3.0 release directory.

    Args:
        paths: a path, a glob or a directory, or several of them (see :func:`expand_paths`).
        skip_invalid: skip bad graphs (and unreadable files) and count them by reason in ``stats``
            instead of raising :class:`AMRFormatError`.
        stats: a :class:`ReadStats` to fill in (optional).
        progress: show a progress bar over the input bytes (default: when stderr is a terminal).

    Yields:
        :class:`AMR` objects in file order. Ids must be unique across all files of one call.
    """
    stats = stats if stats is not None else ReadStats()
    files = expand_paths(paths)
    if progress is None:
        progress = sys.stderr.isatty()
    total = sum(f.stat().st_size for f in files if f.is_file())
    seen: dict[str, str] = {}
    with tqdm(total=total, unit="B", unit_scale=True, desc="reading AMR", disable=not progress) as bar:
        for f in files:
            stats.files += 1
            spath = str(f)
            try:
                fh = open(f, "rb")  # noqa: SIM115 - closed below
            except OSError as e:
                err = AMRFormatError(
                    "unreadable-file", f"cannot read: {e.strerror or e}", path=spath, graph_id=None, line=None
                )
                if not skip_invalid:
                    raise err from None
                stats.files_skipped += 1
                if len(stats.errors) < stats.max_errors_kept:
                    stats.errors.append(str(err))
                continue
            with fh:
                n_in_file = 0
                for start, nbytes, block in _blocks(fh):
                    bar.update(nbytes)
                    if _is_header(block):
                        continue
                    stats.read += 1
                    n_in_file += 1  # the default id numbers every graph of the file, bad ones too
                    try:
                        text = _decode(block, spath, start)
                    except AMRFormatError as err:
                        if not skip_invalid:
                            raise
                        stats.record_skip(err)
                        continue
                    try:
                        amr = parse_amr(text, default_id=f"{f.stem}.{n_in_file}", path=spath, line=start)
                        if amr.id in seen:
                            raise AMRFormatError(
                                "duplicate-id",
                                f"duplicate id (first seen at {seen[amr.id]})",
                                path=spath,
                                graph_id=amr.id,
                                line=start,
                            )
                    except AMRFormatError as err:
                        if not skip_invalid:
                            raise
                        stats.record_skip(err)
                        continue
                    seen[amr.id] = f"{spath}:{start}"
                    stats.yielded += 1
                    yield amr
