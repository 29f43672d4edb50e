"""steeredBy: "SSU er styringsgruppe for prosjektet": the bodies a unit names with "styringsgruppe"
steer its subject (working groups are no steering bodies)."""

from __future__ import annotations

import re

from ingest.extract.recognised import GROUP_KINDS
from ingest.extract.relations.clause import Clause
from ingest.model import Relation

_STEERING = re.compile(r"styringsgrupp", re.I)


def steering(unit: Clause) -> list[Relation]:
    if not unit.subject_ids or not _STEERING.search(unit.text):
        return []
    bodies = dict.fromkeys(f.entity_id for f in unit.of_type("committee") if f.kind not in GROUP_KINDS)
    return [unit.relation(unit.subject_ids[-1], "steeredBy", body, unit.method) for body in bodies]
