"""Search on the bundled corpus, ingested by the real pipeline (the issue's acceptance searches)."""

from __future__ import annotations

import re
from pathlib import Path

from api.services import Services
from api.settings import Settings

NYNORSK = Path(__file__).resolve().parents[1] / "data" / "forde-ssu-referat-nynorsk.txt"


def test_mobile_xray_finds_the_annual_report_and_the_fsu_minutes(corpus_services) -> None:  # type: ignore[no-untyped-def]
    hits = corpus_services.search.search("mobil røntgen", limit=5)["hits"]
    places = [(h["title"], h["section"]) for h in hits]
    assert any(t.startswith("Årsmelding 2023") and "Fagutvalg for akuttkjeden" in s for t, s in places), (
        places
    )
    fsu = next(h for h in hits if h["title"] == "Referat FSU 25.01.2024")
    # The abbreviation is found and marked as written in the text.
    assert "<mark>mobilt</mark> <mark>rtg</mark>" in fsu["snippet"]
    assert all(h["doc_id"] and h["page"] for h in hits)


def test_gp_committee_decision_is_in_the_top_three(corpus_services) -> None:  # type: ignore[no-untyped-def]
    for kind in ("passage", "decision"):
        hits = corpus_services.search.search("fagutvalg for fastleger vedtak", limit=3, kind=kind)["hits"]
        assert any("2023.42" in (h.get("section") or "") or h.get("number") == "2023.42" for h in hits), (
            kind,
            hits,
        )
    decision = next(
        h
        for h in corpus_services.search.search("fagutvalg for fastleger vedtak", kind="decision", limit=3)[
            "hits"
        ]
        if h.get("number") == "2023.42"
    )
    assert decision["conclusion"].startswith("Det etableres et Fagutvalg for fastleger")
    # the case titled with the words comes before "Status for fagutvalg", which only mentions them;
    # among passages, the one under the case's own heading before those that mention the words
    top = corpus_services.search.search("fagutvalg for fastleger vedtak", limit=1)["hits"][0]
    assert top["section"] == "Sak 2023.42 Fagutvalg for fastleger", top
    first = corpus_services.search.search("fagutvalg for fastleger vedtak", kind="decision", limit=1)["hits"]
    assert first[0]["number"] == "2023.42", first
    assert decision["body"] == "SSU" and decision["date"] == "2023-11-23"


def test_facets_count_under_filters(corpus_services) -> None:  # type: ignore[no-untyped-def]
    everything = corpus_services.search.search("fagutvalg", limit=50)
    only_2024 = corpus_services.search.search("fagutvalg", year=2024, limit=50)
    # the facets count documents: a facet's count is the filtered search's number of documents
    assert everything["facets"]["year"]["2024"] == only_2024["total_documents"]
    assert set(only_2024["facets"]["year"]) == {"2024"}
    minutes = corpus_services.search.search("fagutvalg", doc_type="referat", limit=50)
    assert minutes["total_documents"] == everything["facets"]["doc_type"]["referat"]
    assert all(h["doc_type"] == "referat" for h in minutes["hits"])


def test_duplicates_are_not_counted_twice(corpus_services) -> None:  # type: ignore[no-untyped-def]
    hits = corpus_services.search.search('"forsterket oppfølging etter utskrivning"', limit=10)["hits"]
    titles = [h["title"] for h in hits]
    assert titles.count("Handlingsplan 2023 – Helsefelleskapet i Vestfold") == 1, titles


def test_bokmal_and_nynorsk_find_each_other(tmp_path: Path, corpus_services) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data")
    with Services(settings, write=True) as services:
        list(services.ingestor().run([NYNORSK]))
    with Services(settings) as services:
        hits = services.search.search("tjenester til skrøpelige eldre sykehuset", limit=3)["hits"]
        assert (
            hits
            and "Tenester til skrøpelege eldre"
            in re.sub(r"</?mark>", "", hits[0]["snippet"]) + hits[0]["section"]
        )
    # ... and a nynorsk query finds bokmål text in the corpus.
    hits = corpus_services.search.search("kommunane og sjukehuset", limit=5)["hits"]
    assert any(
        "<mark>sykehuset</mark>" in h["snippet"] or "<mark>kommunene</mark>" in h["snippet"] for h in hits
    )
