"""The sentence record every event reader produces, the reader's error and its counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError

__all__ = [
    "ACE33_EVENT_TYPES",
    "Argument",
    "EntityMention",
    "EventFormatError",
    "EventMention",
    "EventReadStats",
    "Sentence",
    "merge_time_roles",
    "sentence_key",
]

#: The 33 ACE2005 event types (type:subtype), as in the DyGIE++/OneIE preprocessing.
ACE33_EVENT_TYPES = (
    "Business:Declare-Bankruptcy", "Business:End-Org", "Business:Merge-Org", "Business:Start-Org",
    "Conflict:Attack", "Conflict:Demonstrate", "Contact:Meet", "Contact:Phone-Write",
    "Justice:Acquit", "Justice:Appeal", "Justice:Arrest-Jail", "Justice:Charge-Indict",
    "Justice:Convict", "Justice:Execute", "Justice:Extradite", "Justice:Fine", "Justice:Pardon",
    "Justice:Release-Parole", "Justice:Sentence", "Justice:Sue", "Justice:Trial-Hearing",
    "Life:Be-Born", "Life:Die", "Life:Divorce", "Life:Injure", "Life:Marry",
    "Movement:Transport", "Personnel:Elect", "Personnel:End-Position", "Personnel:Nominate",
    "Personnel:Start-Position", "Transaction:Transfer-Money", "Transaction:Transfer-Ownership",
)


@dataclass
class EntityMention:
    """A candidate argument span (``end`` exclusive, word offsets)."""

    id: str
    start: int
    end: int
    type: str | None = None
    text: str = ""


@dataclass
class Argument:
    """An argument: its span, role and (where the layout has one) the entity it names."""

    start: int
    end: int
    role: str
    entity_id: str | None = None
    text: str = ""


@dataclass
class EventMention:
    """An event: trigger span and type, and its arguments."""

    type: str
    start: int
    end: int
    arguments: list[Argument] = field(default_factory=list)
    id: str = ""
    text: str = ""


@dataclass
class Sentence:
    """One sentence of an event corpus.

    Attributes:
        id: ``wnd_id``, else ``sent_id``, else ``doc_id#position`` (:func:`sentence_key`).
        tokens: the words.
        entities: candidate argument spans.
        events: gold (or predicted) events.
        doc_id: the document id ('' where the layout has none).
        path, line: where the record came from.
        raw: the original record (predictions are written back into it).
    """

    id: str
    tokens: list[str]
    entities: list[EntityMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    doc_id: str = ""
    path: str = ""
    line: int = 0
    raw: dict[str, Any] | None = None


class EventFormatError(InputError, ValueError):
    """A record that cannot be read, naming the file, line and sentence."""

    def __init__(self, reason: str, message: str, path: str, line: int, sentence_id: str | None = None) -> None:
        self.reason, self.path, self.line, self.sentence_id = reason, path, line, sentence_id
        where = f"{path}:{line}" + (f": sentence {sentence_id!r}" if sentence_id else "")
        super().__init__(f"{where}: {message} [{reason}]")


@dataclass
class EventReadStats:
    """Counts of one read: ``sentences + skipped_sentences == records``; dropped parts (mentions,
    arguments) are counted by reason, with the first ids kept for the report; ``notes`` counts
    changes that keep the item (e.g. a discontinuous PHEE argument read as its covering span)."""

    records: int = 0
    sentences: int = 0
    skipped_sentences: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    events: int = 0
    arguments: int = 0
    entities: int = 0

    def drop(self, reason: str, sentence_id: str, n: int = 1) -> None:
        self.dropped[reason] += n
        kept = self.examples.setdefault(reason, [])
        if len(kept) < 10:
            kept.append(sentence_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "sentences": self.sentences,
            "skipped_sentences": dict(self.skipped_sentences),
            "dropped": dict(self.dropped),
            "notes": dict(self.notes),
            "examples": self.examples,
            "events": self.events,
            "arguments": self.arguments,
            "entities": self.entities,
        }


def sentence_key(record: dict[str, Any], position: int) -> str:
    """The sentence id of a OneIE/TextEE record: ``wnd_id``, else ``sent_id``, else ``doc_id#position``."""
    for key in ("wnd_id", "sent_id"):
        if record.get(key):
            return str(record[key])
    return f"{record.get('doc_id', 'doc')}#{position}"



def merge_time_roles(sentences: Iterable[Sentence]) -> int:
    """ACE's eight ``Time-*`` roles become ``Time`` (the usual practice); returns how many changed."""
    n = 0
    for s in sentences:
        for ev in s.events:
            for a in ev.arguments:
                if a.role.startswith("Time-"):
                    a.role = "Time"
                    n += 1
    return n
