"""leads and deputyLeads: "Prosjektleder Kari Marthinsen", "X som har ledet arbeidsgruppen". A
project leader named without the project leads the one the text is about (the last one named)."""

from __future__ import annotations

from ingest.extract.relations.clause import Clause
from ingest.model import Relation

_LEADING_ROLES = ("leads", "deputy")  # the roles of people.py that lead what the unit is about


def leadership(unit: Clause) -> list[Relation]:
    leaders = [f for f in unit.of_type("person") if f.role in _LEADING_ROLES]
    if leaders and not unit.subject_ids:
        unit.adopt_last_named("anaphor")
    if not unit.subject_ids:
        return []
    led = unit.lead.entity_id if unit.lead else unit.subject_ids[-1]
    return [unit.relation(person.entity_id, _predicate(person.role), led, unit.method) for person in leaders]


def _predicate(role: str | None) -> str:
    return "leads" if role == "leads" else "deputyLeads"
