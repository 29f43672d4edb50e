"""addresses: the patient groups an initiative or working group is for. Groups named within the
subject's own name first ("Fagutvalg for skrøpelige eldre"), else those named with it in the unit,
else those of the numbered list head or the heading above."""

from __future__ import annotations

from ingest.extract.relations.clause import Clause
from ingest.model import Relation


def addresses(unit: Clause) -> list[Relation]:
    relations = []
    for subject in unit.subject_ids:
        targets, method = _groups_of(unit, subject)
        for group in dict.fromkeys(targets):
            relations.append(unit.relation(subject, "addresses", group, method))
    return relations


def _groups_of(unit: Clause, subject: str) -> tuple[list[str], str]:
    groups = unit.of_type("patient_group")
    named_here = subject in [s.entity_id for s in unit.subjects]
    own = [
        f.entity_id
        for f in groups
        if any(s.entity_id == subject and s.start <= f.start < s.end for s in unit.subjects)
    ]
    if own:
        return own, "name"
    if groups and (named_here or unit.method != "sentence"):
        return [f.entity_id for f in groups], unit.method
    if named_here and (unit.local_groups or unit.context.groups):
        return (unit.local_groups or unit.context.groups), ("list" if unit.local_groups else "heading")
    return [], ""
