"""The HTTP API on the bundled corpus: every read route, its errors, and the error envelope."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph

from api.app import create_app
from api.settings import Settings
from tests.api.test_app_support import copy_of_corpus_data, corpus_data

VITALITY = "initiative/vestfold/vitality"
SSU_MINUTES = "e935b2cb505dacc7"  # Referat SSU 23.11.2023
FRAIL = "Hvilke tiltak retter seg mot skrøpelige eldre?"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Settings.from_env(str(corpus_data(tmp_path_factory))))
    with TestClient(app) as c:
        yield c


def error_of(response, status: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    return body["error"]


# -- health, docs, envelope ---------------------------------------------------------------------
def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body == {"status": "ok", "documents": 11, "generation": 0, "writes_enabled": False}


def test_openapi_docs(client: TestClient) -> None:
    assert "swagger" in client.get("/docs").text.lower()
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/health",
        "/search",
        "/ask",
        "/documents",
        "/documents/{doc_id}",
        "/entities",
        "/entities/{entity_id}",
        "/entities/{entity_id}/timeline",
        "/entities/{entity_id}/neighbors",
        "/graph/path",
        "/decisions",
        "/export",
        "/sparql",
    ):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/sparql"]) and {"get", "post"} <= set(paths["/documents"])


def test_unknown_route_and_method_use_the_envelope(client: TestClient) -> None:
    assert error_of(client.get("/no/such/route"), 404)["code"] == "not_found"
    assert error_of(client.delete("/health"), 405)["code"] == "method_not_allowed"


# -- search and decisions -----------------------------------------------------------------------
def test_search_contract(client: TestClient) -> None:
    body = client.get("/search", params={"q": "fastleger"}).json()
    assert body["total"] >= 5 and len(body["hits"]) == 10
    hit = body["hits"][0]
    for key in ("doc_id", "title", "doc_type", "year", "page", "section", "snippet", "score", "entities"):
        assert key in hit
    assert "<mark>" in hit["snippet"]
    assert {"year", "doc_type", "fellesskap", "committee", "entity_type"} <= set(body["facets"])
    assert any(
        e["id"] == "committee/vestfold/fagutvalg-fastleger" for h in body["hits"] for e in h["entities"]
    )


def test_search_filters_and_paging(client: TestClient) -> None:
    base = client.get("/search", params={"q": "fastleger", "limit": 3}).json()
    second = client.get("/search", params={"q": "fastleger", "limit": 3, "offset": 3}).json()
    assert len(base["hits"]) == 3 and base["total"] == second["total"]
    assert {h["passage_id"] for h in base["hits"]}.isdisjoint(h["passage_id"] for h in second["hits"])
    for params, check in [
        ({"type": "referat"}, lambda h: h["doc_type"] == "referat"),
        ({"fellesskap": "vestfold"}, lambda h: h["fellesskap"] == "vestfold"),
        (
            {"entity": "committee/vestfold/ssu"},
            lambda h: any(e["id"] == "committee/vestfold/ssu" for e in h["entities"]),
        ),
        ({"entity_type": "committee"}, lambda h: any(e["type"] == "committee" for e in h["entities"])),
        ({"committee": "SSU"}, lambda h: h["fellesskap"] == "vestfold"),
    ]:
        body = client.get("/search", params={"q": "fastleger", **params}).json()
        assert 0 < body["total"] <= base["total"], params
        assert all(check(h) for h in body["hits"]), params
    only_2024 = client.get("/search", params={"q": "fastleger", "year": "2024"}).json()
    assert (
        only_2024["facets"]["year"]["2024"] == only_2024["total"]
    )  # a plan for 2023–2024 counts in 2023 too


def test_search_decisions(client: TestClient) -> None:
    for body in (
        client.get("/decisions", params={"q": "fagutvalg for fastleger"}).json(),
        client.get("/search", params={"q": "fagutvalg for fastleger", "kind": "decision"}).json(),
    ):
        assert body["kind"] == "decision"
        item = next(h for h in body["hits"] if h["number"] == "2023.42")
        assert item["doc_id"] == SSU_MINUTES and item["body"] == "SSU"
        assert item["conclusion"].startswith("Det etableres et Fagutvalg for fastleger")


def test_search_errors(client: TestClient) -> None:
    assert error_of(client.get("/search", params={"q": "x", "limit": 0}), 422)["code"] == "validation_error"
    assert (
        error_of(client.get("/search", params={"q": "x", "limit": 5000}), 422)["code"] == "validation_error"
    )
    assert (
        error_of(client.get("/search", params={"q": "x", "kind": "everything"}), 422)["code"]
        == "validation_error"
    )
    assert (
        error_of(client.get("/search", params={"q": "fastleger", "year": "abc"}), 400)["code"] == "bad_query"
    )
    assert (
        error_of(client.get("/decisions", params={"q": "x", "offset": -1}), 422)["code"] == "validation_error"
    )


# -- ask ----------------------------------------------------------------------------------------
def test_ask_with_evidence(client: TestClient) -> None:
    body = client.get("/ask", params={"q": FRAIL}).json()
    assert body["question"] == FRAIL and body["plan"]["asks"] == "initiative"
    assert body["answers"][0]["method"] == "graph:initiatives_for_group" and body[
        "interpretation"
    ].startswith("hvilke tiltak retter seg mot Skrøpelige eldre (pasientgruppe)")
    labels = {a["label"].lower() for a in body["answers"]}
    assert {"vitality", "digital hjemmeoppfølging"} <= labels
    assert not labels & {"ung arena+", "fact ung"}
    for answer in body["answers"]:
        assert answer["evidence"], answer
        for evidence in answer["evidence"]:
            assert evidence["doc_id"] and evidence["passage_id"] and evidence["text"]
            assert evidence["passage_id"].startswith(evidence["doc_id"])


def test_ask_needs_a_question(client: TestClient) -> None:
    assert error_of(client.get("/ask"), 422)["code"] == "validation_error"
    assert error_of(client.get("/ask", params={"q": ""}), 422)["code"] == "validation_error"


# -- documents ----------------------------------------------------------------------------------
def test_documents(client: TestClient) -> None:
    body = client.get("/documents").json()
    assert body["total"] == 11 == len(body["documents"])
    assert sum(1 for d in body["documents"] if d["duplicate_of"]) == 1


def test_document_detail(client: TestClient) -> None:
    doc = client.get(f"/documents/{SSU_MINUTES}").json()
    assert doc["title"] == "Referat SSU 23.11.2023" and doc["date"] == "2023-11-23"
    (meeting,) = doc["meetings"]
    assert meeting["chair"] and meeting["body"] == "SSU"
    numbers = [i["number"] for i in doc["agenda_items"]]
    assert "2023.42" in numbers and numbers == [i["number"] for i in meeting["agenda_items"]]
    item = next(i for i in doc["agenda_items"] if i["number"] == "2023.42")
    assert item["title"] == "Fagutvalg for fastleger" and item["kind"] and item["conclusion"]
    pages = doc["passages_by_page"]
    assert [p["page"] for p in pages] == sorted(p["page"] for p in pages)
    passages = [p for page in pages for p in page["passages"]]
    assert len(passages) == doc["passages"]
    mentioned = [(p, m) for p in passages for m in p["mentions"]]
    assert mentioned and all(p["text"][m["start"] : m["end"]] == m["text"] for p, m in mentioned)
    assert any(e["id"] == "committee/vestfold/ssu" for e in doc["entities"])


def test_document_errors(client: TestClient) -> None:
    assert error_of(client.get("/documents/0000000000000000"), 404)["code"] == "not_found"
    assert error_of(client.get("/documents/not..an..id"), 422)["code"] == "validation_error"


# -- entities and the graph ---------------------------------------------------------------------
def test_entities(client: TestClient) -> None:
    body = client.get("/entities", params={"type": "initiative", "limit": 100}).json()
    assert body["total"] == len(body["entities"]) > 5
    assert all(e["type"] == "initiative" for e in body["entities"])
    found = client.get("/entities", params={"q": "vital"}).json()["entities"]
    assert [e["id"] for e in found] == [VITALITY]
    page = client.get("/entities", params={"limit": 2, "offset": 2}).json()
    assert page["limit"] == 2 and page["offset"] == 2 and len(page["entities"]) == 2
    assert error_of(client.get("/entities", params={"type": "planet"}), 422)["code"] == "validation_error"


def test_entity_timeline_neighbors(client: TestClient) -> None:
    entity = client.get(f"/entities/{VITALITY}").json()
    assert entity["label"] == "Vitality" and entity["type"] == "initiative"
    assert {r["label"] for r in entity["relations"] if r["predicate"] == "involves"} >= {
        "Larvik",
        "Sandefjord",
    }
    timeline = client.get(f"/entities/{VITALITY}/timeline").json()
    years = [e["year"] for e in timeline["entries"]]
    assert timeline["label"] == "Vitality" and years == sorted(years) and len(set(years)) >= 2
    assert all(p["passage_id"].startswith(e["doc_id"]) for e in timeline["entries"] for p in e["passages"])
    hood = client.get(f"/entities/{VITALITY}/neighbors").json()
    ids = {n["id"] for n in hood["nodes"]}
    assert hood["center"]["id"] == VITALITY and "patient_group/skropelige-eldre" in ids
    assert all(e["source"] in ids and e["target"] in ids for e in hood["edges"])
    deeper = client.get(f"/entities/{VITALITY}/neighbors", params={"depth": 2}).json()
    assert len(deeper["nodes"]) >= len(hood["nodes"])
    assert error_of(client.get(f"/entities/{VITALITY}/neighbors", params={"depth": 9}), 422)


def test_entity_errors(client: TestClient) -> None:
    for path in (
        "/entities/initiative/nowhere/nothing",
        "/entities/initiative/nowhere/nothing/timeline",
        "/entities/initiative/nowhere/nothing/neighbors",
    ):
        assert error_of(client.get(path), 404)["code"] == "not_found", path


def test_graph_path(client: TestClient) -> None:
    body = client.get("/graph/path", params={"from": VITALITY, "to": "patient_group/skropelige-eldre"}).json()
    assert body["length"] == 1 and body["nodes"][0]["id"] == VITALITY
    assert body["steps"] == [
        {"from": VITALITY, "to": "patient_group/skropelige-eldre", "predicate": "addresses", "forward": True}
    ]
    longer = client.get(
        "/graph/path", params={"from": "municipality/3907", "to": "committee/vestfold/ssu"}
    ).json()
    assert longer["length"] >= 1 and longer["nodes"][-1]["id"] == "committee/vestfold/ssu"
    assert (
        error_of(client.get("/graph/path", params={"from": VITALITY, "to": "x/y"}), 404)["code"]
        == "not_found"
    )
    assert error_of(client.get("/graph/path", params={"from": VITALITY}), 422)["code"] == "validation_error"


def test_export(client: TestClient) -> None:
    turtle = client.get("/export")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=turtle.text, format="turtle")) > 1000
    nt = client.get("/export", params={"format": "nt"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=nt.text, format="nt")) == len(
        Graph().parse(data=turtle.text, format="turtle")
    )
    jsonld = client.get("/export", params={"format": "jsonld"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Dataset().parse(data=jsonld.text, format="json-ld")) > 1000
    assert error_of(client.get("/export", params={"format": "xml"}), 422)["code"] == "validation_error"


# -- SPARQL -------------------------------------------------------------------------------------
SELECT = "SELECT ?e ?label WHERE { ?e a hfkg:Initiative ; skos:prefLabel ?label } ORDER BY ?label"


def test_sparql_select_get_and_post(client: TestClient) -> None:
    results = []
    for response in (
        client.get("/sparql", params={"query": SELECT}),
        client.post("/sparql", data={"query": SELECT}),
        client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        results.append(response.json())
    assert results[0] == results[1] == results[2]
    assert results[0]["head"]["vars"] == ["e", "label"]
    labels = {b["label"]["value"] for b in results[0]["results"]["bindings"]}
    assert "Vitality" in labels
    assert results[0]["results"]["bindings"][0]["e"]["type"] == "uri"


def test_sparql_ask_construct_describe(client: TestClient) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?s a hfkg:Initiative }"}).json()
    assert ask == {"head": {}, "boolean": True}
    construct = client.get(
        "/sparql",
        params={
            "query": "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a hfkg:Initiative ; skos:prefLabel ?l }"
        },
    )
    assert construct.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=construct.text, format="turtle")) > 5
    iri = f"https://hfkg.no/id/{VITALITY}"
    describe = client.get(
        "/sparql", params={"query": f"DESCRIBE <{iri}>"}, headers={"Accept": "application/n-triples"}
    )
    assert describe.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=describe.text, format="nt")) > 3


def test_sparql_refuses_updates_and_service(client: TestClient) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert error_of(client.get("/sparql", params={"query": update}), 403)["code"] == "update_forbidden"
    assert error_of(client.post("/sparql", data={"update": update}), 403)["code"] == "update_forbidden"
    assert error_of(
        client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}), 403
    )
    assert error_of(client.get("/sparql", params={"query": "DROP ALL"}), 403)
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert error_of(client.get("/sparql", params={"query": service}), 403)["code"] == "service_forbidden"
    nested = "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x.example/> { ?s ?q ?r } } }"
    assert error_of(client.get("/sparql", params={"query": nested}), 403)["code"] == "service_forbidden"
    # Nothing was written.
    assert client.get("/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}).json()["boolean"] is False


def test_sparql_errors(client: TestClient) -> None:
    assert error_of(client.get("/sparql"), 400)["code"] == "bad_query"
    assert error_of(client.get("/sparql", params={"query": "SELEKT * WHERE {}"}), 400)["code"] == "bad_query"
    assert error_of(
        client.post("/sparql", content="SELECT * {}", headers={"Content-Type": "text/plain"}), 415
    )


@pytest.fixture(scope="module")
def strict_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A server with a tiny row limit and time limit."""
    data = copy_of_corpus_data(tmp_path_factory, "strict")
    app = create_app(Settings.from_env(str(data), sparql_row_limit=5, sparql_timeout_s=0.1))
    with TestClient(app) as c:
        yield c


def test_sparql_row_limit(strict_client: TestClient) -> None:
    response = strict_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 5
    assert response.headers["x-hfkg-truncated"] == "true"
    small = strict_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
    assert "x-hfkg-truncated" not in small.headers


def test_sparql_time_limit(strict_client: TestClient) -> None:
    # Seconds of work, but bounded: an abandoned query ends by itself soon after the test.
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a hfkg:Passage . ?x a hfkg:Document }"
    assert error_of(strict_client.get("/sparql", params={"query": heavy}), 503)["code"] == "query_timeout"
    # The server goes on answering.
    assert strict_client.get("/health").status_code == 200


# -- 500 ----------------------------------------------------------------------------------------
def test_a_damaged_document_is_an_envelope_that_names_it_without_internals(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data = copy_of_corpus_data(tmp_path_factory, "broken")
    (data / "docs" / f"{SSU_MINUTES}.json").write_text("{ not json", encoding="utf-8")
    app = create_app(Settings.from_env(str(data)))
    with TestClient(app, raise_server_exceptions=False) as c:
        error = error_of(c.get(f"/documents/{SSU_MINUTES}"), 500)
        assert error["code"] == "damaged_document" and SSU_MINUTES in error["message"]
        assert str(data) not in error["message"] and "Traceback" not in error["message"]
        assert c.get("/health").status_code == 200


# -- the web UI, as HTML ------------------------------------------------------------------------
def test_ui_pages_render(client: TestClient) -> None:
    for path, text in [
        ("/", "Finn vedtak"),
        ("/sok?q=fastleger", "<mark>fastleger</mark>"),
        ("/sok?q=fastleger&kind=decision", "2023.42"),
        (f"/spor?q={FRAIL}", "Vitality"),
        ("/dokumenter", "Referat SSU 23.11.2023"),
        (f"/dokumenter/{SSU_MINUTES}", "Saksliste"),
        ("/enheter?type=initiative", "Vitality"),
        (f"/enheter/{VITALITY}", "Tidslinje"),
        ("/static/style.css", "--brand"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.text, path
    assert client.get("/dokumenter/0000000000000000").status_code == 404
    assert "Fant ikke" in client.get("/enheter/x/y").text


def test_ui_escapes_user_input(client: TestClient) -> None:
    attack = '<script>alert(1)</script>"><img src=x>'
    for path in ("/sok", "/spor"):
        page = client.get(path, params={"q": attack}).text
        assert "<script>alert" not in page and "<img src=x>" not in page
        assert "&lt;script&gt;" in page


def test_settings_documented_in_openapi(client: TestClient) -> None:
    description = json.dumps(client.get("/openapi.json").json()["info"])
    assert "HFKG_API_KEY" in description and "X-API-Key" in description


def test_data_dir_is_not_touched_by_reads(
    tmp_path_factory: pytest.TempPathFactory, client: TestClient
) -> None:
    data: Path = corpus_data(tmp_path_factory)
    assert not (data / "uploads").exists()
