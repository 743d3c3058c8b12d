"""The one event scorer, re-exported for the event-extraction task (it lives in
:mod:`amrgnn.data.events.score`, below the viewers that use it too)."""

from ...data.events.score import (
    METRICS,
    PRF,
    SCHEMA_FREE_METRICS,
    EEScore,
    score_events,
    write_per_type_csv,
)

__all__ = ["METRICS", "SCHEMA_FREE_METRICS", "EEScore", "PRF", "score_events", "write_per_type_csv"]
