"""PostgreSQL search with every posting list kept in the process cache (search/postgres/facets.py
PostingCache): the same answers as whoosh, the second time (from the cache) and after a write
(a new generation, a new cache)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search import WhooshIndex
from search.postgres import PostgresIndex
from search.postgres.facets import PostingCache
from tests.search.conftest import Indexes
from tests.search.search_documents import all_documents

QUERIES = ["fagutvalg", '"mobil røntgen"', "kommune -sykehus", "samhandling year:2023"]


@pytest.fixture()
def cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PostingCache, "LONG", 1)  # keep every list, however short


@pytest.fixture()
def both(tmp_path: Path, database_server: str, cached: None) -> Iterator[tuple[WhooshIndex, PostgresIndex]]:
    made = Indexes("postgres", tmp_path, database_server)
    postgres = made.new()
    assert isinstance(postgres, PostgresIndex)
    whoosh = WhooshIndex(tmp_path / "whoosh")
    for ix in (whoosh, postgres):
        ix.apply(all_documents(), [])
    yield whoosh, postgres
    whoosh.close()
    made.close()


def test_cached_postings_answer_as_whoosh(both: tuple[WhooshIndex, PostgresIndex], tmp_path: Path) -> None:
    whoosh, postgres = both
    for _ in range(2):
        for text in QUERIES:
            assert postgres.search(text) == whoosh.search(text)
    # after a removal, against a whoosh index of the rest (whoosh's own counts its deleted
    # records until a merge)
    gone, *rest = all_documents()
    postgres.apply([], [gone.doc_id])
    fresh = WhooshIndex(tmp_path / "rest")
    fresh.apply(rest, [])
    try:
        for text in QUERIES:
            assert postgres.search(text) == fresh.search(text)
    finally:
        fresh.close()


def test_what_one_generation_looked_up_is_not_the_next_ones(
    both: tuple[WhooshIndex, PostgresIndex], tmp_path: Path
) -> None:
    """A term, a prefix and a spelling the index did not have, looked up (and kept for the
    generation), then a document that has them: the next search finds it, as whoosh does."""
    from ingest.model import Document
    from tests.search.search_documents import VESTFOLD, passage

    whoosh, postgres = both
    asked = ["fallforebygging", "fallforebyging", "fallforebygg*", "hjemmetjenesten fallforebygging"]
    for text in asked:
        assert postgres.search(text) == whoosh.search(text)
    assert postgres.search("fallforebygging")["total"] == 0
    doc = Document("fall-2024", "Fallforebygging i hjemmetjenesten", "handlingsplan", "fall.pdf", *VESTFOLD)
    doc.passages = [
        passage(doc.doc_id, 1, "Kommunene starter fallforebygging i hjemmetjenesten i 2024.", ["Tiltak"])
    ]
    for ix in (whoosh, postgres):
        ix.apply([doc], [])
    for text in asked:
        assert postgres.search(text) == whoosh.search(text), text
    assert postgres.search("fallforebygging")["total"] >= 1


def test_the_lookups_are_bounded_by_the_terms_they_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    from search.postgres.lookup import Lookups

    monkeypatch.setattr(Lookups, "LIMIT", 10)
    kept = Lookups()
    kept.put(("prefix", "text:fag"), [("text:fagråd", 1, 3)] * 8, 8)
    kept.put(("term", "text:rus"), (2, 5))
    assert len(kept) == 9
    kept.put(("term", "text:rus"), (2, 6))  # put again: counted once
    assert len(kept) == 9 and kept.get(("term", "text:rus")) == (2, 6)
    kept.put(("prefix", "text:sam"), [("text:samhandling", 3, 7)] * 4, 4)  # past 10: the least used goes
    assert kept.get(("prefix", "text:fag")) is None and len(kept) == 5
    assert kept.get(("term", "text:rus")) == (2, 6) and kept.get(("prefix", "text:sam")) is not None
