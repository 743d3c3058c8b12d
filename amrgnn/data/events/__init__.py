"""Event-extraction corpora into one sentence record.

Readers (:data:`EVENT_FORMATS`): OneIE / TextEE JSON lines (ACE05-E, ACE05-E+, GENEVA;
``oneie``), the nlpcl-lab/ace2005-preprocessing JSON list (``nlpcl``) and PHEE (character offsets,
nested arguments; ``phee``). Offsets are word indices with an exclusive end. What a reader cannot
map is counted by reason with the sentence id (:class:`EventReadStats`), never dropped silently;
with ``skip_invalid=False`` (the default) the first problem raises :class:`EventFormatError` naming
the file, line and sentence.
"""

from .formats import EVENT_FORMATS, EventReader, read_events
from .nlpcl import read_nlpcl
from .oneie import read_oneie
from .phee import read_phee
from .records import (
    ACE33_EVENT_TYPES,
    Argument,
    EntityMention,
    EventFormatError,
    EventMention,
    EventReadStats,
    Sentence,
    merge_time_roles,
    sentence_key,
)

__all__ = [
    "ACE33_EVENT_TYPES",
    "EVENT_FORMATS",
    "Argument",
    "EntityMention",
    "EventFormatError",
    "EventMention",
    "EventReadStats",
    "EventReader",
    "Sentence",
    "merge_time_roles",
    "read_events",
    "read_nlpcl",
    "read_oneie",
    "read_phee",
    "sentence_key",
]
