"""A small synthetic OneIE corpus for the protocol tests: ACE2005 event types (one trigger word
each), two candidate entities per sentence with roles, event-free sentences, and ACE-like document
ids of three genres."""

from __future__ import annotations

import json
import random
from pathlib import Path

TYPES = ["Conflict:Attack", "Contact:Meet", "Life:Die", "Justice:Sue", "Movement:Transport", "Business:Start-Org"]
TRIGGERS = {"Conflict:Attack": "attacked", "Contact:Meet": "met", "Life:Die": "died", "Justice:Sue": "sued",
            "Movement:Transport": "moved", "Business:Start-Org": "founded"}
ROLES = {"Conflict:Attack": ("Attacker", "Target"), "Contact:Meet": ("Entity", "Place"), "Life:Die": ("Victim", "Place"),
         "Justice:Sue": ("Plaintiff", "Defendant"), "Movement:Transport": ("Artifact", "Destination"),
         "Business:Start-Org": ("Agent", "Org")}
NAMES = ["john", "mary", "paris", "london", "acme", "rome"]
FILLER = ["the", "a", "and", "then", "there", "today"]
DOC_PREFIX = {"bn": "CNN_ENG_2003{:04d}_120000.1", "nw": "AFP_ENG_2003{:04d}.0100", "bc": "CNN_CF_2003{:04d}.1900.00"}
WORDS = sorted(set(TRIGGERS.values()) | set(NAMES) | set(FILLER))


def write_event_corpus(path: Path, docs: int = 12, sentences_per_doc: int = 3, seed: int = 0,
                       genres: tuple[str, ...] = ("bn", "nw", "bc")) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for d in range(docs):
            genre = genres[d % len(genres)]
            doc_id = DOC_PREFIX[genre].format(d + 100 * seed)
            for k in range(sentences_per_doc):
                a, b = rng.sample(NAMES, 2)
                n_events = 0 if (d + k) % 5 == 4 else rng.choice([1, 1, 2])
                types = rng.sample(TYPES, n_events)
                tokens = [a]
                triggers = []
                for t in types:
                    tokens += [rng.choice(FILLER), TRIGGERS[t]]
                    triggers.append((t, len(tokens) - 1))
                tokens += [rng.choice(FILLER), b]
                wnd = f"{doc_id}-{k}"
                ents = [{"id": f"{wnd}-E0", "start": 0, "end": 1, "text": a},
                        {"id": f"{wnd}-E1", "start": len(tokens) - 1, "end": len(tokens), "text": b}]
                events = [{"id": f"{wnd}-V{j}", "event_type": t, "trigger": {"start": i, "end": i + 1, "text": tokens[i]},
                           "arguments": [{"entity_id": ents[0]["id"], "text": a, "role": ROLES[t][0]},
                                         {"entity_id": ents[1]["id"], "text": b, "role": ROLES[t][1]}]}
                          for j, (t, i) in enumerate(triggers)]
                f.write(json.dumps({"doc_id": doc_id, "wnd_id": wnd, "tokens": tokens, "entity_mentions": ents,
                                    "event_mentions": events}) + "\n")
    return path
