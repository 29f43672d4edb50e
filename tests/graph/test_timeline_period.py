"""The entity timeline places a plan under the period it covers (hfkg:periodStart), read as such: not
because a plan happens to have no dcterms:date (a graph from elsewhere, or an older build, may give it one)."""

from __future__ import annotations

from typing import Any

from graph.queries import GraphQueries
from graph.store import GraphStore

VESTFOLD_PLAN = "d55e08002c93a7eb"  # Handlingsplan 2023, adopted 07.10.2022
OSTFOLD_PLAN = "18a91a857807f2a9"  # Handlingsplan 2023–2024


def test_a_dated_plan_stands_under_its_period(corpus_services: Any) -> None:
    docs = [corpus_services.documents.document(d) for d in (VESTFOLD_PLAN, OSTFOLD_PLAN)]
    with GraphStore.in_memory() as store:
        store.apply(docs)
        # the adoption date as a plain dcterms:date: the plan must still stand under 2023
        store.store.update(f"""
            PREFIX dcterms: <http://purl.org/dc/terms/>
            PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
            INSERT {{ GRAPH ?g {{ ?d dcterms:date "2022-10-07"^^xsd:date }} }}
            WHERE {{ GRAPH ?g {{ ?d dcterms:identifier "{VESTFOLD_PLAN}" }} }}""")
        q = GraphQueries(store)
        (vestfold,) = [e for e in q.timeline("initiative/vestfold/vitality") if e["doc_id"] == VESTFOLD_PLAN]
        assert vestfold["year"] == 2023
        assert (vestfold["period_start"], vestfold["period_end"]) == (2023, 2023)
        entries = q.timeline("health_community/ostfold")
        (ostfold,) = [e for e in entries if e["doc_id"] == OSTFOLD_PLAN]
        assert (ostfold["year"], ostfold["period_start"], ostfold["period_end"]) == (2023, 2023, 2024)


def test_the_timeline_response_keeps_the_period(corpus_services: Any) -> None:
    from api.schemas import Timeline

    entries = GraphQueries(corpus_services.graph).timeline("initiative/vestfold/vitality")
    sent = Timeline.model_validate({"id": "x", "label": "x", "entries": entries}).model_dump()
    plan = next(e for e in sent["entries"] if e["doc_id"] == VESTFOLD_PLAN)
    assert (plan["period_start"], plan["period_end"]) == (2023, 2023)
    other = next(e for e in sent["entries"] if e["doc_type"] == "referat")
    assert other["period_start"] is None
