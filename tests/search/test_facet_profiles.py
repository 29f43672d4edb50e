"""Facets count documents, not records: a document whose passages differ in their entities (so in
PostgreSQL several profiles of one document) still counts once per year, type and committee."""

from __future__ import annotations

from collections.abc import Callable

from ingest.model import Document
from search import SearchIndex
from tests.search.search_documents import VESTFOLD, passage

TEXT = "Fagutvalget for rehabilitering drøftet samhandling om utskrivning fra sykehus."


def _document(doc_id: str, passages: int) -> Document:
    doc = Document(
        doc_id, f"Referat {doc_id}", "referat", f"{doc_id}.pdf", *VESTFOLD, date="2024-01-25", years=[2024]
    )
    doc.passages = [passage(doc_id, n, f"{TEXT} Punkt {n}.", ["Saker"]) for n in range(1, passages + 1)]
    return doc


def _entities(doc_id: str, passages: int) -> dict[str, list[dict[str, str]]]:
    """Each passage another committee and entity type: every passage another facet profile."""
    out: dict[str, list[dict[str, str]]] = {}
    for n in range(1, passages + 1):
        kind = ("committee", "initiative", "project")[n % 3]
        out[f"{doc_id}-p{n}"] = [
            {"id": f"committee/ssu-{n % 2}", "label": f"SSU {n % 2}", "type": "committee"},
            {"id": f"{kind}/x{n}", "label": f"X{n}", "type": kind},
        ]
    return out


def test_a_document_of_many_profiles_counts_once_per_value(new_index: Callable[[], SearchIndex]) -> None:
    ix = new_index()
    docs = [_document("mote-a", 5), _document("mote-b", 2)]
    ix.apply(docs, [], {**_entities("mote-a", 5), **_entities("mote-b", 2)})
    found = ix.search("rehabilitering utskrivning")
    assert found["total"] == 7
    assert found["total_documents"] == 2
    assert found["facets"]["year"] == {"2024": 2}
    assert found["facets"]["doc_type"] == {"referat": 2}
    assert sum(found["facets"]["entity_type"].values()) <= 2 * 3
    assert all(n <= 2 for n in found["facets"]["entity_type"].values())
    grouped = ix.search("rehabilitering utskrivning", group=True)
    assert [(g["doc_id"], g["count"], g["more"]) for g in grouped["groups"]] == [
        ("mote-a", 5, 2),
        ("mote-b", 2, 0),
    ]
