"""What a search shows: counts that do not depend on the page, sorting by date, a date range,
results grouped by document, committees counted by entity and labelled so that they can be told apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ingest.errors import QueryError
from ingest.model import Document, Passage
from search import SearchIndex
from search.results import date_bound
from tests.search.conftest import stored_texts


def _ids(result: dict) -> list[str]:  # type: ignore[type-arg]
    return [h["passage_id"] for h in result["hits"]]


@pytest.mark.parametrize(("text", "options"), [("skrøpelige eldre Larvik", {}), ("fagutvalg for", {})])
def test_total_and_facets_do_not_depend_on_the_page(
    shared_index: SearchIndex, text: str, options: dict[str, str]
) -> None:
    # The partial matches used to be counted only when the strict ones did not fill the page: the
    # total grew from page 1 to page 2 (16 -> 18 for "skrøpelige eldre" on the corpus).
    pages = [
        shared_index.search(text, limit=limit, offset=offset) for limit, offset in ((1, 0), (2, 1), (10, 0))
    ]
    assert len({p["total"] for p in pages}) == 1
    assert len({p["total_documents"] for p in pages}) == 1
    assert all(p["facets"] == pages[0]["facets"] for p in pages)
    assert pages[0]["total"] == len(pages[2]["hits"]) >= pages[0]["matched_all"]


def test_decision_totals_do_not_depend_on_the_limit(shared_index: SearchIndex) -> None:
    few = shared_index.search("fagutvalg for fastleger", kind="decision", limit=1)
    many = shared_index.search("fagutvalg for fastleger", kind="decision", limit=50)
    assert few["total"] == many["total"] == len(many["hits"])
    assert few["facets"] == many["facets"]


def test_sort_by_date(shared_index: SearchIndex) -> None:
    newest = shared_index.search("fagutvalg", sort="newest", limit=50)
    dates = [h["date"] for h in newest["hits"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2024-02-29"
    oldest = shared_index.search("fagutvalg", sort="oldest", limit=50)
    assert [h["date"] for h in oldest["hits"]] == sorted(dates)
    assert newest["total"] == oldest["total"] == shared_index.search("fagutvalg")["total"]
    assert newest["sort"] == "newest" and shared_index.search("fagutvalg", sort="dato")["sort"] == "newest"
    with pytest.raises(QueryError):
        shared_index.search("fagutvalg", sort="tilfeldig")


def test_date_range_on_the_record_date(shared_index: SearchIndex) -> None:
    found = shared_index.search("fagutvalg", date_from="2024-01-01", limit=50)
    assert found["hits"] and all(h["date"] >= "2024-01-01" for h in found["hits"])
    window = shared_index.search("fagutvalg", date_from="2023-11", date_to="2024-01-31", limit=50)
    assert {h["date"] for h in window["hits"]} == {"2023-11-23", "2024-01-25"}
    in_words = shared_index.search("fagutvalg fra:2023-11 til:2024-01-31", limit=50)
    assert _ids(in_words) == _ids(window)
    decisions = shared_index.search("", kind="decision", date_to="2023-12-31", limit=50)
    assert decisions["hits"] and all(h["date"] <= "2023-12-31" for h in decisions["hits"])
    with pytest.raises(QueryError):
        shared_index.search("fagutvalg", date_from="31.12.2023")
    with pytest.raises(QueryError):
        shared_index.search("fagutvalg", date_from="2024-01-01", date_to="2023-01-01")


def test_date_bounds() -> None:
    assert date_bound("2023", end=False) == "2023-01-01"
    assert date_bound("2023", end=True) == "2023-12-31"
    assert date_bound("2023-02", end=True) == "2023-02-31"
    assert date_bound(" ", end=True) is None


def test_grouped_by_document(shared_index: SearchIndex) -> None:
    flat = shared_index.search("fagutvalg", limit=50)
    grouped = shared_index.search("fagutvalg", group=True, limit=2)
    groups = grouped["groups"]
    assert len(groups) == 2 and grouped["total_documents"] == 3 and grouped["total"] == flat["total"]
    # documents in the order of their best passage, each passage under its own document's heading
    assert [g["doc_id"] for g in groups] == list(dict.fromkeys(h["doc_id"] for h in flat["hits"]))[:2]
    for group in groups:
        assert {h["doc_id"] for h in group["hits"]} == {group["doc_id"]}
        assert group["count"] == sum(h["doc_id"] == group["doc_id"] for h in flat["hits"])
        assert group["more"] == group["count"] - len(group["hits"])
    second = shared_index.search("fagutvalg", group=True, limit=2, offset=2)
    assert [g["doc_id"] for g in second["groups"]] == [
        list(dict.fromkeys(h["doc_id"] for h in flat["hits"]))[2]
    ]


def test_more_in_this_document(new_index: Callable[[], SearchIndex]) -> None:
    doc = Document("plan", "Plan", "handlingsplan", "plan.txt", "vestfold", date="2024-01-01")
    text = "Skrøpelige eldre får oppfølging."
    doc.passages = [Passage(f"plan-{n}", "plan", n, [], text, 0, len(text)) for n in range(1, 6)]
    with new_index() as index:
        index.apply([doc])
        group = index.search("skrøpelige eldre", group=True)["groups"][0]
    assert (group["count"], len(group["hits"]), group["more"]) == (5, 3, 2)


def _committee_doc(doc_id: str, fellesskap: str, label: str) -> Document:
    doc = Document(
        doc_id, f"Plan {fellesskap}", "handlingsplan", f"{doc_id}.txt", fellesskap, date="2024-01-01"
    )
    text = f"{label} behandlet planen for skrøpelige eldre."
    doc.passages = [Passage(f"{doc_id}-1", doc_id, 1, [], text, 0, len(text))]
    return doc


def test_committees_are_entities_labelled_with_their_helsefellesskap(
    new_index: Callable[[], SearchIndex],
) -> None:
    docs = [
        _committee_doc("vf1", "vestfold", "Strategisk samarbeidsutvalg (SSU)"),
        _committee_doc("vf2", "vestfold", "SSU"),
        _committee_doc("of1", "ostfold", "Strategisk samarbeidsutvalg (SSU)"),
    ]
    entities = {
        "vf1-1": [
            {
                "id": "committee/vestfold/ssu",
                "label": "Strategisk samarbeidsutvalg (SSU)",
                "type": "committee",
            }
        ],
        "vf2-1": [{"id": "committee/vestfold/ssu", "label": "SSU", "type": "committee"}],
        "of1-1": [
            {"id": "committee/ostfold/ssu", "label": "Strategisk samarbeidsutvalg (SSU)", "type": "committee"}
        ],
    }
    with new_index() as index:
        index.apply(docs, entities=entities)
        result = index.search("skrøpelige eldre")
        # one committee however its documents wrote it; two committees of one name told apart
        assert result["facets"]["committee"] == {"committee/vestfold/ssu": 2, "committee/ostfold/ssu": 1}
        assert result["facet_labels"]["committee"] == {
            "committee/vestfold/ssu": "Strategisk samarbeidsutvalg (SSU) – Helsefellesskapet i Vestfold",
            "committee/ostfold/ssu": "Strategisk samarbeidsutvalg (SSU) – Helsefellesskapet Østfold",
        }
        by_id = index.search("skrøpelige eldre", committee="committee/vestfold/ssu")
        assert {h["doc_id"] for h in by_id["hits"]} == {"vf1", "vf2"}
        # a label filter: a spelling of the committee, else a part of one
        assert {h["doc_id"] for h in index.search("eldre", committee="SSU")["hits"]} == {"vf1", "vf2"}
        every_ssu = index.search("eldre", committee="samarbeidsutvalg")
        assert {h["doc_id"] for h in every_ssu["hits"]} == {"vf1", "vf2", "of1"}


def _meeting_doc() -> Document:
    from ingest.model import AgendaItem, Meeting

    doc = Document("ssu", "Referat SSU", "referat", "ssu.txt", "vestfold", date="2023-11-23")
    conclusion = "Det etableres et fagutvalg for fastleger med representanter fra kommunene og sykehuset."
    long_text = (
        "Fagutvalg for fastleger\nSkal vi etablere et fagutvalg for fastleger? Det ble gitt en orientering om "
        "fastlegen som en sentral medspiller, om henvisningspraksis, om rekruttering og om representasjon fra "
        "kommunene og sykehuset i utvalgene, og om møteplasser.\nKonklusjon: " + conclusion
    )
    status = "Status for fagutvalg\nFagutvalg HR orienterer. Fagutvalg fastleger orienterer. Fagutvalg IT."
    items = [
        AgendaItem("2023.41", "Status for fagutvalg", "orientering", passage_id="ssu-p1", text=status),
        AgendaItem(
            "2023.42",
            "Fagutvalg for fastleger",
            "beslutning",
            conclusion,
            "Konklusjon",
            passage_id="ssu-p2",
            text=long_text,
        ),
    ]
    doc.meetings = [Meeting("SSU", "2023-11-23", agenda_items=items)]
    return doc


def test_a_decision_titled_with_the_words_ranks_above_one_that_mentions_them(
    new_index: Callable[[], SearchIndex],
) -> None:
    with new_index() as index:
        index.apply([_meeting_doc()])
        hits = index.search("fagutvalg for fastleger vedtak", kind="decision")["hits"]
        assert [h["number"] for h in hits] == ["2023.42", "2023.41"]
        # the conclusion the item's text already holds is not indexed a second time
        assert max(t.count("Det etableres et fagutvalg") for t in stored_texts(index)) == 1


def test_a_passage_under_a_heading_of_the_words_ranks_above_one_that_mentions_them(
    new_index: Callable[[], SearchIndex],
) -> None:
    doc = Document("ssu", "Referat SSU", "referat", "ssu.txt", "vestfold", date="2023-11-23")
    about = (
        "Skal vi etablere et fagutvalg? Det ble gitt en orientering om rekruttering, henvisningspraksis og "
        "møteplasser. Konklusjon: Det etableres et fagutvalg med to representanter fra sykehuset, tre fra "
        "kommunene og tre fastleger valgt av fastlegene selv."
    )
    mention = (
        "Fagutvalg fastleger og fagutvalg HR orienterer; fagutvalg IT og fagutvalg for fastleger neste gang."
    )
    doc.passages = [
        Passage("ssu-1", "ssu", 1, ["Sak 2024.8 Status"], mention, 0, len(mention)),
        Passage("ssu-2", "ssu", 1, ["Sak 2023.42 Fagutvalg for fastleger"], about, 0, len(about)),
    ]
    with new_index() as index:
        index.apply([doc])
        assert _ids(index.search("fagutvalg for fastleger")) == ["ssu-2", "ssu-1"]


def test_a_committee_filter_by_the_name_a_meeting_header_writes(shared_index: SearchIndex) -> None:
    # "SSU" is how the Vestfold minutes' header names the body; the committee filter finds its records
    # and not every committee whose name contains the letters
    found = shared_index.search("", committee="SSU", limit=50)
    assert found["hits"] and {h["doc_id"] for h in found["hits"]} <= {"ssu-2023-11-23", "arsmelding-2023"}
    assert set(found["facets"]["committee"]) == {"committee/vestfold/ssu"}
