"""What the page shows, as plain data: one view (predicted or gold) of a sentence with its
triggers and arguments, each carrying its matching status, and one row of the page (a sentence:
its views, its listed errors and a note). The other modules fill these in (:mod:`.matching`,
:mod:`.records`) or draw them (:mod:`.svg`, :mod:`.page`); this one has no logic."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Arg", "ErrorLine", "Row", "Trig", "Triple", "View"]

#: A token-graph arc: word index, word index, relation.
Triple = tuple[int, int, str]


@dataclass
class Arg:
    """An argument (word span and role) of a trigger; ``status`` is ``pred`` (no gold) or one of
    ``correct``, ``missed``, ``spurious``, ``wrong-role`` (``other``: the other side's role)."""

    start: int
    end: int
    role: str
    status: str = "pred"
    other: str | None = None
    score: float | None = None


@dataclass
class Trig:
    """A trigger (word span and event type) with its arguments; ``status`` as :class:`Arg`'s, with
    ``wrong-type`` for ``wrong-role``."""

    type: str
    start: int
    end: int
    status: str = "pred"
    other: str | None = None
    score: float | None = None
    args: list[Arg] = field(default_factory=list)


@dataclass
class View:
    """One side of a sentence: its words, triggers and (predicted side only) token-graph arcs."""

    tokens: list[str]
    triggers: list[Trig]
    graph: list[Triple] = field(default_factory=list)


@dataclass
class ErrorLine:
    """One listed error: its kind (an ``ERROR_KINDS`` entry), ``trigger`` or ``argument``, in words."""

    kind: str
    item: str
    text: str


@dataclass
class Row:
    """One sentence of the page: ``pred`` and/or ``gold`` (None where that side has no sentence)."""

    id: str
    where: str
    pred: View | None
    gold: View | None
    errors: list[ErrorLine] = field(default_factory=list)
    note: str = ""

    @property
    def types(self) -> list[str]:
        return sorted({t.type for v in (self.pred, self.gold) if v for t in v.triggers})

    @property
    def empty(self) -> bool:
        return not self.types and not self.errors
