"""The e-mail reader (ingest/readers/email.py) on messages the tests write with the standard library:
headers, body (plain, HTML), charsets declared wrongly, and bad input (not an e-mail, broken or cut
MIME structure, an empty message, hundreds of attachments)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from ingest.errors import EmptyDocument, IngestError, UnsupportedFormat
from ingest.readers.base import read_file
from ingest.readers.email import MAX_ATTACHMENTS, read_message

BODY = "Hei,\n\nvedlagt er sakspapirene til møtet i SSU.\n\nHilsen Kari"


def message(body: str | None = BODY, *, html: str | None = None, **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = headers.get("sender", "Kari Nordmann <kari@vestfold.no>")
    msg["To"] = headers.get("to", "SSU <ssu@vestfold.no>, Ola Hansen <ola@larvik.kommune.no>")
    if "cc" in headers:
        msg["Cc"] = headers["cc"]
    msg["Subject"] = headers.get("subject", "Sakspapirer til SSU-møtet 14. mars")
    msg["Date"] = headers.get("date", "Tue, 12 Mar 2024 10:15:00 +0100")
    msg["Message-ID"] = headers.get("message_id", "<sak-1@vestfold.no>")
    if body is not None:
        msg.set_content(body)
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    return msg


def test_headers_body_and_date(tmp_path: Path) -> None:
    msg = message(cc="Per Olsen <per@sandefjord.kommune.no>")
    msg.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="plan.pdf")
    path = tmp_path / "sak.eml"
    path.write_bytes(bytes(msg))
    raw, _ = read_file(path, max_bytes=1_048_576)
    assert raw.format == "email"
    assert raw.message == {
        "sender": "Kari Nordmann <kari@vestfold.no>",
        "to": ["SSU <ssu@vestfold.no>", "Ola Hansen <ola@larvik.kommune.no>"],
        "cc": ["Per Olsen <per@sandefjord.kommune.no>"],
        "subject": "Sakspapirer til SSU-møtet 14. mars",
        "date": "2024-03-12",
        "sent": "2024-03-12T10:15:00+01:00",
        "message_id": "<sak-1@vestfold.no>",
        "attachments": ["plan.pdf"],
    }
    assert raw.title == "Sakspapirer til SSU-møtet 14. mars" and raw.created == "2024-03-12"
    assert raw.pages[0].text.startswith("# Sakspapirer til SSU-møtet 14. mars\n\nHei,")
    assert "vedlagt er sakspapirene" in raw.pages[0].text
    assert raw.attachments == [("plan.pdf", b"%PDF-1.4 x")] and raw.skipped == []


def test_html_only_body_goes_through_the_html_conversion() -> None:
    html = (
        "<html><body><h2>Saksliste</h2><ul><li>Sak 1 Legevakt</li><li>Sak 2 Vitality</li></ul></body></html>"
    )
    raw = read_message(bytes(message(None, html=html)), source="x.eml")
    assert "## Saksliste" in raw.pages[0].text or "# Saksliste" in raw.pages[0].text
    assert "- Sak 1 Legevakt" in raw.pages[0].text and "<li>" not in raw.pages[0].text


def test_plain_text_is_preferred_to_its_html_alternative() -> None:
    raw = read_message(bytes(message(html="<p>Bare HTML-utgaven</p>")), source="x.eml")
    assert "vedlagt er sakspapirene" in raw.pages[0].text and "Bare HTML" not in raw.pages[0].text
    assert raw.attachments == []  # the alternative is the body, not an attachment


@pytest.mark.parametrize(
    ("declared", "payload"),
    [
        ("iso-8859-1", "Møte på sykehuset – neste uke".encode("cp1252")),  # cp1252's dash under latin-1
        ("iso-8859-1", "Møte på sykehuset – neste uke".encode()),  # UTF-8 bytes declared latin-1
        ("us-ascii", "Møte på sykehuset – neste uke".encode("cp1252")),
        ("x-ukjent", "Møte på sykehuset – neste uke".encode("cp1252")),  # a charset nobody knows
        ("utf-8", "Møte på sykehuset – neste uke".encode("cp1252")),  # declared UTF-8, is not
    ],
)
def test_wrong_charset_declarations_fall_back(declared: str, payload: bytes) -> None:
    data = (
        b"From: kari@vestfold.no\r\nSubject: Referat\r\nDate: Tue, 12 Mar 2024 10:15:00 +0100\r\n"
        b"Content-Type: text/plain; charset=" + declared.encode() + b"\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + payload + b"\r\n"
    )
    raw = read_message(data, source="x.eml")
    assert "Møte på sykehuset – neste uke" in raw.pages[0].text


def test_raw_8bit_headers_are_decoded_like_text() -> None:
    data = (
        b"From: Bj\xf8rn S\xe6b\xf8 <bjorn@forde.no>\r\nSubject: M\xf8te i F\xe6rder\r\n"
        b"Date: not a date\r\n\r\nTekst om legevakt.\r\n"
    )
    raw = read_message(data, source="x.eml")
    assert raw.message is not None
    assert raw.message["sender"] == "Bjørn Sæbø <bjorn@forde.no>"
    assert raw.message["subject"] == "Møte i Færder"
    assert "date" not in raw.message and raw.created is None  # an unreadable date is no date


def test_a_file_that_is_no_e_mail_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "ikke-epost.eml"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(UnsupportedFormat, match="not a valid EML file"):
        read_file(path, max_bytes=1_048_576)


def test_a_broken_mime_structure_is_rejected() -> None:
    data = (
        b"From: kari@vestfold.no\r\nSubject: x\r\n"
        b'Content-Type: multipart/mixed; boundary="GRENSE"\r\n\r\nIngen grenser her.\r\n'
    )
    with pytest.raises(IngestError, match="broken MIME structure"):
        read_message(data, source="x.eml")


def test_a_message_cut_short_is_read_as_far_as_it_goes() -> None:
    msg = message()
    msg.add_attachment("Notat om legevakt", subtype="plain", filename="notat.txt")
    data = bytes(msg)
    cut = data[: data.rindex(b"--")]  # the closing boundary is gone
    raw = read_message(cut, source="x.eml")
    assert "vedlagt er sakspapirene" in raw.pages[0].text
    assert [name for name, _ in raw.attachments] == ["notat.txt"]
    assert any("cut short" in note for note in raw.skipped)


def test_an_empty_message_is_rejected() -> None:
    with pytest.raises(EmptyDocument, match="empty e-mail"):
        read_message(bytes(message("   \n")), source="x.eml")


def test_a_message_that_only_carries_files_is_still_a_document() -> None:
    msg = message(None)
    msg.add_attachment("Notat", subtype="plain", filename="notat.txt")
    raw = read_message(bytes(msg), source="x.eml")
    assert "Vedlegg: notat.txt" in raw.pages[0].text


def test_hundreds_of_attachments_are_bounded() -> None:
    msg = message()
    for n in range(300):
        msg.add_attachment(f"Vedlegg nummer {n}", subtype="plain", filename=f"v{n}.txt")
    raw = read_message(bytes(msg), source="x.eml")
    assert len(raw.attachments) == MAX_ATTACHMENTS
    assert raw.skipped == [
        f"attachments {MAX_ATTACHMENTS + 1}–300 not read (at most {MAX_ATTACHMENTS} per e-mail)"
    ]


def test_attachment_names() -> None:
    msg = message()
    msg.add_attachment(b"x", maintype="application", subtype="pdf", filename="../../etc/plan.pdf")
    msg.add_attachment(b"y", maintype="application", subtype="pdf")
    inner = message("Videresendt tekst", subject="Re: Vitality i Larvik")
    msg.add_attachment(inner)
    raw = read_message(bytes(msg), source="x.eml")
    names = [name for name, _ in raw.attachments]
    assert names == ["plan.pdf", "vedlegg-2.pdf", "Re- Vitality i Larvik.eml"]
    nested = read_message(raw.attachments[2][1], source="y.eml")
    assert nested.message is not None and nested.message["subject"] == "Re: Vitality i Larvik"


def test_corrupt_base64_attachment_is_named_not_dropped() -> None:
    data = (
        b"From: kari@vestfold.no\r\nSubject: Plan\r\n"
        b'Content-Type: multipart/mixed; boundary="G"\r\n\r\n'
        b"--G\r\nContent-Type: text/plain\r\n\r\nPlanen ligger ved.\r\n"
        b"--G\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="plan.pdf"\r\n\r\nJVBERi0xLjQKJ\r\n'
        b"--G--\r\n"
    )
    raw = read_message(data, source="x.eml")
    assert raw.attachments == []
    assert raw.skipped == [
        "attachment 1 (plan.pdf) rejected: corrupt base64 (the encoded file is cut or damaged)"
    ]


def test_headers_the_address_parser_fails_on_stand_as_written() -> None:
    data = b'From: "Kari"@\r\nTo: "a"@, SSU <ssu@vestfold.no>\r\nSubject: Innkalling\r\n\r\nSe vedlegg.\r\n'
    raw = read_message(data, source="x.eml")
    assert raw.message is not None
    assert raw.message["sender"] == '"Kari"@' and "SSU <ssu@vestfold.no>" in raw.message["to"]


def test_an_mbox_separator_line_first_is_no_header(tmp_path: Path) -> None:
    path = tmp_path / "lagret.eml"
    path.write_bytes(b"From kari@vestfold.no Tue Mar 12 10:15:00 2024\n" + bytes(message()))
    raw, _ = read_file(path, max_bytes=1_048_576)
    assert raw.message is not None and raw.message["sender"] == "Kari Nordmann <kari@vestfold.no>"
