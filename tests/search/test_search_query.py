"""Query language, facets, snippets, did-you-mean."""

from __future__ import annotations

import pytest

from ingest.errors import QueryError
from ingest.model import Document, Passage
from search import SearchIndex
from search.parsing import parse_query


def ids(result: dict) -> list[str]:
    return [hit["passage_id"] for hit in result["hits"]]


def test_parse_query_pieces() -> None:
    parsed = parse_query('"mobil røntgen" akutt -bil år:2023 type:referat foo:bar -"røntgen bil"')
    assert parsed.phrases == ["mobil røntgen"]
    assert parsed.words == ["akutt", "foo:bar"]
    assert parsed.excluded == ["bil", "røntgen bil"]
    assert parsed.filters == {"year": ["2023"], "doc_type": ["referat"]}


def test_phrase_requires_adjacent_words(shared_index: SearchIndex) -> None:
    assert ids(shared_index.search('"mobil røntgen"')) == ["arsmelding-2023-p1"]
    assert ids(shared_index.search('"røntgen bil"')) == ["ssu-2023-11-23-p3"]


def test_exclusion_removes_passages(shared_index: SearchIndex) -> None:
    with_word = ids(shared_index.search("unødvendige innleggelser"))
    assert {"arsmelding-2023-p1", "ssu-2023-11-23-p3"} <= set(with_word)
    without = ids(shared_index.search("unødvendige innleggelser -røntgen"))
    assert "arsmelding-2023-p1" not in without and "ssu-2023-11-23-p3" not in without
    assert ids(shared_index.search('fagutvalg -"fagutvalg for fastleger"'))
    assert "arsmelding-2023-p4" not in ids(shared_index.search('fagutvalg -"fagutvalg for fastleger"'))


def test_field_filters_in_query_and_arguments_agree(shared_index: SearchIndex) -> None:
    in_query = shared_index.search("fagutvalg year:2024 type:referat")
    as_args = shared_index.search("fagutvalg", year=2024, doc_type="referat")
    assert ids(in_query) == ids(as_args) == ["fsu-2024-01-25-p1"]
    assert ids(shared_index.search("eldre fellesskap:førde")) == ["forde-2023-05-p1"]
    assert ids(shared_index.search("eldre", fellesskap="Forde")) == ["forde-2023-05-p1"]
    assert shared_index.search("eldre year:2019")["total"] == 0


def test_facet_counts_under_filters(shared_index: SearchIndex) -> None:
    # The total counts passages, the facets documents (the report's two passages count once).
    everything = shared_index.search("fagutvalg")
    assert everything["total"] == 5 and everything["total_documents"] == 3
    assert everything["facets"]["year"] == {"2024": 2, "2023": 1}  # the 2023 report is dated 2024
    assert everything["facets"]["doc_type"] == {"referat": 2, "årsmelding": 1}
    assert everything["facets"]["committee"] == {"committee/vestfold/ssu": 1, "committee/vestfold/fsu": 1}
    filtered = shared_index.search("fagutvalg", year=2024)
    assert filtered["total"] == 3 and filtered["total_documents"] == 2
    assert filtered["facets"]["year"] == {"2024": 2}
    assert filtered["facets"]["doc_type"] == {"årsmelding": 1, "referat": 1}
    assert filtered["facets"]["committee"] == {"committee/vestfold/fsu": 1}  # the minutes of one FSU meeting
    assert filtered["facets"]["fellesskap"] == {"vestfold": 2}
    both = shared_index.search("fagutvalg type:årsmelding", year=2024)
    assert both["total"] == 2 and both["facets"]["doc_type"] == {"årsmelding": 1}
    assert both["facets"]["committee"] == {}


def test_filter_only_query_lists_records(shared_index: SearchIndex) -> None:
    result = shared_index.search("", doc_type="handlingsplan")
    assert result["total"] == 3 and result["facets"]["doc_type"] == {"handlingsplan": 1}
    assert result["total_documents"] == 1 and result["counts"] == {"total": "passage", "facets": "document"}
    decisions = shared_index.search("", kind="decision", year=2023)
    assert decisions["total"] == 3 and {h["number"] for h in decisions["hits"]} == {
        "2023.37",
        "2023.39",
        "2023.42",
    }


def test_snippet_marks_words_as_written(shared_index: SearchIndex) -> None:
    hits = {h["passage_id"]: h["snippet"] for h in shared_index.search("mobil røntgen")["hits"]}
    assert "<mark>mobilt</mark> <mark>rtg</mark>" in hits["fsu-2024-01-25-p1"]
    assert "<mark>mobil</mark> <mark>røntgen</mark>" in hits["arsmelding-2023-p1"]
    nynorsk = shared_index.search("skrøpelige sykehuset")["hits"]
    forde = next(h for h in nynorsk if h["doc_id"] == "forde-2023-05")
    assert "<mark>sjukehuset</mark>" in forde["snippet"] and "<mark>skrøpelege</mark>" in forde["snippet"]
    compound = next(
        h for h in shared_index.search("avvik")["hits"] if h["passage_id"] == "arsmelding-2023-p3"
    )
    assert "<mark>samhandlingsavvik</mark>" in compound["snippet"]


def test_snippet_is_html_escaped(index: SearchIndex) -> None:
    text = "Rapporten <b>Helse & omsorg</b> viser at legevakt-tallene økte."
    doc = Document("html", "Rapport", "rapport", "r.html", "vestfold", date="2024-05-01")
    doc.passages = [Passage("html-1", "html", 1, ["Legevakt"], text, 0, len(text))]
    index.apply([doc])
    snippet = index.search("omsorg")["hits"][0]["snippet"]
    assert "&lt;b&gt;Helse &amp; <mark>omsorg</mark>&lt;/b&gt;" in snippet
    assert "<b>" not in snippet


def test_did_you_mean_on_typo(shared_index: SearchIndex) -> None:
    result = shared_index.search("fastlgene akuttkjeden")
    assert result["did_you_mean"] == "fastlegene akuttkjeden"
    assert result["total"] > 0  # searched with the correction
    assert shared_index.search("fastlegene")["did_you_mean"] is None


def test_bad_arguments_raise_query_error(shared_index: SearchIndex) -> None:
    with pytest.raises(QueryError):
        shared_index.search("eldre", limit=10_000)
    with pytest.raises(QueryError):
        shared_index.search("eldre year:tjue")
    with pytest.raises(QueryError):
        shared_index.search("eldre", kind="person")


def test_pagination_is_consistent(shared_index: SearchIndex) -> None:
    full = ids(shared_index.search("fagutvalg", limit=6))
    assert ids(shared_index.search("fagutvalg", limit=3, offset=3)) == full[3:]
