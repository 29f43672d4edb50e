"""Meetings and decisions: each dated meeting an entity of the body that held it, with who chaired,
took the minutes, attended and was absent; each agenda item a decision of that meeting (or of the
body, for a paper without a date), with who is responsible and what the item is about (what its
passage mentions)."""

from __future__ import annotations

import re

from ingest import ids
from ingest.extract.entities import EntityTable
from ingest.extract.labels import decision_label, meeting_label
from ingest.extract.names import committees, data_rules, key_of
from ingest.extract.recognised import Recognised
from ingest.extract.resolve import has_surname
from ingest.model import AgendaItem, Document, Meeting, Mention, Relation
from kinds import registry


def meeting_relations(doc: Document, table: EntityTable, mentions: list[Mention]) -> list[Relation]:
    # The header facts are read from the meeting's own passage, else from the document's first.
    evidence = next((p.passage_id for p in doc.passages if p.kind == "meeting"), None) or (
        doc.passages[0].passage_id if doc.passages else None
    )
    relations: list[Relation] = []
    for meeting in doc.meetings:
        committee = _body(meeting, table)
        meeting_id = None
        if meeting.date:
            meeting_id = _meeting(meeting, meeting.date, table)
            relations += _header(meeting, meeting_id, committee, evidence, table)
        for index, item in enumerate(meeting.agenda_items):
            decision = _decision(doc, meeting, meeting_id, index, item, table)
            if meeting_id:
                relations.append(Relation(decision, "agendaItemOf", meeting_id, item.passage_id, "agenda"))
            elif committee:
                relations.append(Relation(decision, "decidedBy", committee, item.passage_id, "agenda"))
            relations += _responsible(item, decision, table)
            relations += _about(item, decision, table, mentions)
    return relations


def people_named(
    doc: Document, relations: list[Relation], table: EntityTable, mentions: list[Mention]
) -> list[Mention]:
    """Who a header or an agenda table names (chair, minute-taker, present, absent, responsible) is
    mentioned where it names them, as the recogniser's names are: an entity page counts that passage.
    The relation's own passage first; a name the item's table row gives may stand in the next one."""
    texts = {p.passage_id: p.text for p in doc.passages}
    seen = {m.entity_id for m in mentions}
    out = []
    for relation in relations:
        person = relation.subject
        if ids.type_of(person) != "person" or person in seen:
            continue
        order = [relation.passage_id] if relation.passage_id in texts else []
        order += [pid for pid in texts if pid != relation.passage_id]
        found = next(
            (
                Mention(person, pid, spelling, at, at + len(spelling))
                for pid in order
                for spelling in table.spellings(person)
                if (at := texts[pid].find(spelling)) >= 0
            ),
            None,
        )
        if found:
            out.append(found)
            seen.add(person)
    return out


def _body(meeting: Meeting, table: EntityTable) -> str | None:
    """The committee that met: the body its header names, else one named as written."""
    if not meeting.body:
        return None
    named = committees(meeting.body, data_rules())
    body = (
        named[0] if named else Recognised("committee", meeting.body, meeting.body, key_of(meeting.body), 0, 0)
    )
    return table.resolve(body)


def _meeting(meeting: Meeting, day: str, table: EntityTable) -> str:
    return table.add(
        ids.meeting(table.fellesskap, meeting.body, day),
        "meeting",
        meeting_label(meeting.body, day),
        date=day,
        place=meeting.place,
        time=meeting.time,
        fellesskap=table.fellesskap,
    )


def _header(
    meeting: Meeting, meeting_id: str, committee: str | None, evidence: str | None, table: EntityTable
) -> list[Relation]:
    relations = []
    if committee:
        relations.append(Relation(meeting_id, "meetingOf", committee, evidence, "header"))
    for role, name in (("chairs", meeting.chair), ("takesMinutes", meeting.minute_taker)):
        if name:
            relations.append(Relation(table.person(name), role, meeting_id, evidence, "header"))
    for predicate, names in (("attended", meeting.present), ("absentFrom", meeting.absent)):
        for name in names:
            relations.append(Relation(table.person(name), predicate, meeting_id, evidence, "header"))
    return relations


def _decision(
    doc: Document, meeting: Meeting, meeting_id: str | None, index: int, item: AgendaItem, table: EntityTable
) -> str:
    # A numbered case of a dated meeting is one decision whichever paper tells of it: the notice's agenda
    # and the case paper bundled with it ("Sak 2024.6") are two documents but one case.
    entity_id = (
        ids.meeting_decision(meeting_id, item.number)
        if meeting_id and item.number
        else ids.decision(doc.doc_id, item.number or f"u{index + 1}")
    )
    return table.add(
        entity_id,
        "decision",
        decision_label(item.number, item.title),
        number=item.number,
        title=item.title,
        conclusion=item.conclusion,
        kind=item.kind,
        date=meeting.date,
        body=meeting.body,
        doc_id=doc.doc_id,
        passage_id=item.passage_id,
    )


def _responsible(item: AgendaItem, decision: str, table: EntityTable) -> list[Relation]:
    """The people of the item's responsible column ("Anita Frode" is two given names, no one)."""
    names = re.split(r",\s*", item.responsible) if item.responsible else []
    return [
        Relation(table.person(name), "responsibleFor", decision, item.passage_id, "agenda")
        for name in names
        if len(name.split()) >= 2 and has_surname(name)
    ]


def _about(item: AgendaItem, decision: str, table: EntityTable, mentions: list[Mention]) -> list[Relation]:
    about_types = set(registry().predicates["about"].range)  # what an agenda item can be about
    mentioned = dict.fromkeys(m.entity_id for m in mentions if m.passage_id == item.passage_id)
    return [
        Relation(decision, "about", entity_id, item.passage_id, "agenda")
        for entity_id in mentioned
        if table[entity_id].type in about_types
    ]
