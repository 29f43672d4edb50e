"""involves and pilotedIn: the municipalities an initiative takes place in, with a cue ("pilot",
"utvidet til", "deltar" …); a pilot municipality where a pilot cue is in the same clause. A sentence
that names no initiative ("Kristiansand kommune er pilotkommune.") is about the one named last."""

from __future__ import annotations

from ingest.extract.relations.clause import Clause
from ingest.extract.relations.cues import county_municipalities, cue, piloted
from ingest.model import Relation


def participation(unit: Clause) -> list[Relation]:
    if not cue("participation_cues").search(unit.text):
        return []
    municipalities = unit.of_type("municipality")
    if not unit.subject_ids and municipalities:
        unit.adopt_last_named("context")
    counties = county_municipalities(unit.text)
    if not unit.subject_ids or not (municipalities or counties):
        return []
    pilots = piloted(unit.text, unit.start, municipalities)
    targets = list(dict.fromkeys([m.entity_id for m in municipalities] + counties))
    chosen = [unit.lead.entity_id] if unit.lead else unit.subject_ids[-1:]
    relations = []
    for subject in chosen:
        for municipality in targets:
            relations.append(unit.relation(subject, "involves", municipality, unit.method))
            if municipality in pilots:
                relations.append(unit.relation(subject, "pilotedIn", municipality, unit.method))
    return relations
