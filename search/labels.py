"""What a facet value that is an entity id is called: one label per entity, whatever spelling each
document used, with its helsefellesskap where the label alone names more than one entity.

Each record stores the (entity id, label as its document wrote it) pairs it has; the label shown is
the one most records wrote, a committee's "for" form first ("Fagutvalg for fastleger" over
"Fagutvalg Fastleger"), as the graph's labels do (graph/labels.py); the body a meeting header names
("SSU") only where no passage names the committee. Three helsefellesskap each have a
"Strategisk samarbeidsutvalg (SSU)": those become "Strategisk samarbeidsutvalg (SSU) – Helsefellesskapet
i Vestfold" and so on, so that the facet says which.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from ingest import ids
from ingest.resources import fellesskap_list
from search.schema import LABEL_SEPARATOR

_INITIAL = re.compile(r"\b\w\.")  # "Marte W. Hansen"
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def fold(value: str) -> str:
    """Lower case, æøå spelt out, accents and punctuation gone: "Førde" and "forde" compare equal."""
    value = unicodedata.normalize("NFKD", value.lower().translate(_FOLD))
    return " ".join("".join(c if c.isalnum() else " " for c in value if not unicodedata.combining(c)).split())


def _preference(entity_id: str, label: str, votes: int) -> tuple[bool, bool, int, bool, int]:
    return (
        ids.type_of(entity_id) == "committee" and " for " in label,
        not _INITIAL.search(label),
        votes,
        label[:1].isupper(),
        len(label),
    )


class EntityLabels:
    """The labels of the entities one index generation names, read from its ``entity_label`` terms."""

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        headers: dict[str, Counter[str]] = defaultdict(Counter)
        for term, count in pairs:
            entity_id, _, label = term.partition(LABEL_SEPARATOR)
            if label.startswith(LABEL_SEPARATOR):
                headers[entity_id][label[1:]] += count
            elif label:
                votes[entity_id][label] += count
        for entity_id, counts in headers.items():
            if entity_id not in votes:  # a body only meeting headers name: as they write it
                votes[entity_id] = counts
        plain = {
            entity_id: max(counts, key=lambda label: _preference(entity_id, label, counts[label]))
            for entity_id, counts in votes.items()
        }
        owners: dict[str, set[str]] = defaultdict(set)
        for entity_id, label in plain.items():
            owners[fold(label)].add(entity_id)
        communities = {f.id: f.name for f in fellesskap_list()}
        self._labels = {
            entity_id: _qualified(entity_id, label, communities) if len(owners[fold(label)]) > 1 else label
            for entity_id, label in plain.items()
        }
        # every spelling finds the entity in a filter, a meeting header's too ("utvalg:SSU")
        self._spellings = {
            entity_id: set(counts) | set(headers.get(entity_id, ())) for entity_id, counts in votes.items()
        }

    def label(self, entity_id: str) -> str:
        return self._labels.get(entity_id, entity_id)

    def labels(self, entity_ids: Iterable[str]) -> dict[str, str]:
        return {entity_id: self.label(entity_id) for entity_id in entity_ids}

    def resolve(self, value: str, known: Iterable[str]) -> list[str]:
        """The entity ids a filter value stands for: the id itself, else the entities any of whose
        spellings is the value when folded, else those whose spelling contains it ("SSU")."""
        known = list(known)
        if value in known:
            return [value]
        wanted = fold(value)
        spellings = {i: {fold(s) for s in self._spellings.get(i, ())} | {fold(self.label(i))} for i in known}
        same = [i for i in known if wanted in spellings[i]]
        if same or not wanted:
            return same or [value]
        contained = [i for i in known if any(wanted in s for s in spellings[i])]
        return contained or [value]


def _qualified(entity_id: str, label: str, communities: dict[str, str]) -> str:
    """``label – Helsefellesskapet i Vestfold`` for an id of the form ``type/fellesskap/...``."""
    parts = ids.local_part(entity_id).split("/")
    community = communities.get(parts[0]) if len(parts) > 1 else None
    return f"{label} – {community}" if community else label
