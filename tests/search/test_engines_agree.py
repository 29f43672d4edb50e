"""PostgreSQL answers as whoosh does: the same totals, facets, hits, scores and snippets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search import SearchIndex, WhooshIndex
from search.postgres import PostgresIndex
from search.postgres.lookup import Terms
from tests.search.conftest import Indexes
from tests.search.search_documents import all_documents
from tests.search.test_set_matching import QUERIES

MORE = [
    ("fastlger rekruttering", {}),  # a typo: the same did_you_mean
    ("tenester sjukehus kommunane", {}),
    ("ØHD", {}),
    ("fagutvalg", {"sort": "newest"}),
    ("fagutvalg", {"sort": "oldest", "limit": "3", "offset": "2"}),
    ("fagutvalg", {"group": "1"}),
    ("", {"date_from": "2023-06", "date_to": "2024"}),
    ("kommune", {"committee": "SSU"}),
    ("fagutvalg", {"include_duplicates": "1"}),
]


@pytest.fixture(scope="module")
def postgres_index(tmp_path_factory: pytest.TempPathFactory, database_server: str) -> Iterator[SearchIndex]:
    made = Indexes("postgres", tmp_path_factory.mktemp("unused"), database_server)
    ix = made.new()
    ix.apply(all_documents(), [])
    yield ix
    made.close()


def _options(options: dict[str, str]) -> dict[str, object]:
    numbers = {"limit", "offset"}
    flags = {"group", "include_duplicates"}
    return {k: int(v) if k in numbers else bool(v) if k in flags else v for k, v in options.items()}


@pytest.mark.parametrize(("text", "options"), QUERIES + MORE)
def test_postgres_answers_as_whoosh(
    whoosh_index: WhooshIndex, postgres_index: SearchIndex, text: str, options: dict[str, str]
) -> None:
    assert postgres_index.search(text, **_options(options)) == whoosh_index.search(text, **_options(options))


def test_both_hold_the_same_records(
    whoosh_index: WhooshIndex, postgres_index: SearchIndex, tmp_path: Path
) -> None:
    assert postgres_index.doc_ids() == whoosh_index.doc_ids()
    assert postgres_index.duplicate_ids() == whoosh_index.duplicate_ids()
    for kind in (None, "passage", "decision"):
        assert postgres_index.count(kind) == whoosh_index.count(kind)


def test_document_frequencies_are_whoosh_s(whoosh_index: WhooshIndex, postgres_index: SearchIndex) -> None:
    """Every term's document frequency (BM25's idf, the compounds a head chooses, spelling) is whoosh's."""
    assert isinstance(postgres_index, PostgresIndex)
    with whoosh_index._reading() as current:
        reader = current.searcher.reader()
        with postgres_index._pool.connection() as conn:
            terms = Terms(conn)
            for fieldname in ("text", "compound", "head", "d_text", "d_compound", "d_head", "spell"):
                for btext in reader.lexicon(fieldname):
                    found = terms.doc_frequency(fieldname, btext.decode("utf-8"))
                    assert found == reader.doc_frequency(fieldname, btext), (fieldname, btext)
