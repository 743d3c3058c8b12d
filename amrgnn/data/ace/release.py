"""Where the documents of an LDC release are: ACE2005 (LDC2006T06) ``data/English/<genre>/
timex2norm/<DOC>.sgm`` + ``<DOC>.apf.xml``; Rich ERE ``source/<DOC>.xml`` (or ``.txt``, ``.cmp.txt``)
+ ``ere/<DOC>*.rich_ere.xml``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...errors import MissingInputError

__all__ = ["ACE_GENRES", "DocumentFiles", "ace_release", "ere_release"]

ACE_GENRES = ("bc", "bn", "cts", "nw", "un", "wl")


@dataclass(frozen=True)
class DocumentFiles:
    """One document's source and annotation files, and its genre (ACE) or release (ERE)."""

    doc_id: str
    source: Path
    annotation: Path
    group: str


def _english(root: Path) -> Path:
    for cand in (root / "data" / "English", root / "English", root):
        if any((cand / g).is_dir() for g in ACE_GENRES):
            return cand
    raise MissingInputError(
        f"{root}: not an ACE2005 release: expected data/English/{{{','.join(ACE_GENRES)}}}/timex2norm/*.apf.xml "
        "(pass the LDC2006T06 directory, or its data/English)"
    )


def ace_release(root: str | os.PathLike) -> dict[str, DocumentFiles]:
    """``{document id: files}`` of the ``timex2norm`` versions of all six genres.

    Raises:
        MissingInputError: the directory is not laid out like the release, or a genre's
            ``timex2norm`` folder holds no ``*.apf.xml``, or an APF file has no ``.sgm`` beside it.
    """
    english = _english(Path(root))
    docs: dict[str, DocumentFiles] = {}
    for genre in ACE_GENRES:
        folder = english / genre / "timex2norm"
        if not folder.is_dir():
            continue
        for apf in sorted(folder.glob("*.apf.xml")):
            doc_id = apf.name[: -len(".apf.xml")]
            sgm = folder / f"{doc_id}.sgm"
            if not sgm.is_file():
                raise MissingInputError(f"{apf}: no source file {sgm.name} beside it")
            docs[doc_id] = DocumentFiles(doc_id, sgm, apf, genre)
    if not docs:
        raise MissingInputError(f"{english}: no */timex2norm/*.apf.xml (the timex2norm versions are read)")
    return docs


def ere_release(roots: list[str | os.PathLike]) -> dict[str, DocumentFiles]:
    """``{document id: files}`` over Rich ERE releases (each with ``data/source`` + ``data/ere``, or
    ``source`` + ``ere``, possibly under a genre folder such as ``df`` or ``nw``)."""
    docs: dict[str, DocumentFiles] = {}
    for root in map(Path, roots):
        found = 0
        for ere_dir in sorted(p for p in root.rglob("ere") if p.is_dir()):
            src_dir = ere_dir.parent / "source"
            for ann in sorted(ere_dir.glob("*.rich_ere.xml")):
                doc_id = ann.name[: -len(".rich_ere.xml")]
                source = next((src_dir / f"{doc_id}{ext}" for ext in (".xml", ".cmp.txt", ".txt") if (src_dir / f"{doc_id}{ext}").is_file()), None)
                if source is None:
                    raise MissingInputError(f"{ann}: no source {doc_id}.xml / .cmp.txt / .txt in {src_dir}")
                docs[doc_id] = DocumentFiles(doc_id, source, ann, root.name)
                found += 1
        if not found:
            raise MissingInputError(f"{root}: no ere/*.rich_ere.xml below it (a Rich ERE release has source/ and ere/)")
    return docs
