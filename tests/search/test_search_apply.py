"""Index updates: replace, remove, fail atomically, duplicates, entities."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest

from ingest.model import Document, Passage
from search import IndexOutdated, SearchIndex, WhooshIndex
from search.postgres import SCHEMA, PostgresIndex
from tests.search.conftest import Indexes
from tests.search.search_documents import all_documents, annual_report


def ids(result: dict) -> list[str]:
    return [hit["passage_id"] for hit in result["hits"]]


def test_counts_and_doc_ids(index: SearchIndex) -> None:
    assert index.doc_ids() == {d.doc_id for d in all_documents()}
    assert index.count("passage") == sum(len(d.passages) for d in all_documents())
    assert index.count("decision") == 4
    assert index.count() == index.count("passage") + index.count("decision")


def test_replacing_a_document_leaves_no_stale_passages(index: SearchIndex) -> None:
    assert ids(index.search("samhandlingsavvik"))
    new = annual_report()
    new.passages = [Passage(f"{new.doc_id}-new", new.doc_id, 1, ["Nytt"], "Ny tekst om habilitering.", 0, 24)]
    index.apply([new], [])
    assert "arsmelding-2023-p3" not in ids(index.search("samhandlingsavvik"))
    assert ids(index.search("habilitering")) == [f"{new.doc_id}-new"]
    assert index.count("passage") == sum(len(d.passages) for d in all_documents()) - 4 + 1


def test_removing_a_document(index: SearchIndex) -> None:
    index.apply([], ["ssu-2023-11-23"])
    assert "ssu-2023-11-23" not in index.doc_ids()
    assert index.search("fagutvalg for fastleger", kind="decision")["total"] == 0


def test_failing_apply_leaves_index_unchanged(index: SearchIndex) -> None:
    before = (index.doc_ids(), index.count(), ids(index.search("fagutvalg", limit=50)))
    broken = annual_report()
    broken.passages.append(Passage("broken", broken.doc_id, 1, ["x"], None, 0, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        index.apply([broken, all_documents()[1]], ["ssu-2023-11-23"])
    assert (index.doc_ids(), index.count(), ids(index.search("fagutvalg", limit=50))) == before
    index.apply([], ["ssu-2023-11-23"])  # the writer lock was released
    assert "ssu-2023-11-23" not in index.doc_ids()


def test_duplicates_are_indexed_but_hidden_by_default(index: SearchIndex) -> None:
    copy = replace(annual_report(), doc_id="arsmelding-kopi", duplicate_of="arsmelding-2023")
    copy.passages = [replace(p, passage_id=p.passage_id + "-kopi", doc_id=copy.doc_id) for p in copy.passages]
    index.apply([copy])
    assert "arsmelding-kopi" in index.doc_ids()
    default = index.search("mobil røntgen")
    assert "arsmelding-2023-p1-kopi" not in ids(default)
    assert default["facets"]["doc_type"]["årsmelding"] == 1
    shown = index.search("mobil røntgen", include_duplicates=True)
    assert "arsmelding-2023-p1-kopi" in ids(shown)


def test_entities_feed_filters_and_facets(index: SearchIndex) -> None:
    entities = {
        "arsmelding-2023-p1": [
            {
                "id": "committee/fagutvalg-akuttkjeden",
                "label": "Fagutvalg for akuttkjeden",
                "type": "committee",
            },
            {"id": "initiative/mobil-rontgen", "label": "Mobil røntgen", "type": "initiative"},
        ],
        "fsu-2024-01-25-p1": [
            {"id": "initiative/mobil-rontgen", "label": "Mobil røntgen", "type": "initiative"},
        ],
    }
    index.apply([annual_report(), all_documents()[1]], entities=entities)
    result = index.search("røntgen")
    assert result["facets"]["entity_type"] == {"initiative": 2, "committee": 1}
    # committees: the entity's label, and the body of the one meeting a set of minutes records
    assert result["facets"]["committee"] == {
        "committee/fagutvalg-akuttkjeden": 1,
        "committee/vestfold/fsu": 1,
        "committee/vestfold/ssu": 1,
    }
    assert result["facet_labels"]["committee"] == {
        "committee/fagutvalg-akuttkjeden": "Fagutvalg for akuttkjeden",
        "committee/vestfold/fsu": "FSU",
        "committee/vestfold/ssu": "SSU",
    }
    by_entity = index.search("", entity="initiative/mobil-rontgen")
    assert set(ids(by_entity)) == {"arsmelding-2023-p1", "fsu-2024-01-25-p1"}
    hit = index.search("røntgen", committee="fagutvalg for akuttkjeden")["hits"]
    assert [h["passage_id"] for h in hit] == ["arsmelding-2023-p1"]
    assert hit[0]["entities"] == entities["arsmelding-2023-p1"]
    assert ids(index.search("røntgen", entity_type="committee")) == ["arsmelding-2023-p1"]


def test_searcher_sees_commits_of_another_instance(index: SearchIndex, indexes: Indexes) -> None:
    assert index.search("habilitering")["total"] == 0
    other = indexes.reopen(index)
    doc = Document("ny", "Notat", "notat", "n.txt", "vestfold", date="2024-06-01")
    doc.passages = [Passage("ny-1", "ny", 1, [], "Samarbeid om habilitering.", 0, 26)]
    other.apply([doc])
    other.close()
    assert ids(index.search("habilitering")) == ["ny-1"]


def test_outdated_schema_is_reported(indexes: Indexes) -> None:
    index = indexes.new()
    if isinstance(index, WhooshIndex):
        (index.path / "hfkg-search.json").write_text('{"schema_version": 0}')
    else:
        assert isinstance(index, PostgresIndex)
        with psycopg.connect(index.url, autocommit=True) as conn:
            conn.execute(f"UPDATE {SCHEMA}.meta SET value = 0 WHERE name = 'schema_version'")
    with pytest.raises(IndexOutdated):
        indexes.reopen(index)
