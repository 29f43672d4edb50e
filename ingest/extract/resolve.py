"""Resolution: when two spellings are one person or one working group, and the registry of names
that documents hand on to the next ones. (Which spelling labels an entity: :mod:`ingest.extract.labels`.)"""

from __future__ import annotations

import re
from functools import cache

from ingest.extract.catalogue import vocab
from ingest.extract.names.rules import data_rules
from ingest.extract.names.words import committee_stop_words
from ingest.model import Document


@cache
def _not_stems() -> frozenset[str]:
    """A committee's head words ("arbeidsgruppe", "for") and stop words say nothing of its topic."""
    return frozenset(vocab()["committee_head_words"]) | committee_stop_words(data_rules())


def stems(label: str) -> list[str]:
    """Content-word stems of a name, for matching a working group's variants across documents."""
    words = re.findall(r"[\wæøå]+", label.lower())
    return sorted({w[:5] for w in words if w not in _not_stems() and len(w) > 2})


def registry_entries(doc: Document) -> dict[str, dict]:
    """What a document adds to the registry of names (kept by the store, passed back as ``known``)."""
    out = {}
    for entity in doc.entities:
        if entity.type in ("committee", "initiative", "person"):
            out[entity.id] = {
                "type": entity.type,
                "kind": entity.attrs.get("kind"),
                "fellesskap": entity.attrs.get("fellesskap"),
                "label": entity.label,
                "stems": stems(entity.label),
            }
    return out


def has_surname(name: str) -> bool:
    """'Anita Frode' (two given names in a responsible column) is two people, not one."""
    from ingest.resources import first_names

    return any(token.strip(".") not in first_names() for token in name.split()[1:])


def _close(a: str, b: str) -> bool:
    """Equal, or one letter added, dropped or changed (for names of five letters or more)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1 and len(a) >= 3
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def same_person(a: str, b: str) -> bool:
    ta, tb = a.lower().replace("-", " ").split(), b.lower().replace("-", " ").split()
    if len(ta) < 2 or len(tb) < 2 or not _close(ta[0], tb[0]):
        return False
    last_a, last_b = ta[-1].strip("."), tb[-1].strip(".")
    if not (_close(last_a, last_b) and min(len(last_a), len(last_b)) >= 4):
        return False
    # Middle names or initials must not contradict: "Trine S. Skov" fits "Trine Søndergaard Skov".
    mid_a, mid_b = ta[1:-1], tb[1:-1]
    for x in mid_a:
        if mid_b and not any(
            y.startswith(x.strip(".")) or x.startswith(y.strip(".")) or _close(x, y) for y in mid_b
        ):
            return False
    return True
