"""Labels: the one place that says what an entity is called.

An entity named in several spellings gets the one :func:`preferred_label` picks from how often
each was written; an entity of the reference data gets the name its list gives.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from ingest import ids
from ingest.extract.catalogue import municipalities, patient_groups
from ingest.resources import fellesskap_list, trust_short_forms


def preferred_label(type_: str, counts: Counter[str]) -> str:
    """The label of an entity written as ``counts`` (spelling -> times written)."""
    if type_ == "committee":
        with_for = [label for label in counts if " for " in label]
        if with_for:
            return max(with_for, key=lambda label: (counts[label], -len(label)))
    capitalised = [label for label in counts if label[:1].isupper()] or list(counts)
    # A name shouted in a title ("SAMMEN OM SKRØPELIGE ELDRE") is the same name: written normally wins.
    capitalised = [label for label in capitalised if not (label.isupper() and len(label) > 6)] or capitalised
    if type_ == "person":
        # A full name beats one with initials: "Marthe Wang-Hansen" over "Marte W. Hansen".
        return max(
            capitalised, key=lambda label: (not re.search(r"\b\w\.", label), len(label), counts[label])
        )
    return max(
        capitalised, key=lambda label: (counts[label], len(label) if type_ == "initiative" else -len(label))
    )


def community_label(entity_id: str) -> str:
    local = ids.local_part(entity_id)
    return next((f.name for f in fellesskap_list() if f.id == local), entity_id)


def trust_label(entity_id: str, text: str) -> str:
    """A hospital trust's full name ("SiV" -> "Sykehuset i Vestfold HF"), else the text as written."""
    return next((full for full in trust_short_forms() if ids.health_trust(full) == entity_id), text)


def patient_group_label(entity_id: str) -> str:
    return str(patient_groups()[ids.local_part(entity_id)]["label"])


def municipality_label(entity_id: str) -> str:
    return str(municipalities()[ids.local_part(entity_id)]["label"])


def listed_label(type_: str, entity_id: str, text: str) -> str:
    """The label of an entity a gazetteer entry found as ``text``."""
    if type_ == "patient_group":
        return patient_group_label(entity_id)
    if type_ == "health_community":
        return community_label(entity_id)
    return trust_label(entity_id, text)


def meeting_label(body: str | None, day: str) -> str:
    return f"{body or 'Møte'} {date.fromisoformat(day).strftime('%d.%m.%Y')}"


def decision_label(number: str | None, title: str) -> str:
    return " ".join(x for x in ("Sak", number, title) if x)
