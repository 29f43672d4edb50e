"""Entity ids: the one place that mints them (extraction) and reads them back (every layer).

An id is ``type/local`` (``municipality/3907``, ``committee/vestfold/ssu``,
``meeting/vestfold/ssu/2024-02-29``). Every IRI of the graph is made from one, so a change here
changes every stored graph: the forms below are a contract.
"""

from __future__ import annotations

import re

_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a", "é": "e", "ü": "u"})


def slug(text: str) -> str:
    """The id form of a name: ASCII letters and digits, runs of anything else a hyphen, "+" spelt out."""
    return re.sub(r"[^a-z0-9+]+", "-", text.translate(_LETTERS).lower()).strip("-").replace("+", "pluss")


def document(doc_id: str) -> str:
    return f"document/{doc_id}"


def municipality(number: str) -> str:
    return f"municipality/{number}"


def health_trust(name: str) -> str:
    return f"health_trust/{slug(name)}"


def health_community(fellesskap: str) -> str:
    return f"health_community/{fellesskap}"


def patient_group(key: str) -> str:
    return f"patient_group/{key}"


def person(name: str) -> str:
    return f"person/{slug(name)}"


def initiative(fellesskap: str, key: str) -> str:
    return f"initiative/{fellesskap}/{slug(key)}"


def committee(fellesskap: str, name: str) -> str:
    """A body or a named collaboration of a helsefellesskap: ``committee/vestfold/ssu``."""
    return f"committee/{fellesskap}/{slug(name)}"


def working_group(fellesskap: str, kind: str, key: str) -> str:
    """A committee on a topic: ``committee/vestfold/fagutvalg-legevakt`` (the kind as written)."""
    return f"committee/{fellesskap}/{kind}-{slug(key)}"


def meeting(fellesskap: str, body: str | None, day: str) -> str:
    return f"meeting/{fellesskap}/{slug(body or 'mote')}/{day}"


def decision(doc_id: str, number: str) -> str:
    """A case known from one paper only (no dated meeting): ``decision/<doc_id>/<number>``."""
    return f"decision/{doc_id}/{slug(number)}"


def meeting_decision(meeting_id: str, number: str) -> str:
    """A numbered case of a dated meeting: ``decision/vestfold/ssu/2024-02-29/2024-6``."""
    return f"decision/{local_part(meeting_id)}/{slug(number)}"


def type_of(entity_id: str) -> str:
    return entity_id.partition("/")[0]


def local_part(entity_id: str) -> str:
    """What follows the type: a municipality's number, a patient group's key, a community's id."""
    return entity_id.partition("/")[2]
