"""What a document's helsefellesskap holds: each committee it mentions is part of it, each
initiative one of its initiatives (evidence: the first passage that mentions it)."""

from __future__ import annotations

from ingest import ids
from ingest.extract.entities import EntityTable
from ingest.model import Document, Mention, Relation


def community_links(doc: Document, table: EntityTable, mentions: list[Mention]) -> list[Relation]:
    if not doc.fellesskap:
        return []
    community = ids.health_community(doc.fellesskap)
    first_mention: dict[str, str] = {}
    for mention in mentions:
        first_mention.setdefault(mention.entity_id, mention.passage_id)
    return [
        Relation(
            entity.id,
            "partOf" if entity.type == "committee" else "initiativeOf",
            community,
            first_mention[entity.id],
            "mention",
        )
        for entity in table.entities.values()
        if entity.type in ("committee", "initiative") and entity.id in first_mention
    ]
