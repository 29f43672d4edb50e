"""/search and /decisions as a finished product: counts that do not depend on the page, committees by
entity, sorting, a date range and grouping by document (the parameters documented in OpenAPI)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.test_app_support import corpus_data


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Settings.from_env(str(corpus_data(tmp_path_factory))))
    with TestClient(app) as c:
        yield c


def test_the_total_and_facets_do_not_depend_on_offset_or_limit(client: TestClient) -> None:
    # "skrøpelige eldre" said total 16 on page 1 and 18 at offset 15, with other facets
    pages = [
        client.get("/search", params={"q": "skrøpelige eldre", **p}).json()
        for p in ({}, {"offset": 15}, {"limit": 50})
    ]
    assert len({p["total"] for p in pages}) == 1 and len({p["total_documents"] for p in pages}) == 1
    assert pages[0]["facets"] == pages[1]["facets"] == pages[2]["facets"]
    assert pages[0]["total"] == len(pages[2]["hits"])
    assert pages[0]["counts"] == {"total": "passage", "facets": "document"}
    # "fagutvalg for fastleger" decisions said total 3 with limit=3 and 6 with limit=10
    few, more = (
        client.get("/decisions", params={"q": "fagutvalg for fastleger", "limit": n}).json() for n in (3, 10)
    )
    assert few["total"] == more["total"] == len(more["hits"]) and few["facets"] == more["facets"]
    assert few["counts"]["total"] == "decision"


def test_committee_facet_by_entity(client: TestClient) -> None:
    body = client.get("/search", params={"q": "skrøpelige eldre"}).json()
    committees, labels = body["facets"]["committee"], body["facet_labels"]["committee"]
    assert all(key.startswith("committee/") for key in committees)
    assert "SSU" not in committees and "committee/vestfold/ssu" in committees
    # three helsefellesskap have an SSU: each label says whose
    ssu = [label for key, label in labels.items() if key.endswith("/ssu")]
    assert ssu and all(" – Helsefellesskapet" in label for label in ssu)
    assert len(set(labels.values())) == len(labels)
    chosen = client.get(
        "/search", params={"q": "skrøpelige eldre", "committee": "committee/vestfold/ssu"}
    ).json()
    assert 0 < chosen["total_documents"] <= committees["committee/vestfold/ssu"]
    assert chosen["facets"]["committee"]["committee/vestfold/ssu"] == chosen["total_documents"]


def test_sort_date_range_and_groups(client: TestClient) -> None:
    newest = client.get("/search", params={"q": "fagutvalg", "sort": "newest", "limit": 50}).json()
    dates = [h["date"] for h in newest["hits"] if h["match"] == "all" and h["date"]]
    assert dates == sorted(dates, reverse=True)
    ranged = client.get("/search", params={"q": "fagutvalg", "from": "2024-01-01", "to": "2024-12-31"}).json()
    assert ranged["hits"] and all("2024-01-01" <= h["date"] <= "2024-12-31" for h in ranged["hits"])
    assert client.get("/search", params={"q": "fagutvalg", "from": "01.01.2024"}).status_code == 422
    grouped = client.get("/search", params={"q": "fagutvalg", "group": "true", "limit": 3}).json()
    assert len(grouped["groups"]) == 3
    for group in grouped["groups"]:
        assert group["hits"] and all(h["doc_id"] == group["doc_id"] for h in group["hits"])
        assert group["more"] == group["count"] - len(group["hits"])
    decision = client.get("/decisions", params={"q": "fagutvalg for fastleger vedtak", "limit": 1}).json()
    assert decision["hits"][0]["number"] == "2023.42"


def test_the_new_parameters_are_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/search", "/decisions"):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert {"sort", "from", "to", "group"} <= set(params)
        assert all(params[name].get("description") for name in ("sort", "from", "to", "group"))
