"""Set-at-a-time matching gives whoosh's own results: the same hits in the same order with
the same scores, the same totals, and the facet counts whoosh's ``groupedby`` would give."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh import sorting

from ingest.model import Document, Passage
from search import FACETS, WhooshIndex
from search.filters import query_filter
from search.parsing import parse_query
from search.results import counts as _counts
from search.schema import LIST_FACETS
from search.responses import _kind

QUERIES = [
    ("mobil røntgen", {}),
    ("fagutvalg", {}),
    ("fagutvalg", {"year": "2024"}),
    ("fagutvalg type:årsmelding", {"year": "2024"}),
    ("skrøpelige eldre Larvik", {}),
    ("avvik", {}),
    ("oppfølging", {}),
    ("SSU", {}),
    ('"mobil røntgen"', {}),
    ("unødvendige innleggelser -røntgen", {}),
    ('fagutvalg -"fagutvalg for fastleger"', {}),
    ("fagutvalg for fastleger vedtak", {"kind": "decision"}),
    ("", {"doc_type": "handlingsplan"}),
    ("", {"kind": "decision", "year": "2023"}),
    ("eldre", {"fellesskap": "Forde"}),
]


def _whoosh_search(index: WhooshIndex, text: str, options: dict[str, str]) -> list[tuple[list, int, dict]]:
    """For the strict and the partial query: whoosh's (docnum, score) top 20, total, facets."""
    parsed = parse_query(text)
    for name, value in options.items():
        if name != "kind":
            parsed.add_filter(name, value)
    kind = _kind(parsed, options.get("kind", "passage"))
    with index._reading() as current:  # one thread, no commits: the generation stays open after
        searcher, set_matcher = current.searcher, current.set_matcher
    reader = searcher.reader()
    plan = index._queries.build(parsed, kind, reader, searcher.corrector("spell"))
    facets = sorting.Facets()
    for name in FACETS:
        facets.add_field(name, maptype=sorting.Count, allow_overlap=name in LIST_FACETS)
    filter_query = query_filter(parsed.filters, reader, current.labels)
    out = []
    for q in [plan.strict] + ([plan.partial] if plan.partial is not None else []):
        results = searcher.search(
            q, limit=20, filter=filter_query, mask=wq.Term("duplicate", "1"), groupedby=facets
        )
        whoosh = (
            [(hit.docnum, round(hit.score, 9)) for hit in results][:20],
            results.scored_length(),
            {name: _counts(results.groups(name)) for name in FACETS},
        )
        docs = set_matcher.docs(q) - set_matcher.docs(wq.Term("duplicate", "1"))
        if filter_query is not None:
            docs &= set_matcher.docs(filter_query)
        ours = (
            [(d, round(s, 9)) for d, s in set_matcher.top(q, docs, 20)],
            len(docs),
            {name: _counts(counts) for name, counts in set_matcher.facet_counts(docs).items()},
        )
        out.append((whoosh, ours))
    return out


@pytest.mark.parametrize(("text", "options"), QUERIES)
def test_same_results_as_whoosh(shared_index: WhooshIndex, text: str, options: dict[str, str]) -> None:
    for whoosh, ours in _whoosh_search(shared_index, text, options):
        assert ours == whoosh


def test_total_and_facets_count_partial_matches(shared_index: WhooshIndex) -> None:
    result = shared_index.search("skrøpelige eldre Larvik")
    assert result["matched_all"] == 1 and result["total"] == len(result["hits"]) > 1
    # the facets count documents, the total records: each document once, whatever it matched
    assert sum(result["facets"]["doc_type"].values()) == result["total_documents"]
    assert result["total_documents"] == len({h["doc_id"] for h in result["hits"]})
    filtered = shared_index.search("skrøpelige eldre Larvik", fellesskap="forde")
    assert filtered["matched_all"] == 0
    assert filtered["total"] == len(filtered["hits"]) == 1
    assert filtered["facets"]["fellesskap"] == {"forde": 1}


def test_exclusion_also_removes_the_first_document(tmp_path: Path) -> None:
    # whoosh's AndNotMatcher keeps a document that is the first match of both sides
    docs = []
    for number, text in enumerate(["Sykehus og kommune samarbeider.", "Sykehuset alene.", "Kommunen alene."]):
        doc = Document(f"d{number}", "Notat", "notat", f"d{number}.txt", "vestfold", date="2024-01-01")
        doc.passages = [Passage(f"d{number}-1", doc.doc_id, 1, [], text, 0, len(text))]
        docs.append(doc)
    with WhooshIndex(tmp_path / "ix") as index:
        index.apply(docs)
        result = index.search("sykehus -kommune")
        assert [h["passage_id"] for h in result["hits"]] == ["d1-1"] and result["total"] == 1
        assert result["facets"]["year"] == {"2024": 1}


def test_deleted_records_are_neither_hits_nor_counted(index: WhooshIndex) -> None:
    before = index.search("fagutvalg")
    index.apply([], ["fsu-2024-01-25"])
    after = index.search("fagutvalg")
    assert all(h["doc_id"] != "fsu-2024-01-25" for h in after["hits"])
    assert after["total"] == before["total"] - 1
    assert after["facets"]["committee"] == {"committee/vestfold/ssu": 1}  # one set of SSU minutes
