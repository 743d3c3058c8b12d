"""Domains of event corpora: the ACE2005 genre of a document, read from its id.

ACE2005 English sources by genre (LDC2006T06 documentation): broadcast news ``bn`` (CNN_ENG_*,
CNNHL_ENG_*), newswire ``nw`` (AFP_ENG_*, APW_ENG_*, NYT_ENG_*, XIN_ENG_*), broadcast conversation
``bc`` (CNN_CF_*, CNN_IP_*, CNN_LE_*), conversational telephone speech ``cts`` (fsh_*), weblogs ``wl``
(upper-case blog names: AGGRESSIVEVOICEDAILY_*, MARKBACKER_*, ...) and usenet ``un`` (newsgroup and
forum names in mixed case: alt.atheism_*, rec.travel.cruises_*, Austin-Grad-Community_*, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..errors import UsageError
from .events import Sentence

__all__ = ["ACE_GENRES", "ace_genre", "split_by_domain"]

ACE_GENRES = ("bn", "nw", "bc", "cts", "wl", "un")

_RULES = (
    ("bc", re.compile(r"^CNN_(CF|IP|LE)_")),
    ("bn", re.compile(r"^CNN(HL)?_ENG_")),
    ("nw", re.compile(r"^(AFP|APW|NYT|XIN)_ENG_")),
    ("cts", re.compile(r"^fsh_", re.IGNORECASE)),
    ("wl", re.compile(r"^[A-Z][A-Z0-9]*_\d{8}")),
    ("un", re.compile(r"^[A-Za-z][\w.+-]*_\d{8}\.\d+$")),
)


def ace_genre(doc_id: str) -> str:
    """The ACE2005 genre (``bn``, ``nw``, ``bc``, ``cts``, ``wl``, ``un``) of a document id.

    Raises:
        ValueError: the id matches no genre's naming (pass a domain map instead).
    """
    for genre, rule in _RULES:
        if rule.match(doc_id):
            return genre
    raise UsageError(f"document id {doc_id!r} matches no ACE2005 genre ({', '.join(ACE_GENRES)}); pass --domain-map")


def split_by_domain(sentences: Sequence[Sentence], domain_of: Callable[[str], str] = ace_genre) -> dict[str, list[Sentence]]:
    """Sentences grouped by the domain of their document (corpus order kept within a domain).

    Raises:
        ValueError: naming the file, line and sentence whose document has no domain.
    """
    out: dict[str, list[Sentence]] = {}
    for s in sentences:
        try:
            d = domain_of(s.doc_id)
        except (ValueError, KeyError) as e:
            raise UsageError(f"{s.path}:{s.line}: sentence {s.id!r}: {e}") from None
        out.setdefault(d, []).append(s)
    return out
