"""``amrgnn prepare ace2005`` / ``ere``: a release directory and a document split -> ``train.json``,
``dev.json``, ``test.json`` (OneIE JSON lines, read by ``--format oneie``), ``summary.json``
(the counts of each part beside the published ones, with the reasons for every difference) and
``domains.json`` (document id -> the genre folder it came from, for ``cross-domain --domain-map``),
and the split's id lists in ``split/`` (``--split-dir`` reads them back)."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ...errors import MissingInputError, UsageError
from .apf import read_apf
from .convert import Counts, convert_document
from .errors import SourceFormatError
from .model import AnnotatedDocument
from .release import DocumentFiles, ace_release
from .source import ACE_MARKUP, SourceText, read_source
from .splits import (
    GENRE_SPLIT,
    PARTS,
    genre_split,
    published_counts,
    read_split_dir,
    split_ids,
    write_split_dir,
)
from .variants import VARIANTS, Variant

__all__ = ["ACE_CONVENTIONS", "prepare_ace2005", "prepare_documents"]

#: the candidates for ACE2005's APF offsets, in the order a tie is broken
ACE_CONVENTIONS = ("tags-removed", "tags-removed-unescaped")
COMPARED = ("documents", "sentences", "events", "arguments", "event_types", "roles", "entity_mentions", "relations")

Reader = Callable[[DocumentFiles], tuple[SourceText, AnnotatedDocument]]


def _read_ace(files: DocumentFiles) -> tuple[SourceText, AnnotatedDocument]:
    source = read_source(files.source, ACE_MARKUP)
    doc = read_apf(files.annotation)
    if source.doc_id != doc.doc_id:
        raise SourceFormatError(str(files.annotation), f"<document DOCID={doc.doc_id!r}>",
                                f"the source {files.source.name} has DOCID {source.doc_id!r}", reason="docid-mismatch")
    return source, doc


def _reason(key: str, ours: Counts, skipped: Counter) -> str:
    if key == "documents":
        return f"documents skipped or missing: {dict(skipped)}" if skipped else "documents differ from the split"
    if key == "sentences":
        return ("sentence splitting and tokenisation (spaCy's rule-based sentencizer, one region between tags at a time; "
                f"{ours.notes['sentences-merged']} sentences merged so that no mention or trigger is cut) differ from the "
                "published preprocessing")
    kind = {"events": "events", "arguments": "arguments", "entity_mentions": "mentions", "relations": "relations"}.get(key)
    if kind:
        return f"of {ours.annotated[kind]} annotated, dropped by reason: {dict(ours.dropped[kind]) or 'none'}"
    return "types or roles that occur in no written event of this part"


def prepare_documents(
    corpus: str, docs: dict[str, DocumentFiles], parts: dict[str, list[str]], out: str | os.PathLike, *,
    variant: Variant, read: Reader, conventions: Sequence[str], split_name: str | None,
    skip_invalid: bool = False, release: str = "",
) -> dict[str, Any]:
    """Convert the documents of each part, write the part files and ``summary.json``; the summary."""
    missing = sorted({d for ids in parts.values() for d in ids if d not in docs})
    if missing and not skip_invalid:
        raise MissingInputError(
            f"{release}: {len(missing)} documents of the split are not in the release: {', '.join(missing[:5])}"
            + (" ..." if len(missing) > 5 else "") + " (pass --skip-invalid to count and skip them)"
        )
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"corpus": corpus, "variant": variant.name, "split": split_name or "split-dir",
                               "release": release, "offset_candidates": list(conventions), "parts": {},
                               "skipped_documents": {}, "published": None, "differences": []}
    published, source_note = published_counts(corpus, split_name, variant.name)
    totals = Counts()
    domains: dict[str, str] = {}
    for part in PARTS:
        counts, skipped = Counts(), Counter()
        examples: list[str] = []
        with open(out_dir / f"{part}.json", "w", encoding="utf-8") as f:
            for doc_id in parts[part]:
                if doc_id not in docs:
                    skipped["missing-from-release"] += 1
                    examples.append(f"{doc_id}: not in the release")
                    continue
                try:
                    source, doc = read(docs[doc_id])
                except SourceFormatError as e:
                    if not skip_invalid:
                        raise
                    skipped[e.reason] += 1
                    examples.append(str(e))
                    continue
                records, c = convert_document(source, doc, variant, conventions=conventions)
                domains[doc_id] = docs[doc_id].group
                for rec in records:
                    f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                counts.add(c)
        counts.check()
        totals.add(counts)
        summary["parts"][part] = counts.as_dict()
        summary["skipped_documents"][part] = {"counts": dict(skipped), "examples": examples[:10]}
        if published and part in published:
            for key, theirs in published[part].items():
                mine = summary["parts"][part].get(key)
                if key in COMPARED and mine is not None and mine != theirs:
                    summary["differences"].append({"part": part, "count": key, "ours": mine, "published": theirs,
                                                   "reason": _reason(key, counts, skipped)})
    summary["total"] = totals.as_dict()
    if published:
        summary["published"] = {"counts": published, "source": source_note}
    with open(out_dir / "summary.json", "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
    write_split_dir(parts, out_dir / "split")
    with open(out_dir / "domains.json", "w", encoding="utf-8") as f:
        json.dump(domains, f, indent=1, sort_keys=True)
    return summary


def resolve_split(corpus: str, split: str | None, split_dir: str | os.PathLike | None,
                  docs: dict[str, DocumentFiles]) -> tuple[dict[str, list[str]], str | None]:
    """The parts of ``--split`` or ``--split-dir`` (not both); ``genres`` draws one per genre of ``docs``."""
    if split and split_dir:
        raise UsageError("pass --split or --split-dir, not both")
    if split_dir:
        return read_split_dir(split_dir), None
    name = split or ("oneie" if corpus == "ace05" else "textee1")
    if name == GENRE_SPLIT:
        return genre_split({d: f.group for d, f in docs.items()}), name
    return split_ids(corpus, name), name


def prepare_ace2005(
    release: str | os.PathLike, out: str | os.PathLike, *, variant: str = "ace05-e", split: str | None = None,
    split_dir: str | os.PathLike | None = None, skip_invalid: bool = False,
) -> dict[str, Any]:
    """Prepare ACE2005 (LDC2006T06) English event extraction data (see :mod:`.variants` for what
    ``ace05-e`` and ``ace05-e+`` keep)."""
    if variant not in ("ace05-e", "ace05-e+"):
        raise UsageError(f"--variant must be ace05-e or ace05-e+, not {variant!r}")
    docs = ace_release(release)
    parts, name = resolve_split("ace05", split, split_dir, docs)
    return prepare_documents("ace05", docs, parts, out, variant=VARIANTS[variant], read=_read_ace,
                             conventions=ACE_CONVENTIONS, split_name=name, skip_invalid=skip_invalid, release=str(release))
