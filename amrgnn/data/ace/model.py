"""The document model of one annotated ACE / ERE document: mentions (entities, values, times),
event mentions with their anchors and arguments, relation mentions. Spans are character offsets
into the source as the annotation gives them, ``end`` exclusive (APF's inclusive ``END`` + 1)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AnnotatedDocument", "ArgumentRef", "CharSpan", "EventMentionRec", "MentionRec", "RelationMentionRec"]


@dataclass(frozen=True)
class CharSpan:
    """``[start, end)`` in the source and the text the annotation says is there."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class MentionRec:
    """An entity, value or time mention. ``kind``: ``entity``, ``value`` or ``timex2`` (ERE:
    ``entity`` or ``filler``); ``mention_type``: NAM / NOM / PRO for entities, VALUE / TIME else."""

    id: str
    kind: str
    parent_id: str
    type: str
    subtype: str
    mention_type: str
    extent: CharSpan
    head: CharSpan | None = None


@dataclass(frozen=True)
class ArgumentRef:
    """An argument by the id of a mention, with its role (and the extent the file repeats)."""

    ref_id: str
    role: str
    extent: CharSpan | None = None


@dataclass(frozen=True)
class EventMentionRec:
    """One event mention: ``Type:Subtype``, its anchor (trigger) and arguments by mention id."""

    id: str
    event_id: str
    type: str
    subtype: str
    anchor: CharSpan
    arguments: tuple[ArgumentRef, ...] = ()

    @property
    def event_type(self) -> str:
        return f"{self.type}:{self.subtype}" if self.subtype else self.type


@dataclass(frozen=True)
class RelationMentionRec:
    """One relation mention with its ``Arg-1`` / ``Arg-2`` mentions."""

    id: str
    relation_id: str
    type: str
    subtype: str
    arguments: tuple[ArgumentRef, ...] = ()


@dataclass
class AnnotatedDocument:
    """An annotation file read: ``mentions`` by id in file order, event and relation mentions."""

    doc_id: str
    path: str
    mentions: dict[str, MentionRec] = field(default_factory=dict)
    events: list[EventMentionRec] = field(default_factory=list)
    relations: list[RelationMentionRec] = field(default_factory=list)
