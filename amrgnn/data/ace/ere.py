"""Rich ERE English (LDC2015E29, LDC2015E68, LDC2015E78, as DEGREE and TextEE use them):
``ere/<DOC>.rich_ere.xml`` annotations over ``source/<DOC>.xml`` (or ``.cmp.txt``).

Offsets are ``offset`` + ``length`` into the source file *as written*, XML markup of the
discussion forums (``<post author=... datetime=...>``, ``<quote>``) and entity references included
(the ``file`` convention of :mod:`.source`), which the per-span verification confirms or refutes per
document exactly as for ACE. Entity mentions (``noun_type`` NAM / NOM / PRO) and fillers (times,
values, titles, crimes: ``mention_type`` FILLER) are the candidates; event mentions of every hopper
are the events. The file writes types and roles in lower case without hyphens
(``justice:arrestjail``, ``attacker``); they are written with ACE's names (``Justice:Arrest-Jail``,
``Attacker``) as TextEE's ERE-EN does, so that ACE and ERE types compare; a type outside the 38 of
Rich ERE is kept as written (and shows in the summary's type count). All mentions are kept
(pronouns and multi-token triggers, as TextEE's ERE-EN).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ...errors import UsageError
from ..events.records import ACE33_EVENT_TYPES
from .apf import parse_xml
from .errors import SourceFormatError
from .model import (
    AnnotatedDocument,
    ArgumentRef,
    CharSpan,
    EventMentionRec,
    MentionRec,
    RelationMentionRec,
)
from .prepare import prepare_documents, resolve_split
from .release import DocumentFiles, ere_release
from .source import ERE_MARKUP, Markup, SourceText, read_source
from .variants import VARIANTS

__all__ = ["ERE_CONVENTIONS", "prepare_ere", "read_rich_ere"]

#: candidates for Rich ERE offsets, in the order a tie is broken
ERE_CONVENTIONS = ("file", "tags-removed", "tags-removed-unescaped")


def _span(el: Any, path: str, owner: str) -> CharSpan:
    try:
        start, length = int(el.get("offset", "")), int(el.get("length", ""))
    except ValueError as e:
        raise SourceFormatError(path, owner, f"offset/length are not integers ({dict(el.attrib)})") from e
    text = el.findtext("mention_text") if el.find("mention_text") is not None else el.text
    return CharSpan(start, start + length, text or "")


def read_rich_ere(path: str | os.PathLike) -> AnnotatedDocument:
    """Read one ``*.rich_ere.xml``.

    Raises:
        SourceFormatError: not well-formed or truncated XML, or an element without its ids or
            offsets, naming it.
    """
    p = str(path)
    root = parse_xml(p)
    if root.tag != "deft_ere":
        raise SourceFormatError(p, f"<{root.tag}>", "expected <deft_ere doc_id=...>", reason="missing-element")
    doc = AnnotatedDocument(root.get("doc_id", os.path.basename(p).split(".rich_ere")[0]), p)

    def need(el: Any, attr: str) -> str:
        v = el.get(attr)
        if not v:
            raise SourceFormatError(p, f"<{el.tag} id={el.get('id')!r}>", f"has no {attr}", reason="missing-attribute")
        return v

    for ent in root.iter("entity"):
        eid = need(ent, "id")
        for m in ent.iter("entity_mention"):
            mid = need(m, "id")
            doc.mentions[mid] = MentionRec(mid, "entity", eid, ent.get("type", ""), ent.get("specificity", ""),
                                           m.get("noun_type", ""), _span(m, p, f"<entity_mention id={mid!r}>"))
    for f in root.iter("filler"):
        fid = need(f, "id")
        doc.mentions[fid] = MentionRec(fid, "filler", fid, f.get("type", ""), "", "FILLER", _span(f, p, f"<filler id={fid!r}>"))
    for rel in root.iter("relation"):
        for m in rel.iter("relation_mention"):
            args = tuple(ArgumentRef(a.get("entity_mention_id") or need(a, "filler_id"), a.get("role", tag))
                         for tag in ("rel_arg1", "rel_arg2") for a in m.iter(tag))
            doc.relations.append(RelationMentionRec(need(m, "id"), need(rel, "id"), rel.get("type", ""), rel.get("subtype", ""), args))
    for hopper in root.iter("hopper"):
        for m in hopper.iter("event_mention"):
            mid = need(m, "id")
            trig = m.find("trigger")
            if trig is None:
                raise SourceFormatError(p, f"<event_mention id={mid!r}>", "has no <trigger>", reason="missing-element")
            args = tuple(ArgumentRef(a.get("entity_mention_id") or need(a, "filler_id"), ere_role(need(a, "role")))
                         for a in m.iter("em_arg"))
            doc.events.append(EventMentionRec(mid, hopper.get("id", ""), *ere_event_type(need(m, "type"), m.get("subtype", "")),
                                              _span(trig, p, f"<trigger> of <event_mention id={mid!r}>"), args))
    return doc


#: Rich ERE's event types that ACE2005 lacks (ACE's Contact:Phone-Write, Movement:Transport and
#: Justice:* all have ERE counterparts except those renamed here)
ERE_ONLY_EVENT_TYPES = ("Contact:Broadcast", "Contact:Contact", "Contact:Correspondence", "Manufacture:Artifact",
                        "Movement:Transport-Artifact", "Movement:Transport-Person", "Transaction:Transaction")
_ERE_NAMES = {t.lower().replace("-", ""): t for t in (*ACE33_EVENT_TYPES, *ERE_ONLY_EVENT_TYPES)}


def ere_event_type(type_: str, subtype: str) -> tuple[str, str]:
    """``("justice", "arrestjail")`` -> ``("Justice", "Arrest-Jail")``; unknown types as written."""
    name = _ERE_NAMES.get(f"{type_}:{subtype}".lower().replace("-", ""))
    if name is None:
        return type_, subtype
    main, sub = name.split(":")
    return main, sub


def ere_role(role: str) -> str:
    """``attacker`` -> ``Attacker`` (ACE's role names: one capitalised word)."""
    return role[:1].upper() + role[1:]


def _read(files: DocumentFiles) -> tuple[SourceText, AnnotatedDocument]:
    doc = read_rich_ere(files.annotation)
    markup = ERE_MARKUP
    if "<" not in files.source.read_text(encoding="utf-8", errors="replace"):
        markup = Markup(None, frozenset(), id_element="")  # a plain-text source (.cmp.txt): all of it is text
    return read_source(files.source, markup, doc_id=files.doc_id), doc


def prepare_ere(
    releases: Sequence[str | os.PathLike], out: str | os.PathLike, *, split: str | None = None,
    split_dir: str | os.PathLike | None = None, skip_invalid: bool = False,
) -> dict[str, Any]:
    """Prepare Rich ERE English event extraction data over one or more releases."""
    if not releases:
        raise UsageError("name at least one Rich ERE release directory")
    docs = ere_release(list(releases))
    parts, name = resolve_split("ere", split, split_dir, docs)
    return prepare_documents("ere", docs, parts, out, variant=VARIANTS["ere"], read=_read, conventions=ERE_CONVENTIONS,
                             split_name=name, skip_invalid=skip_invalid, release=", ".join(map(str, releases)))
