"""ACE05-E and ACE05-E+ as OneIE (Lin et al., 2020) describes them.

OneIE's ACE05-E follows the preprocessing of DyGIE++ (Wadden et al., 2019); its ACE05-E+ is the same
data "keeping pronouns and multi-token event triggers" (and the order of relation arguments). Here:

``ace05-e`` (what it keeps and drops)
    keeps entity mentions of type NAM and NOM, every value and TIMEX2 mention (as candidate
    arguments, ``mention_type`` VALUE / TIME), event mentions whose trigger is one token, and their
    arguments whose mention is kept and lies in the trigger's sentence;
    drops pronoun entity mentions (APF ``TYPE="PRO"``; counted ``pronoun-mention``), the arguments
    that are pronouns (``pronoun-argument``), relation mentions with a pronoun argument, and event
    mentions whose trigger spans more than one token (``multi-token-trigger``; their arguments are
    counted ``event-dropped``).
``ace05-e+``
    keeps all of that plus pronoun mentions, pronoun arguments and multi-token triggers; relation
    arguments keep their ``Arg-1`` / ``Arg-2`` order in both.

In both, what cannot be placed is dropped and counted by reason (offsets that do not verify,
mentions in metadata or outside ``<TEXT>``, arguments in another sentence than their trigger,
partially overlapping triggers); every count is in ``summary.json``. Time-* roles are kept as in ACE
(``--merge-time-roles`` merges them when the files are read).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VARIANTS", "Variant"]


@dataclass(frozen=True)
class Variant:
    """What a variant keeps: pronoun mentions (and arguments), multi-token triggers."""

    name: str
    pronouns: bool
    multi_token_triggers: bool


VARIANTS = {
    "ace05-e": Variant("ace05-e", pronouns=False, multi_token_triggers=False),
    "ace05-e+": Variant("ace05-e+", pronouns=True, multi_token_triggers=True),
    "ere": Variant("ere", pronouns=True, multi_token_triggers=True),
}
