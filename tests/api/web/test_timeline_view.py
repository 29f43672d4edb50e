"""The entity page's timeline shows a plan by the period it covers."""

from __future__ import annotations

from typing import Any

from api.web.views import timeline
from graph.queries import GraphQueries

OSTFOLD_PLAN = "18a91a857807f2a9"  # Handlingsplan 2023–2024


def test_the_timeline_page_shows_a_plan_by_its_period(corpus_services: Any) -> None:
    """The entity page's timeline line read "2023, 2024" for a plan for 2023–2024."""
    entries = GraphQueries(corpus_services.graph).timeline("health_community/ostfold")
    shown = timeline(entries)
    assert shown is not None
    whens = {e["doc_id"]: e["when"] for _, items in shown["groups"] for e in items}
    assert whens[OSTFOLD_PLAN] == "2023–2024"
