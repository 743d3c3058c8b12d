"""ACE2005 APF annotation files (``apf.v5.1.1.dtd``): entities with their mentions (extent and
head), values, TIMEX2 expressions, relations and events with their mentions (anchor = trigger,
arguments by mention id). Every ``<charseq START END>`` keeps its text for verification; ``END``
is inclusive in the file and exclusive in :class:`~.model.CharSpan`."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from .errors import SourceFormatError
from .model import (
    AnnotatedDocument,
    ArgumentRef,
    CharSpan,
    EventMentionRec,
    MentionRec,
    RelationMentionRec,
)

__all__ = ["read_apf"]


def _name(el: ET.Element) -> str:
    key = "ID" if el.get("ID") else "id"
    i = el.get(key)
    return f"<{el.tag} {key}={i!r}>" if i else f"<{el.tag}>"


def parse_xml(path: str) -> ET.Element:
    """The root of an XML file; a parse error names the innermost open element and the line."""
    stack: list[ET.Element] = []
    try:
        for event, el in ET.iterparse(path, events=("start", "end")):
            if event == "start":
                stack.append(el)
            else:
                stack.pop()
                if not stack:
                    return el
    except ET.ParseError as e:
        line = e.position[0] if e.position else None
        inside = _name(stack[-1]) if stack else "the document element"
        owner = next((el for el in reversed(stack[:-1]) if el.get("ID") or el.get("id")), None)
        if owner is not None and not (stack[-1].get("ID") or stack[-1].get("id")):
            inside = f"{inside} of {_name(owner)}"
        why = str(e).split(":")[0]
        reason = "truncated" if "no element found" in why or "unclosed token" in why else "malformed"
        raise SourceFormatError(path, inside, f"not well-formed XML inside {inside} ({e})", reason=reason, line=line) from e
    raise SourceFormatError(path, "file", "empty XML file", reason="truncated")


def charseq(el: ET.Element | None, path: str, owner: ET.Element, what: str) -> CharSpan:
    """The ``<charseq>`` under ``el`` as a span (``END`` + 1), its text as written."""
    cs = el.find("charseq") if el is not None else None
    if cs is None:
        raise SourceFormatError(path, _name(owner), f"has no <{what}><charseq>", reason="missing-element")
    try:
        start, end = int(cs.get("START", "")), int(cs.get("END", ""))
    except ValueError as e:
        raise SourceFormatError(path, f"<charseq> of {_name(owner)}", f"START/END are not integers ({cs.attrib})", reason="malformed") from e
    return CharSpan(start, end + 1, cs.text or "")


def _need(el: ET.Element, attr: str, path: str) -> str:
    value = el.get(attr)
    if not value:
        raise SourceFormatError(path, _name(el), f"has no {attr}", reason="missing-attribute")
    return value


def read_apf(path: str | os.PathLike) -> AnnotatedDocument:
    """Read one ``*.apf.xml``.

    Raises:
        SourceFormatError: not well-formed or truncated XML, or an element the DTD requires missing
            (a mention without ``<extent>``, an event mention without ``<anchor>``), naming it.
    """
    p = str(path)
    root = parse_xml(p)
    doc_el = root.find("document") if root.tag == "source_file" else None
    if doc_el is None:
        raise SourceFormatError(p, f"<{root.tag}>", "expected <source_file><document DOCID=...>", reason="missing-element")
    doc = AnnotatedDocument(_need(doc_el, "DOCID", p), p)
    for ent in doc_el.iter("entity"):
        eid, etype, sub = _need(ent, "ID", p), ent.get("TYPE", ""), ent.get("SUBTYPE", "")
        for m in ent.iter("entity_mention"):
            mid = _need(m, "ID", p)
            head = m.find("head")
            doc.mentions[mid] = MentionRec(
                mid, "entity", eid, etype, sub, m.get("TYPE", ""), charseq(m.find("extent"), p, m, "extent"),
                charseq(head, p, m, "head") if head is not None else None,
            )
    for val in doc_el.iter("value"):
        vid = _need(val, "ID", p)
        for m in val.iter("value_mention"):
            mid = _need(m, "ID", p)
            doc.mentions[mid] = MentionRec(mid, "value", vid, val.get("TYPE", ""), val.get("SUBTYPE", ""), "VALUE",
                                           charseq(m.find("extent"), p, m, "extent"))
    for tx in doc_el.iter("timex2"):
        tid = _need(tx, "ID", p)
        for m in tx.iter("timex2_mention"):
            mid = _need(m, "ID", p)
            doc.mentions[mid] = MentionRec(mid, "timex2", tid, "TIME", "", "TIME", charseq(m.find("extent"), p, m, "extent"))
    for rel in doc_el.iter("relation"):
        rid = _need(rel, "ID", p)
        for m in rel.iter("relation_mention"):
            args = tuple(ArgumentRef(_need(a, "REFID", p), _need(a, "ROLE", p)) for a in m.iter("relation_mention_argument"))
            doc.relations.append(RelationMentionRec(_need(m, "ID", p), rid, rel.get("TYPE", ""), rel.get("SUBTYPE", ""), args))
    for ev in doc_el.iter("event"):
        evid = _need(ev, "ID", p)
        etype, sub = _need(ev, "TYPE", p), ev.get("SUBTYPE", "")
        for m in ev.iter("event_mention"):
            args = []
            for a in m.iter("event_mention_argument"):
                ext = a.find("extent")
                args.append(ArgumentRef(_need(a, "REFID", p), _need(a, "ROLE", p), charseq(ext, p, a, "extent") if ext is not None else None))
            anchor = charseq(m.find("anchor"), p, m, "anchor")
            doc.events.append(EventMentionRec(_need(m, "ID", p), evid, etype, sub, anchor, tuple(args)))
    return doc
