"""A search hit of a plan says the period the plan covers ("2023–2024"), not only its first year: the
years it is found under (``years``) and the period as written (``period``), in the JSON the API sends."""

from __future__ import annotations

from typing import Any

from api.schemas import SearchResponse
from search.schema import period_label

VESTFOLD_PLAN = "d55e08002c93a7eb"  # Handlingsplan 2023, adopted 07.10.2022
OSTFOLD_PLAN = "18a91a857807f2a9"  # Handlingsplan 2023–2024


def _sent(result: dict[str, Any]) -> dict[str, Any]:
    """The result as the API's response model sends it (fields it does not know are dropped)."""
    return SearchResponse.model_validate(result).model_dump()


def _hits_of(result: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    return [h for h in result["hits"] if h["doc_id"] == doc_id]


def test_a_plans_hits_carry_its_period(corpus_services: Any) -> None:
    result = _sent(corpus_services.search.search("handlingsplan", doc_type="handlingsplan", limit=100))
    ostfold = _hits_of(result, OSTFOLD_PLAN)
    assert ostfold and all(h["period"] == "2023–2024" and h["years"] == [2023, 2024] for h in ostfold)
    vestfold = _hits_of(result, VESTFOLD_PLAN)
    # a plan for 2023 adopted in October 2022: its period, not its adoption year
    assert vestfold and all(h["period"] == "2023" and h["years"] == [2023] for h in vestfold)
    # its date is the day it was adopted, and the hit says so
    assert all(h["adopted"] == h["date"] == "2022-10-07" for h in vestfold)
    assert all(h["adopted"] is None for h in ostfold)


def test_other_hits_have_their_year_and_no_period(corpus_services: Any) -> None:
    result = _sent(corpus_services.search.search("vitality", doc_type="referat", limit=20))
    assert result["hits"]
    for h in result["hits"]:
        assert h["period"] is None and h["years"] == [int(h["date"][:4])]
    decisions = _sent(corpus_services.search.search("fagutvalg for fastleger", kind="decision", limit=5))
    assert decisions["hits"]
    for h in decisions["hits"]:  # a decision stands under its meeting's year
        assert h["period"] is None and h["years"] == [int(h["date"][:4])]


def test_period_label() -> None:
    assert period_label(2023, 2024) == "2023–2024"
    assert period_label(2023, 2023) == "2023"
    assert period_label(None, None) is None
