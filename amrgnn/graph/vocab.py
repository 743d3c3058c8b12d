"""Concept, sense and relation vocabularies built from a corpus and saved as JSON.

Unknown-label policy (documented, applied everywhere ids are made):

* a concept lemma or constant that is not in the vocabulary maps to ``<unk>`` (id 1);
* a sense that is not in the vocabulary maps to ``<unk>`` (id 1); a concept without a sense suffix
  has sense ``<none>`` (id 0);
* a relation that is not in the vocabulary maps to ``<unk>`` (id 1).

Id 0 of the concept vocabulary is ``<pad>``; id 0 of the relation vocabulary is ``<none>`` ("no
relation", the negative class of masked relation prediction) and id 2 is ``:instance`` (the
INSTANCE relation that links tokens aligned to the same concept). Roles are PENMAN's canonical
(de-inverted) roles under the AMR model: ``:ARG0-of`` is stored as ``:ARG0`` in the other direction,
while ``:consist-of`` and friends stay as they are. :func:`to_penman` can only restore labels that
were in the vocabulary; graphs with ``<unk>`` labels do not round-trip.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import UsageError
from .io import AMR

__all__ = [
    "AMRVocab", "split_sense", "join_sense", "PAD", "UNK", "NONE", "INSTANCE", "UNK_ID", "NONE_ID", "INSTANCE_ID",
]

PAD, UNK, NONE, INSTANCE = "<pad>", "<unk>", "<none>", ":instance"
# Every vocabulary starts with its specials, in this order, so their ids are fixed:
CONCEPT_SPECIALS = (PAD, UNK)
SENSE_SPECIALS = (NONE, UNK)
RELATION_SPECIALS = (NONE, UNK, INSTANCE)
#: Id of ``<unk>`` in each of the three vocabularies.
UNK_ID = CONCEPT_SPECIALS.index(UNK)
#: Relation (and sense) id of ``<none>``: "no relation" / "no sense suffix".
NONE_ID = RELATION_SPECIALS.index(NONE)
#: Relation id of the INSTANCE relation of the token graph in every :class:`AMRVocab`.
INSTANCE_ID = RELATION_SPECIALS.index(INSTANCE)
FORMAT_VERSION = 1

_SENSE_RE = re.compile(r"^(.*[^-\d].*)-(\d+)$")


def split_sense(concept: str) -> tuple[str, str | None]:
    """``"want-01" -> ("want", "01")``; ``"boy" -> ("boy", None)``; ``"rate-entity-91"`` keeps its lemma."""
    m = _SENSE_RE.match(concept)
    if m is None:
        return concept, None
    return m.group(1), m.group(2)


def join_sense(lemma: str, sense: str | None) -> str:
    return lemma if sense is None else f"{lemma}-{sense}"


@dataclass
class AMRVocab:
    """Label <-> id maps for concept lemmas (and constants), senses and relations.

    Build it on a training corpus with :meth:`build`, save it beside processed data with :meth:`save`
    and reuse it for other splits with :meth:`load`.
    """

    concepts: list[str]
    senses: list[str]
    relations: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name, lst, specials in (
            ("concepts", self.concepts, CONCEPT_SPECIALS),
            ("senses", self.senses, SENSE_SPECIALS),
            ("relations", self.relations, RELATION_SPECIALS),
        ):
            if tuple(lst[: len(specials)]) != specials:
                raise ValueError(f"AMRVocab.{name} must start with {specials}, got {lst[: len(specials)]}")
            if len(set(lst)) != len(lst):
                raise ValueError(f"AMRVocab.{name} has duplicate labels")
        self._concept_ids = {c: i for i, c in enumerate(self.concepts)}
        self._sense_ids = {c: i for i, c in enumerate(self.senses)}
        self._relation_ids = {c: i for i, c in enumerate(self.relations)}
        self._concept_cache: dict[str, tuple[int, int]] = {}

    # ---------------------------------------------------------------- build / io
    @classmethod
    def build(cls, amrs: Iterable[AMR], *, min_freq: int = 1, max_size: int | None = None) -> AMRVocab:
        """Count labels over ``amrs``; keep those seen at least ``min_freq`` times, most frequent first
        (ties broken alphabetically), at most ``max_size`` per vocabulary (specials excluded)."""
        concepts: Counter[str] = Counter()
        senses: Counter[str] = Counter()
        relations: Counter[str] = Counter()
        for amr in amrs:
            variables = amr.graph.variables()
            for _, role, tgt in amr.graph.triples:
                if role == ":instance":
                    lemma, sense = split_sense(tgt)
                    concepts[lemma] += 1
                    if sense is not None:
                        senses[sense] += 1
                elif tgt in variables:
                    relations[role] += 1
                else:
                    concepts[tgt] += 1
                    relations[role] += 1

        def keep(counter: Counter[str], specials: tuple[str, ...]) -> list[str]:
            items = sorted(
                ((k, c) for k, c in counter.items() if c >= min_freq and k not in specials),
                key=lambda kc: (-kc[1], kc[0]),
            )
            if max_size is not None:
                items = items[:max_size]
            return list(specials) + [k for k, _ in items]

        return cls(
            concepts=keep(concepts, CONCEPT_SPECIALS),
            senses=keep(senses, SENSE_SPECIALS),
            relations=keep(relations, RELATION_SPECIALS),
            counts={"concepts": dict(concepts), "senses": dict(senses), "relations": dict(relations)},
        )

    def to_dict(self) -> dict:
        return {
            "format": "amrgnn-vocab",
            "version": FORMAT_VERSION,
            "unknown_policy": "unknown concept/constant, sense or relation -> <unk> (id 1)",
            "concepts": self.concepts,
            "senses": self.senses,
            "relations": self.relations,
        }

    def save(self, path: str | os.PathLike) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, ensure_ascii=False, indent=0)

    @classmethod
    def load(cls, path: str | os.PathLike) -> AMRVocab:
        with open(path, encoding="utf-8") as fh:
            try:
                d = json.load(fh)
            except ValueError as e:  # JSON or UTF-8
                raise UsageError(f"{path}: damaged ({e})") from None
        if not isinstance(d, dict) or d.get("format") != "amrgnn-vocab" or d.get("version") != FORMAT_VERSION:
            raise UsageError(f"{path}: not an amrgnn vocabulary (format {FORMAT_VERSION})")
        try:
            return cls(concepts=d["concepts"], senses=d["senses"], relations=d["relations"])
        except (KeyError, TypeError, ValueError) as e:
            raise UsageError(f"{path}: not an amrgnn vocabulary ({type(e).__name__}: {e})") from None

    # ---------------------------------------------------------------- lookups
    def concept_id(self, label: str) -> int:
        return self._concept_ids.get(label, UNK_ID)

    def concept_sense_ids(self, concept: str) -> tuple[int, int]:
        """``(lemma id, sense id)`` of a full concept label such as ``"want-01"`` (memoised)."""
        got = self._concept_cache.get(concept)
        if got is None:
            lemma, sense = split_sense(concept)
            got = self._concept_cache[concept] = (self.concept_id(lemma), self.sense_id(sense))
        return got

    def sense_id(self, sense: str | None) -> int:
        return NONE_ID if sense is None else self._sense_ids.get(sense, UNK_ID)

    def relation_id(self, role: str) -> int:
        return self._relation_ids.get(role, UNK_ID)

    @property
    def num_concepts(self) -> int:
        return len(self.concepts)

    @property
    def num_senses(self) -> int:
        return len(self.senses)

    @property
    def num_relations(self) -> int:
        return len(self.relations)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AMRVocab)
            and self.concepts == other.concepts
            and self.senses == other.senses
            and self.relations == other.relations
        )
