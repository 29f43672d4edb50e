"""A plan's years on the ingested corpus, as a user meets them: the year filter and facet of search,
the document's record and API view, the graph's facts with their evidence, and the entity timeline."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from api.routes.documents import document_detail
from api.schemas import DocumentDetail
from graph.build import Iris, document_triples
from graph.queries import GraphQueries
from graph.vocab import HFKG

VESTFOLD_PLAN = "d55e08002c93a7eb"  # Handlingsplan 2023, adopted 07.10.2022
OSTFOLD_PLAN = "18a91a857807f2a9"  # Handlingsplan 2023–2024


def _doc_ids(result: dict[str, Any]) -> set[str]:
    return {h["doc_id"] for h in result["hits"]}


def test_year_filter_finds_a_plan_under_every_year_it_covers(corpus_services: Any) -> None:
    search = corpus_services.search
    assert VESTFOLD_PLAN in _doc_ids(search.search("handlingsplan", year=2023, limit=100))
    assert VESTFOLD_PLAN not in _doc_ids(search.search("handlingsplan", year=2022, limit=100))
    for year in (2023, 2024):
        assert OSTFOLD_PLAN in _doc_ids(search.search("handlingsplan", year=year, limit=100))
    assert OSTFOLD_PLAN in _doc_ids(search.search("handlingsplan år:2024", limit=100))


def test_year_facet_counts_a_plan_in_each_year_it_covers(corpus_services: Any) -> None:
    search = corpus_services.search
    both = search.search("handlingsplan", fellesskap="ostfold", limit=0)
    assert both["total"] > 0
    # Facets count documents (the total counts passages): the one plan for 2023–2024 counts in both years.
    assert both["facets"]["year"].get("2023") == both["facets"]["year"].get("2024") == both["total_documents"]
    vestfold = search.search("handlingsplan", limit=0, doc_type="handlingsplan", fellesskap="vestfold")
    assert "2022" not in vestfold["facets"]["year"] and vestfold["facets"]["year"]["2023"] > 0


def test_the_document_view_has_the_period_and_the_adoption(corpus_services: Any) -> None:
    doc = corpus_services.documents.document(VESTFOLD_PLAN)
    view = DocumentDetail.model_validate(document_detail(doc)).model_dump()
    assert view["period_start"] == view["period_end"] == view["year"] == 2023
    assert view["adopted"] == "2022-10-07" and view["adopted_by"] == "Partnerskapsmøte"
    summary = next(d for d in corpus_services.documents.summaries() if d["doc_id"] == OSTFOLD_PLAN)
    assert (summary["period_start"], summary["period_end"], summary["years"]) == (2023, 2024, [2023, 2024])


def test_the_graph_holds_the_period_and_the_adoption_with_evidence(corpus_services: Any) -> None:
    doc = corpus_services.documents.document(VESTFOLD_PLAN)
    iris = Iris()
    graph = Graph()
    for triple in document_triples(doc, iris):
        graph.add(triple)
    d = iris.document(doc.doc_id)
    assert graph.value(d, HFKG.periodStart) == Literal(2023, datatype=XSD.integer)
    assert graph.value(d, HFKG.periodEnd) == Literal(2023, datatype=XSD.integer)
    accepted = Literal("2022-10-07", datatype=XSD.date)
    assert graph.value(d, DCTERMS.dateAccepted) == accepted
    assert graph.value(d, DCTERMS.date) is None  # a plan stands under its period, not its adoption
    (assertion,) = graph.subjects(HFKG.value, accepted)
    assert (assertion, RDF.type, HFKG.Assertion) in graph
    assert graph.value(assertion, HFKG.predicate) == DCTERMS.dateAccepted
    evidence = graph.value(assertion, PROV.wasDerivedFrom)
    assert "07.10.2022" in str(graph.value(evidence, HFKG.text))


def test_the_timeline_places_a_plan_under_the_year_it_covers(corpus_services: Any) -> None:
    timeline = GraphQueries(corpus_services.graph).timeline("initiative/vestfold/vitality")
    plan = next(e for e in timeline if e["doc_id"] == VESTFOLD_PLAN)
    assert plan["year"] == 2023 and plan["years"] == [2023]
    years = [e["year"] for e in timeline]
    assert years == sorted(years)
