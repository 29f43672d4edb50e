"""What a user types, what comes back first."""

from __future__ import annotations

from ingest.model import Document, Passage
from search import SearchIndex


def ids(result: dict) -> list[str]:
    return [hit["passage_id"] for hit in result["hits"]]


def test_mobil_rontgen_finds_report_and_fsu_minutes_with_abbreviation(shared_index: SearchIndex) -> None:
    result = shared_index.search("mobil røntgen")
    top = ids(result)[:2]
    assert set(top) == {"arsmelding-2023-p1", "fsu-2024-01-25-p1"}  # "mobilt rtg" found through rtg=røntgen
    # "røntgen bil" matches one word only: after both full matches
    assert ids(result).index("ssu-2023-11-23-p3") >= 2


def test_hit_shape_follows_design(shared_index: SearchIndex) -> None:
    result = shared_index.search("mobil røntgen", limit=1)
    assert set(result) >= {"total", "hits", "facets", "did_you_mean", "query"}
    hit = result["hits"][0]
    assert set(hit) >= {
        "doc_id",
        "title",
        "doc_type",
        "year",
        "page",
        "section",
        "snippet",
        "score",
        "entities",
        "passage_id",
        "date",
        "fellesskap",
        "kind",
    }
    assert hit["kind"] == "passage" and hit["entities"] == []
    assert set(result["facets"]) == {"year", "doc_type", "fellesskap", "committee", "entity_type"}
    fsu = shared_index.search("mobilt rtg akuttkjeden")["hits"][0]
    assert fsu["doc_id"] == "fsu-2024-01-25" and fsu["page"] == 2
    assert fsu["section"] == "Sak 2024.2 > Fagutvalg for akuttkjeden"
    assert fsu["title"] == "Referat Faglig samarbeidsutvalg (FSU) 25.01.24" and fsu["year"] == 2024


def test_decision_search_puts_ssu_2023_42_first(shared_index: SearchIndex) -> None:
    result = shared_index.search("fagutvalg for fastleger vedtak", kind="decision")
    top = result["hits"][0]
    assert top["number"] == "2023.42"
    assert top["title"] == "Fagutvalg for fastleger"
    assert top["conclusion"].startswith("Det etableres et Fagutvalg for fastleger")
    assert top["body"] == "SSU" and top["date"] == "2023-11-23" and top["doc_id"] == "ssu-2023-11-23"
    assert top["document_title"] == "Referat SSU 23.11.23" and top["kind"] == "decision" and top["page"] == 5
    assert all(hit["kind"] == "decision" for hit in result["hits"])


def test_type_decision_in_query_or_argument_searches_agenda_items(shared_index: SearchIndex) -> None:
    by_query = shared_index.search("type:decision handlingsplan")
    by_argument = shared_index.search("handlingsplan", doc_type="decision")
    assert by_query["kind"] == by_argument["kind"] == "decision"
    assert by_query["hits"][0]["number"] == by_argument["hits"][0]["number"] == "2023.39"


def test_passage_search_finds_agenda_item_passage_for_decision_question(shared_index: SearchIndex) -> None:
    result = shared_index.search("fagutvalg for fastleger vedtak")
    assert "ssu-2023-11-23-p1" in ids(result)[:3]


def test_all_words_rank_before_some_words(shared_index: SearchIndex) -> None:
    result = shared_index.search("skrøpelige eldre Larvik")
    assert ids(result)[0] == "handlingsplan-2023-p2"  # the only passage with all three
    assert {"handlingsplan-2023-p1", "forde-2023-05-p1"} <= set(ids(result)[1:])


def test_bokmal_query_finds_nynorsk_passage(shared_index: SearchIndex) -> None:
    assert ids(shared_index.search("partnerskapsmøtet"))[0] == "forde-2023-05-p1"
    assert ids(shared_index.search("sykehuset tjenester kommunene"))[0] == "forde-2023-05-p1"
    assert "forde-2023-05-p2" in ids(shared_index.search("strategisk samarbeidsutvalg fastlegene"))[:1]


def test_nynorsk_query_finds_bokmal_passage(shared_index: SearchIndex) -> None:
    found = ids(shared_index.search("skrøpelege eldre"))
    assert {"handlingsplan-2023-p1", "handlingsplan-2023-p2"} <= set(found)
    assert "handlingsplan-2023-p3" in ids(shared_index.search("strategisk samarbeidsutval"))[:2]
    assert "arsmelding-2023-p1" in ids(shared_index.search("sjukehus fagutvalet"))[:2]


def test_abbreviation_and_expansion_find_each_other(shared_index: SearchIndex) -> None:
    # SSU = Strategisk samarbeidsutvalg, in both directions
    assert "handlingsplan-2023-p3" in ids(shared_index.search("SSU"))
    assert "arsmelding-2023-p4" in ids(shared_index.search("strategisk samarbeidsutvalg"))
    # SiV = Sykehuset i Vestfold
    assert "ssu-2023-11-23-p1" in ids(shared_index.search("SiV linjelederansvar"))[:1]


def test_compound_heads_found_below_exact_matches(shared_index: SearchIndex) -> None:
    avvik = ids(shared_index.search("avvik"))
    assert avvik[0] == "fsu-2024-01-25-p3"  # the only one with the word itself
    assert {"arsmelding-2023-p3", "fsu-2024-01-25-p2"} <= set(avvik[1:])
    oppfolging = ids(shared_index.search("oppfølging"))
    assert "arsmelding-2023-p2" in oppfolging  # hjemmeoppfølging
    assert oppfolging.index("arsmelding-2023-p2") > oppfolging.index("handlingsplan-2023-p2")


def test_heading_weighs_more_than_body(index: SearchIndex) -> None:
    text = "Arbeidsgruppen har levert sin rapport om samhandling."
    plain = Document("plain", "Referat", "referat", "a.pdf", "vestfold", date="2024-03-01")
    plain.passages = [Passage("plain-1", "plain", 1, ["Eventuelt"], text + " Habilitering ble nevnt.", 0, 1)]
    headed = Document("headed", "Referat", "referat", "b.pdf", "vestfold", date="2024-03-01")
    headed.passages = [Passage("headed-1", "headed", 1, ["Habilitering"], text + " Status ble nevnt.", 0, 1)]
    index.apply([plain, headed])
    assert ids(index.search("habilitering"))[:2] == ["headed-1", "plain-1"]
