"""An e-mail's attachments as documents of their own (ingest/attachments.py), on the real stack: a
message with a PDF (written with fpdf2) and an HTML file, ingested into manifest, search index and
graph; the link both ways in the store, the JSON API, the graph and the document page; re-ingesting a
changed message; deleting it; recursive and deeply nested messages; a message rejected whole."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services, check
from api.settings import Settings
from ingest.attachments import MAX_DEPTH
from ingest.pipeline import FileReport
from ingest.readers.email import MAX_ATTACHMENTS
from ingest.store import DocumentStore
from tests.conftest import fingerprint, pdf_bytes

KEY = "epost-nokkel-123"
AUTH = {"X-API-Key": KEY}
PLAN = pdf_bytes(
    [
        [
            "Handlingsplan 2024 for Helsefellesskapet i Vestfold",
            "",
            "Tiltak 1: Kvitebjornprosjektet skal rulles ut i Larvik kommune.",
            "Tiltak 2: Felles inntaksteam for barn og unge i Sandefjord kommune.",
        ]
    ]
)
NOTICE = (
    "<html><head><title>Innkalling</title></head><body><h1>Innkalling til SSU</h1>"
    "<p>SSU møtes 14.03.2024 i Tønsberg. Temaet er legevakt og Snøugleprosjektet.</p></body></html>"
)


def message(
    body: str = "Hei,\n\nvedlagt er handlingsplanen og innkallingen.\n\nHilsen Kari",
    *,
    subject: str = "Sakspapirer til SSU-møtet",
    message_id: str = "<sak-1@vestfold.no>",
    attachments: list[tuple[str, bytes]] | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Kari Nordmann <kari@vestfold.no>"
    msg["To"] = "SSU <ssu@vestfold.no>"
    msg["Cc"] = "Ola Hansen <ola@larvik.kommune.no>"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 12 Mar 2024 10:15:00 +0100"
    msg["Message-ID"] = message_id
    msg.set_content(body)
    given = [("handlingsplan-2024.pdf", PLAN), ("innkalling.html", NOTICE.encode())]
    for name, data in given if attachments is None else attachments:
        kind = {"pdf": ("application", "pdf"), "html": ("text", "html"), "txt": ("text", "plain")}
        maintype, subtype = kind.get(name.rsplit(".", 1)[-1], ("application", "octet-stream"))
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def ingest(data: Path, *paths: Path) -> list[FileReport]:
    with Services(Settings(data_dir=data), write=True) as services:
        return list(services.ingestor().run(list(paths)))


@pytest.fixture
def mail(tmp_path: Path) -> Path:
    msg = message()
    msg.add_attachment(
        b"MZ\x90\x00\x03binary", maintype="application", subtype="octet-stream", filename="oppsett.exe"
    )
    path = tmp_path / "in" / "sakspapirer.eml"
    path.parent.mkdir()
    path.write_bytes(bytes(msg))
    return path


def parts(store: DocumentStore, key: str) -> dict[str, dict]:
    return {k: e for k, e in store.sources().items() if k.startswith(f"{key}#")}


def test_a_message_and_its_two_attachments_are_documents_linked_both_ways(tmp_path: Path, mail: Path) -> None:
    data = tmp_path / "data"
    (report,) = ingest(data, mail)
    assert report.status == "ingested", report.line()
    assert len(report.doc_ids) == 3
    assert "attachment 3 (oppsett.exe) rejected: unsupported format .exe" in report.line()
    store = DocumentStore(data)
    key = str(mail.resolve())
    (message_id,) = store.source(key)["doc_ids"]
    doc = store.document(message_id)
    assert doc.title == "Sakspapirer til SSU-møtet" and doc.date == "2024-03-12" and doc.years == [2024]
    assert doc.message is not None
    assert doc.message["sender"] == "Kari Nordmann <kari@vestfold.no>"
    assert doc.message["to"] == ["SSU <ssu@vestfold.no>"]
    assert doc.message["cc"] == ["Ola Hansen <ola@larvik.kommune.no>"]
    assert doc.message["attachments"] == ["handlingsplan-2024.pdf", "innkalling.html", "oppsett.exe"]
    assert "vedlagt er handlingsplanen" in doc.text
    entries = parts(store, key)
    assert sorted(entries) == [f"{key}#1/handlingsplan-2024.pdf", f"{key}#2/innkalling.html"]
    plan_id, notice_id = doc.parts
    plan, notice = store.document(plan_id), store.document(notice_id)
    assert plan.part_of == message_id and notice.part_of == message_id
    assert "Kvitebjornprosjektet" in plan.text and "Snøugleprosjektet" in notice.text
    assert plan.source.endswith("sakspapirer.eml#1/handlingsplan-2024.pdf")
    assert notice.date == "2024-03-14"  # its own date (the meeting's), not the day it was sent
    pdf_entry = entries[f"{key}#1/handlingsplan-2024.pdf"]
    assert pdf_entry["format"] == "pdf" and pdf_entry["doc_ids"] == [plan_id]
    assert store.originals.held(pdf_entry["original"]).read_bytes() == PLAN
    assert check(Settings(data_dir=data))["ok"]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings.from_env(str(tmp_path / "data"), api_key=KEY)
    with TestClient(create_app(settings)) as c:
        yield c


def test_the_api_the_graph_and_the_page_show_the_link(client: TestClient, tmp_path: Path, mail: Path) -> None:
    upload = client.post("/documents", files={"file": ("sakspapirer.eml", mail.read_bytes())}, headers=AUTH)
    assert upload.status_code == 201, upload.text
    message_id, plan_id, notice_id = upload.json()["doc_ids"]
    assert "oppsett.exe" in upload.json()["reason"]
    detail = client.get(f"/documents/{message_id}").json()
    assert detail["message"]["subject"] == "Sakspapirer til SSU-møtet"
    assert detail["parts"] == [plan_id, notice_id] and detail["part_of"] is None
    assert client.get(f"/documents/{plan_id}").json()["part_of"] == message_id
    assert client.get(f"/documents/{notice_id}").json()["part_of"] == message_id
    base = "https://hfkg.no/id/document/"
    query = (
        f"ASK {{ <{base}{message_id}> dcterms:hasPart <{base}{plan_id}>, <{base}{notice_id}> . "
        f"<{base}{plan_id}> dcterms:isPartOf <{base}{message_id}> . "
        f"<{base}{notice_id}> dcterms:isPartOf <{base}{message_id}> }}"
    )
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is True
    page = client.get(f"/dokumenter/{message_id}").text
    assert "Kari Nordmann &lt;kari@vestfold.no&gt;" in page and "12.03.2024 kl. 10.15" in page
    assert f'href="/dokumenter/{plan_id}"' in page and f'href="/dokumenter/{notice_id}"' in page
    assert "Vedlegg" in page
    attachment_page = client.get(f"/dokumenter/{plan_id}").text
    assert "Vedlegg til" in attachment_page and f'href="/dokumenter/{message_id}"' in attachment_page
    source = client.get(f"/documents/{plan_id}/source")
    assert source.headers["content-type"] == "application/pdf" and source.content == PLAN
    assert client.get("/search", params={"q": "Snøugleprosjektet"}).json()["total"] > 0

    # The same PDF as a file of its own: a document of its own, marked a near-duplicate of the attachment.
    alone = client.post("/documents", files={"file": ("plan.pdf", PLAN)}, headers=AUTH).json()
    (alone_id,) = alone["doc_ids"]
    assert client.get(f"/documents/{alone_id}").json()["duplicate_of"] == plan_id

    # Deleting the message takes its attachments with it; the file of its own is the original now.
    deleted = client.delete(f"/documents/{message_id}", headers=AUTH)
    assert deleted.status_code == 200 and deleted.json()["source_removed"] is True
    for doc_id in (message_id, plan_id, notice_id):
        assert client.get(f"/documents/{doc_id}").status_code == 404
    assert client.get("/search", params={"q": "Snøugleprosjektet"}).json()["total"] == 0
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is False
    assert client.get(f"/documents/{alone_id}").json()["duplicate_of"] is None
    store = DocumentStore(tmp_path / "data")
    assert not [k for k in store.sources() if "#" in k]
    assert check(Settings(data_dir=tmp_path / "data"))["ok"]


def test_re_ingesting_a_changed_message_replaces_its_attachments(tmp_path: Path, mail: Path) -> None:
    data = tmp_path / "data"
    (first,) = ingest(data, mail)
    store = DocumentStore(data)
    key = str(mail.resolve())
    old_parts = store.document(first.doc_ids[0]).parts
    old_original = parts(store, key)[f"{key}#1/handlingsplan-2024.pdf"]["original"]
    changed = message(
        "Hei igjen,\n\nher er den rettede innkallingen.\n\nHilsen Kari",
        attachments=[("innkalling.html", NOTICE.replace("Tønsberg", "Horten").encode())],
    )
    mail.write_bytes(bytes(changed))
    (second,) = ingest(data, mail)
    assert second.status == "ingested" and len(second.doc_ids) == 2, second.line()
    store = DocumentStore(data)
    assert sorted(parts(store, key)) == [f"{key}#1/innkalling.html"]
    message_doc = store.document(second.doc_ids[0])
    (notice_id,) = message_doc.parts
    assert "Horten" in store.document(notice_id).text
    assert all(store.summary(i) is None for i in old_parts)
    assert store.originals.held(old_original) is None  # no source names the old PDF's copy any more
    assert sorted(store.doc_ids()) == sorted(second.doc_ids)
    with Services(Settings(data_dir=data)) as services:
        assert services.search.doc_ids() == set(second.doc_ids)
        assert services.graph.doc_ids() == set(second.doc_ids)
    assert check(Settings(data_dir=data))["ok"]
    (third,) = ingest(data, mail)
    assert third.status == "unchanged"


def test_a_message_attached_to_itself_is_not_read_again(tmp_path: Path) -> None:
    inner = message("Den samme meldingen, videresendt.", attachments=[])
    outer = message(attachments=[("handlingsplan-2024.pdf", PLAN)])
    outer.add_attachment(inner)  # the same Message-ID: the message itself
    path = tmp_path / "selv.eml"
    path.write_bytes(bytes(outer))
    (report,) = ingest(tmp_path / "data", path)
    assert report.status == "ingested" and len(report.doc_ids) == 2, report.line()
    assert "recursive" in (report.reason or "")


def test_messages_nested_deeper_than_the_limit_are_not_read(tmp_path: Path) -> None:
    innermost = message("Innerst: om legevakt i Færder.", message_id="<niva-5@x.no>", attachments=[])
    for level in range(4, 0, -1):
        outer = message(
            f"Nivå {level}: videresendt.",
            subject=f"Nivå {level}",
            message_id=f"<niva-{level}@x.no>",
            attachments=[],
        )
        outer.add_attachment(innermost)
        innermost = outer
    path = tmp_path / "dyp.eml"
    path.write_bytes(bytes(innermost))
    (report,) = ingest(tmp_path / "data", path)
    assert report.status == "ingested", report.line()
    assert len(report.doc_ids) == MAX_DEPTH  # levels 1 to 3
    assert f"nested deeper than {MAX_DEPTH} levels" in (report.reason or "")
    store = DocumentStore(tmp_path / "data")
    chain = [store.document(i) for i in report.doc_ids]
    assert [d.message["subject"] for d in chain if d.message] == ["Nivå 1", "Nivå 2", "Nivå 3"]
    assert chain[1].part_of == chain[0].doc_id and chain[2].part_of == chain[1].doc_id


def test_attachments_are_bounded_per_message(tmp_path: Path) -> None:
    many = [(f"notat-{n}.txt", f"Notat {n} om samhandling i kommune nummer {n}.".encode()) for n in range(60)]
    path = tmp_path / "mange.eml"
    path.write_bytes(bytes(message(attachments=many)))
    (report,) = ingest(tmp_path / "data", path)
    assert report.status == "ingested"
    assert len(report.doc_ids) == 1 + MAX_ATTACHMENTS
    assert f"attachments {MAX_ATTACHMENTS + 1}–60 not read" in (report.reason or "")


def test_a_rejected_message_changes_nothing(tmp_path: Path, mail: Path) -> None:
    data = tmp_path / "data"
    ingest(data, mail)
    before = fingerprint(data)
    broken = tmp_path / "brutt.eml"
    broken.write_bytes(
        b"From: kari@vestfold.no\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=G\r\n\r\ningen deler\r\n"
    )
    empty = tmp_path / "tom.eml"
    empty.write_bytes(bytes(message(" ", attachments=[])))
    reports = ingest(data, broken, empty)
    assert [r.status for r in reports] == ["rejected", "rejected"]
    assert "broken MIME structure" in (reports[0].reason or "") and "empty e-mail" in (
        reports[1].reason or ""
    )
    assert fingerprint(data) == before


def test_a_known_text_with_new_attachments_is_reported_as_ingested(tmp_path: Path) -> None:
    body = (
        "Tønsberg 12.03.2024\n\nKommunene og sykehuset ble enige om felles rutiner for utskrivning av "
        "skrøpelige eldre, og arbeidsgruppen for legevakt legger fram sin rapport i juni. Vitality skal "
        "prøves ut i Larvik og Sandefjord fra høsten, og evalueringen kommer til SSU i desember."
    )
    known = tmp_path / "referat.txt"
    known.write_text(f"# Sakspapirer til SSU-møtet\n\n{body}\n", encoding="utf-8")
    mail = tmp_path / "videresendt.eml"
    mail.write_bytes(bytes(message(body, attachments=[("innkalling.html", NOTICE.encode())])))
    first, second = ingest(tmp_path / "data", known, mail)
    assert first.status == "ingested" and second.status == "ingested", second.line()
    assert second.duplicate_of == [first.doc_ids[0]] and len(second.doc_ids) == 2
    assert "near-duplicate of" in (second.reason or "")
