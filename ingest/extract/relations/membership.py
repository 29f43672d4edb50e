"""memberOf: municipalities listed or named with a membership cue ("består av", "medlemmer") belong
to the collaboration the unit names, else the one of its heading, else the helsefellesskap; hospital
trusts named with such a cue belong to the helsefellesskap."""

from __future__ import annotations

from ingest import ids
from ingest.extract.recognised import COLLABORATION
from ingest.extract.relations.clause import Clause
from ingest.extract.relations.cues import county_municipalities, cue, mostly_names
from ingest.model import Relation


def municipal_members(unit: Clause) -> list[Relation]:
    municipalities = unit.of_type("municipality")
    counties = county_municipalities(unit.text)
    membership = cue("membership_cues").search(unit.text) is not None
    listing = len(municipalities) >= 3 and mostly_names(unit.text, municipalities)
    if not (municipalities or counties) or not (membership or listing):
        return []
    named_group = next(
        (f.entity_id for f in unit.of_type("committee") if f.kind == COLLABORATION),
        None,
    )
    target = named_group or unit.context.committee or _community(unit)
    # A sentence about an initiative that names municipalities is about the initiative, not membership.
    if target is None or (unit.subject_ids and unit.method == "sentence" and not named_group):
        return []
    method = "list" if listing and not membership else "sentence"
    return [
        unit.relation(municipality, "memberOf", target, method)
        for municipality in dict.fromkeys([m.entity_id for m in municipalities] + counties)
    ]


def trust_members(unit: Clause) -> list[Relation]:
    if not unit.fellesskap or not cue("membership_cues").search(unit.text):
        return []
    community = ids.health_community(unit.fellesskap)
    return [
        unit.relation(trust, "memberOf", community, "sentence", dated=False)
        for trust in dict.fromkeys(unit.ids_of_type("health_trust"))
    ]


def _community(unit: Clause) -> str | None:
    named = next(iter(unit.ids_of_type("health_community")), None)
    return named or (ids.health_community(unit.fellesskap) if unit.fellesskap else None)
