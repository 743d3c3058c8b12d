"""Source documents (ACE ``.sgm``, ERE ``source/*.xml``): the text sentences are cut from, the
markup regions it came from, and exact maps from each offset convention an annotation may use.

Offset conventions, as candidates that the annotation's own text decides between (see
:mod:`.offsets`): ``tags-removed`` counts the characters of the file with every ``<...>`` tag
deleted and entity references (``&amp;``) as written (5 characters); ``tags-removed-unescaped`` the
same with each entity reference as one character; ``file`` every character of the file, tags
included (Rich ERE's discussion forums). Line breaks are characters in all three: the file is
decoded without newline translation, so ``\\r\\n`` counts two.

:attr:`SourceText.text` is the tags-removed, unescaped text (the words a reader sees); every
convention maps into it exactly.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import SourceFormatError

__all__ = ["ACE_MARKUP", "CONVENTIONS", "ERE_MARKUP", "Markup", "Region", "SourceText", "read_source"]

CONVENTIONS = ("tags-removed", "tags-removed-unescaped", "file")
_TAG = re.compile(r"<[^<>]*>")
_REF = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_NAME = re.compile(r"</?\s*([A-Za-z][\w.:-]*)")
_VOID = {"BR", "IMG", "HR", "META", "LINK", "INPUT"}


@dataclass(frozen=True)
class Markup:
    """Which elements hold a document's sentences.

    Args:
        text: text is only read inside one of these elements (``None``: everywhere).
        metadata: elements inside the text that are not sentences (speakers, posters, dates).
        id_element: the element whose content is the document id.
    """

    text: frozenset[str] | None
    metadata: frozenset[str]
    id_element: str = "DOCID"


#: ACE2005 ``ace_source_sgml.v1.0.2``: sentences come from ``<TEXT>`` only (``<HEADLINE>``,
#: ``<DOCID>``, ``<DATETIME>`` ... lie outside it); ``<SPEAKER>`` (bc, cts), ``<POSTER>``,
#: ``<POSTDATE>`` and ``<SUBJECT>`` (wl, un) are metadata. Their characters still count in offsets.
ACE_MARKUP = Markup(frozenset({"TEXT"}), frozenset({"SPEAKER", "POSTER", "POSTDATE", "SUBJECT"}))
#: Rich ERE sources: newswire ``<TEXT>``, discussion-forum ``<post>`` bodies (tags, ``author`` and
#: ``datetime`` attributes are markup, not text).
ERE_MARKUP = Markup(frozenset({"TEXT", "POST"}), frozenset(), id_element="")


@dataclass(frozen=True)
class Region:
    """``text[start:end]`` lies between two tags; ``label`` is ``text``, ``metadata:TAG`` or
    ``outside-text:TAG`` (TAG the innermost element)."""

    start: int
    end: int
    label: str


@dataclass
class SourceText:
    """One source file: ``text`` (tags removed, references unescaped), its regions, and for each
    convention the view an annotation counts in and the map from a view position to ``text``."""

    path: str
    doc_id: str
    raw: str
    text: str
    regions: list[Region]
    views: dict[str, str] = field(repr=False, default_factory=dict)
    maps: dict[str, list[int]] = field(repr=False, default_factory=dict)
    references: int = 0

    def region_at(self, pos: int) -> Region | None:
        """The region holding ``text[pos]`` (binary search), or ``None`` (between regions)."""
        lo, hi = 0, len(self.regions)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.regions[mid].end <= pos:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.regions) and self.regions[lo].start <= pos < self.regions[lo].end:
            return self.regions[lo]
        return None

    def view_text(self, convention: str, start: int, end: int) -> str | None:
        """The annotation-visible text of ``[start, end)`` in ``convention`` (references unescaped),
        or ``None`` when out of range."""
        view = self.views[convention]
        if start < 0 or end > len(view) or end <= start:
            return None
        piece = view[start:end]
        return piece if convention == "tags-removed-unescaped" else html.unescape(piece)

    def to_text(self, convention: str, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` of ``convention`` as ``[start, end)`` of :attr:`text`."""
        m = self.maps[convention]
        return m[start], m[end]


def _label(stack: list[str], markup: Markup) -> str:
    inner = stack[-1] if stack else "DOC"
    if markup.text is not None and not any(t in markup.text for t in stack):
        return f"outside-text:{inner}"
    meta = next((t for t in reversed(stack) if t in markup.metadata), None)
    return f"metadata:{meta}" if meta else "text"


def _line(raw: str, pos: int) -> int:
    return raw.count("\n", 0, pos) + 1


def read_source(path: str | os.PathLike, markup: Markup = ACE_MARKUP, *, doc_id: str | None = None) -> SourceText:
    """Read a source file exactly (UTF-8, no newline translation).

    Raises:
        SourceFormatError: not UTF-8, an unterminated tag, a closing tag that closes another
            element, or a file that ends inside an element (truncated); each names the element.
    """
    p = str(path)
    data = open(p, "rb").read()
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SourceFormatError(p, "file", f"not UTF-8 (byte {data[e.start]:#04x} at {e.start})", reason="not-utf8") from e
    raw = raw.removeprefix("\ufeff")
    stack: list[str] = []
    opened: list[int] = []
    tags_removed: list[str] = []  # pieces of the tags-removed view
    text_parts: list[str] = []
    regions: list[Region] = []
    file_map = [0] * (len(raw) + 1)
    r_map: list[int] = []
    u_len = 0
    refs = 0
    found_id: list[str] = []
    pos = 0

    def add_text(a: int, b: int) -> None:
        nonlocal u_len, refs
        piece = raw[a:b]
        if "<" in piece or ">" in piece:
            k = a + (piece.find("<") if "<" in piece else piece.find(">"))
            if raw[k] == "<" and ">" not in raw[k:]:
                inner = f"<{stack[-1]}>" if stack else "file"
                raise SourceFormatError(p, inner, f"the file ends inside a tag ({raw[k:k + 20]!r}) inside {inner}: truncated?",
                                        reason="truncated", line=_line(raw, k))
            raise SourceFormatError(p, f"<{stack[-1]}>" if stack else "file", "unterminated tag or stray '<'/'>'", reason="malformed", line=_line(raw, k))
        if markup.id_element and stack and stack[-1] == markup.id_element:
            found_id.append(html.unescape(piece).strip())
        start_u = u_len
        i = 0
        for m in _REF.finditer(piece):
            for j in range(i, m.start()):
                file_map[a + j] = u_len + (j - i)
                r_map.append(u_len + (j - i))
            u_len += m.start() - i
            text_parts.append(piece[i:m.start()])
            value = html.unescape(m.group())
            for j in range(m.start(), m.end()):
                file_map[a + j] = u_len
                r_map.append(u_len)
            text_parts.append(value)
            u_len += len(value)
            refs += value != m.group()
            i = m.end()
        for j in range(i, len(piece)):
            file_map[a + j] = u_len + (j - i)
            r_map.append(u_len + (j - i))
        text_parts.append(piece[i:])
        u_len += len(piece) - i
        tags_removed.append(piece)
        if u_len > start_u:
            regions.append(Region(start_u, u_len, _label(stack, markup)))

    for m in _TAG.finditer(raw):
        add_text(pos, m.start())
        for j in range(m.start(), m.end()):
            file_map[j] = u_len
        pos = m.end()
        tag = m.group()
        if tag.startswith(("<?", "<!")) or tag.endswith("/>"):
            continue
        name = _NAME.match(tag)
        if not name:
            raise SourceFormatError(p, tag[:30], "not a tag", line=_line(raw, m.start()))
        el = name.group(1).upper()
        if tag.startswith("</"):
            if not stack or stack[-1] != el:
                inner = f"<{stack[-1]}> (opened at line {_line(raw, opened[-1])})" if stack else "no open element"
                raise SourceFormatError(p, f"</{el}>", f"closes {inner}", line=_line(raw, m.start()))
            stack.pop()
            opened.pop()
        elif el not in _VOID:
            stack.append(el)
            opened.append(m.start())
    add_text(pos, len(raw))
    if stack:
        raise SourceFormatError(
            p, f"<{stack[-1]}>", f"the file ends inside <{stack[-1]}> (opened at line {_line(raw, opened[-1])}): truncated?",
            reason="truncated", line=_line(raw, len(raw)),
        )
    file_map[len(raw)] = u_len
    r_map.append(u_len)
    text = "".join(text_parts)
    views = {"tags-removed": "".join(tags_removed), "tags-removed-unescaped": text, "file": raw}
    maps = {"tags-removed": r_map, "tags-removed-unescaped": list(range(len(text) + 1)), "file": file_map}
    did = doc_id if doc_id is not None else (found_id[0] if found_id else os.path.basename(p).split(".")[0])
    return SourceText(p, did, raw, text, regions, views, maps, refs)


def text_regions(source: SourceText) -> Iterable[Region]:
    """The regions sentences are cut from."""
    return (r for r in source.regions if r.label == "text")
