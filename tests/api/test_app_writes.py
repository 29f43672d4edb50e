"""Writes through the API: the API key, uploads (limits, types, names, rejections) and deletes that
keep the manifest, the search index and the graph in step. Reads go on while an upload runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.writes import safe_filename
from ingest.store import DocumentStore
from tests.api.test_app import error_of
from tests.api.test_app_support import copy_of_corpus_data
from tests.conftest import encrypt, pdf_bytes

KEY = "test-key-123"
AUTH = {"X-API-Key": KEY}
MINUTES = """Referat fra møte i Strategisk samarbeidsutvalg (SSU)

Dato: 12.03.2025
Sted: Tønsberg

Sak 2025.3 Kvitebjørnprosjektet for hjemmeboende med demens
Kvitebjørnprosjektet skal prøve ut velferdsteknologi for hjemmeboende med demens i Larvik og Færder.
Konklusjon: SSU slutter seg til at Kvitebjørnprosjektet starter opp høsten 2025.
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_corpus_data(tmp_path_factory, "writes")


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    settings = Settings.from_env(str(data_dir), max_file_mb=1, api_key=KEY)
    with TestClient(create_app(settings)) as c:
        yield c


def upload(client: TestClient, name: str, data: bytes, headers: dict[str, str] | None = AUTH):  # type: ignore[no-untyped-def]
    return client.post("/documents", files={"file": (name, data)}, headers=headers or {})


# -- the key ------------------------------------------------------------------------------------
def test_writes_need_the_key(client: TestClient) -> None:
    assert error_of(upload(client, "a.txt", b"tekst", headers=None), 401)["code"] == "unauthorized"
    assert error_of(upload(client, "a.txt", b"tekst", headers={"X-API-Key": "feil"}), 401)
    assert error_of(upload(client, "a.txt", b"tekst", headers={"Authorization": "Basic " + KEY}), 401)
    assert error_of(client.delete("/documents/e935b2cb505dacc7"), 401)
    assert error_of(
        client.delete("/documents/e935b2cb505dacc7", headers={"Authorization": "Bearer nope"}), 401
    )
    assert client.get("/health").json()["writes_enabled"] is True


def test_writes_disabled_without_a_server_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = copy_of_corpus_data(tmp_path_factory, "readonly")
    with TestClient(create_app(Settings.from_env(str(data)).model_copy(update={"api_key": None}))) as c:
        assert error_of(upload(c, "a.txt", b"tekst"), 403)["code"] == "writes_disabled"
        assert (
            error_of(c.delete("/documents/e935b2cb505dacc7", headers=AUTH), 403)["code"] == "writes_disabled"
        )
        assert c.get("/documents/e935b2cb505dacc7").status_code == 200


# -- uploads ------------------------------------------------------------------------------------
def test_upload_ingests_and_is_searchable(client: TestClient, data_dir: Path) -> None:
    response = client.post(
        "/documents",
        files={"file": ("../../etc/Møte-referat <SSU>.txt", MINUTES.encode())},
        headers={"Authorization": f"Bearer {KEY}"},
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["status"] == "ingested" and len(report["doc_ids"]) == 1
    assert report["filename"].endswith("-Mote-referat-SSU.txt")
    assert response.headers["location"] == f"/documents/{report['doc_ids'][0]}"
    stored = list((data_dir / "uploads").iterdir())
    assert [p.name for p in stored] == [report["filename"]]
    assert not (data_dir.parent / "etc").exists()

    doc = client.get(f"/documents/{report['doc_ids'][0]}").json()
    assert doc["agenda_items"][0]["number"] == "2025.3"
    hits = client.get("/search", params={"q": "Kvitebjørnprosjektet"}).json()["hits"]
    assert hits and all(h["doc_id"] == report["doc_ids"][0] for h in hits)
    decisions = client.get("/decisions", params={"q": "Kvitebjørnprosjektet"}).json()["hits"]
    assert decisions[0]["number"] == "2025.3"
    graph = client.get(
        "/sparql", params={"query": f'ASK {{ ?d dcterms:identifier "{report["doc_ids"][0]}" }}'}
    )
    assert graph.json()["boolean"] is True
    assert client.get("/health").json()["generation"] >= 1

    again = upload(client, "kopi.txt", MINUTES.encode())
    assert again.status_code == 200 and again.json()["status"] == "duplicate"


def test_upload_pdf(client: TestClient) -> None:
    pdf = pdf_bytes(
        [
            ["Handlingsplan 2025 for Helsefellesskapet i Vestfold", "Tiltak for skrøpelige eldre"],
            ["Side to om Pilotprosjektet Ørnerede"],
        ]
    )
    response = upload(client, "plan.PDF", pdf)
    assert response.status_code == 201, response.text
    assert response.json()["filename"].endswith("-plan.pdf")
    assert client.get("/search", params={"q": "Ørnerede"}).json()["total"] >= 1


def test_upload_rejections(client: TestClient, data_dir: Path) -> None:
    before = set((data_dir / "uploads").iterdir()) if (data_dir / "uploads").exists() else set()
    assert error_of(upload(client, "regneark.xlsx", b"PK\x03\x04"), 415)["code"] == "unsupported_media_type"
    assert error_of(upload(client, "program", b"\x7fELF"), 415)
    assert error_of(
        client.post("/documents", content=b"tekst", headers={**AUTH, "Content-Type": "text/plain"}), 415
    )
    assert error_of(
        client.post("/documents", data={"note": "ingen fil"}, files={"x": ("", b"")}, headers=AUTH), 422
    )
    too_big = upload(client, "stor.txt", b"a" * (1_048_576 + 10))
    assert error_of(too_big, 413)["code"] == "payload_too_large"
    assert error_of(upload(client, "tom.txt", b""), 422)["code"] == "rejected"
    broken = error_of(upload(client, "ødelagt.pdf", b"%PDF-1.7\n1 0 obj <<"), 422)
    assert broken["code"] == "rejected"
    locked = pdf_bytes([["Hemmelig referat"]])
    assert (
        error_of(upload(client, "låst.pdf", encrypt(locked, user_password="hemmelig")), 422)["code"]
        == "rejected"
    )
    after = set((data_dir / "uploads").iterdir())
    assert after == before, "rejected uploads leave no files behind"


def test_reads_go_on_during_an_upload(client: TestClient) -> None:
    paragraphs = [
        f"Avsnitt {n}: Snøugleprosjektet i Larvik følger opp hjemmeboende med demens, "
        f"og SSU fikk rapport nummer {n} om fremdriften."
        for n in range(3000)
    ]
    text = "Referat fra møte i SSU\n\nDato: 14.03.2025\n\n" + "\n\n".join(paragraphs)
    done: dict[str, object] = {}

    def run() -> None:
        done["response"] = upload(client, "lang.txt", text.encode())

    thread = threading.Thread(target=run)
    thread.start()
    answered_during = 0
    while thread.is_alive():
        for path in ("/search?q=fastleger&limit=1", "/entities/initiative/vestfold/vitality", "/health"):
            assert client.get(path).status_code == 200
        answered_during += thread.is_alive()
        time.sleep(0.01)
    thread.join()
    assert done["response"].status_code == 201, done["response"].text  # type: ignore[attr-defined]
    assert answered_during >= 3
    assert client.get("/search", params={"q": "Snøugleprosjektet"}).json()["total"] > 0


def test_reads_do_not_wait_for_the_write_lock(client: TestClient) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.writes.held():  # as during any write
        assert client.get("/search", params={"q": "Vitality"}).json()["total"] > 0
        assert client.get("/ask", params={"q": "Hvilke kommuner deltar i Vitality?"}).json()["answers"]
        assert client.get("/documents").status_code == 200


# -- deletes ------------------------------------------------------------------------------------
def test_delete_keeps_the_stores_consistent(client: TestClient, data_dir: Path) -> None:
    report = upload(client, "slett-meg.txt", MINUTES.replace("Kvitebjørn", "Polarrev").encode()).json()
    (doc_id,) = report["doc_ids"]
    stored = data_dir / "uploads" / report["filename"]
    assert stored.exists()
    response = client.delete(f"/documents/{doc_id}", headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["source_removed"] is True
    assert error_of(client.get(f"/documents/{doc_id}"), 404)
    assert client.get("/search", params={"q": "Polarrev"}).json()["total"] == 0
    ask = client.get("/sparql", params={"query": f'ASK {{ ?d dcterms:identifier "{doc_id}" }}'}).json()
    assert ask["boolean"] is False
    manifest = DocumentStore(data_dir).manifest()
    assert doc_id not in manifest["documents"]
    assert all(doc_id not in s.get("doc_ids", []) for s in manifest["sources"].values())
    assert not stored.exists() and not (data_dir / "docs" / f"{doc_id}.json").exists()
    assert error_of(client.delete(f"/documents/{doc_id}", headers=AUTH), 404)["code"] == "not_found"
    assert error_of(client.delete("/documents/bad.id", headers=AUTH), 422)


def test_delete_an_original_promotes_its_duplicate(client: TestClient, data_dir: Path) -> None:
    docs = client.get("/documents").json()["documents"]
    (dup,) = [d for d in docs if d["duplicate_of"] and d["source"].endswith("pdfutdrag.txt")]
    original = dup["duplicate_of"]
    assert client.get("/search", params={"q": "Vitality", "type": "handlingsplan"}).json()["total"] > 0
    response = client.delete(f"/documents/{original}", headers=AUTH).json()
    assert response["repointed"] == {dup["doc_id"]: None}
    assert response["source_removed"] is True
    assert client.get(f"/documents/{dup['doc_id']}").json()["duplicate_of"] is None
    hits = client.get("/search", params={"q": "Vitality", "type": "handlingsplan", "limit": 50}).json()[
        "hits"
    ]
    assert dup["doc_id"] in {h["doc_id"] for h in hits} and original not in {h["doc_id"] for h in hits}
    # The source file of the corpus is not ours to delete.
    assert Path(__file__).resolve().parents[2].joinpath("corpus", "vestfold-handlingsplan-2023.txt").exists()


def test_delete_one_part_of_a_bundled_file_keeps_the_source(client: TestClient, data_dir: Path) -> None:
    manifest = DocumentStore(data_dir).manifest()
    key, source = next((k, s) for k, s in manifest["sources"].items() if len(s.get("doc_ids", [])) > 1)
    first = source["doc_ids"][0]
    response = client.delete(f"/documents/{first}", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert response["source_removed"] is False
    after = DocumentStore(data_dir).manifest()["sources"][key]
    assert after["doc_ids"] == source["doc_ids"][1:]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Årsmelding 2023 (ny).PDF", "Arsmelding-2023-ny.pdf"),
        ("../../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\referat.txt", "referat.txt"),
        (".skjult.md", "skjult.md"),
        ("", "opplasting"),
        ("...", "opplasting"),
        ("a" * 300 + ".html", "a" * 80 + ".html"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected
