"""A learnable toy for the training tests: the synthetic OneIE corpus of :mod:`tests.event_corpus`
(the trigger word alone decides the event type; the first and the last word are the two entity
mentions and their position decides the role), plus aligned AMR graphs of its sentences so that the
AMR path (``--graphs penman:...``) trains on it too.

A model trained briefly on it must get the triggers (nearly) all right and a fair share of the
roles; one that predicts nothing, or noise, scores 0.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..event_corpus import TYPES, write_event_corpus

#: a PropBank-like frame per event type (the graphs' trigger concepts)
FRAMES = {"Conflict:Attack": "attack-01", "Contact:Meet": "meet-03", "Life:Die": "die-01", "Justice:Sue": "sue-01",
          "Movement:Transport": "move-01", "Business:Start-Org": "found-01"}


assert set(FRAMES) == set(TYPES)


def _amr(rec: dict) -> str:
    """An aligned AMR of one corpus sentence: each event a frame with the two entities as
    :ARG0 / :ARG1 (shared by a second event, a reentrancy), under ``and`` when there are two."""
    tokens = rec["tokens"]
    last = len(tokens) - 1
    ents = f"(x0 / {tokens[0]}~e.0)", f"(x1 / {tokens[last]}~e.{last})"
    events = rec["event_mentions"]
    if not events:
        graph = f"(x0 / {tokens[0]}~e.0\n   :mod (x1 / {tokens[last]}~e.{last}))"
    else:
        frames = []
        for j, ev in enumerate(events):
            args = f":ARG0 {ents[0]} :ARG1 {ents[1]}" if j == 0 else ":ARG0 x0 :ARG1 x1"
            frames.append(f"(v{j} / {FRAMES[ev['event_type']]}~e.{ev['trigger']['start']} {args})")
        graph = frames[0] if len(frames) == 1 else "(a / and\n   " + "\n   ".join(
            f":op{j + 1} {f}" for j, f in enumerate(frames)) + ")"
    return f"# ::id {rec['wnd_id']}\n# ::tok {' '.join(tokens)}\n{graph}\n"


def write_learnable(directory: Path, name: str, docs: int, seed: int) -> tuple[Path, Path]:
    """``NAME.jsonl`` (OneIE JSON lines) and ``NAME.amr.txt`` (its aligned graphs) in ``directory``."""
    events = write_event_corpus(directory / f"{name}.jsonl", docs=docs, seed=seed)
    records = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    amrs = directory / f"{name}.amr.txt"
    amrs.write_text("\n".join(_amr(r) for r in records), encoding="utf-8")
    return events, amrs
