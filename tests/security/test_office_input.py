"""Hostile Word, OpenDocument and PowerPoint files (issue 15): corrupt, another format under the
name, password-protected, a zip bomb, a member that lies about its size, XML that does not parse or
expands entities a thousand million times, a deck over the page limit. Each is rejected with its reason in bounded time, never an internal error,
and nothing already stored changes."""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from api.services import Services
from api.settings import Settings
from ingest.pipeline import FileReport, Ingestor
from ingest.store import DocumentStore
from tests.conftest import fingerprint
from tests.ingest.readers.office_files import Block, docx_bytes, odt_bytes, pptx_bytes


def _replace(package: bytes, name: str, data: bytes) -> bytes:
    """The package with one member's bytes replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        target.writestr(name, data)
    return out.getvalue()


def _encrypted_docx(package: Callable[[], bytes] = docx_bytes) -> bytes:
    """What Word (or PowerPoint) writes for a password-protected file: an OLE compound file holding
    EncryptionInfo and EncryptedPackage (msoffcrypto-tool writes it the same way)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(package())).encrypt("hemmelig", out)
    return out.getvalue()


def _encrypted_odt() -> bytes:
    """What LibreOffice writes for a password-protected .odt: the manifest names the algorithm and
    key derivation of every encrypted part, whose bytes are noise without the key."""
    odt = odt_bytes()
    manifest = zipfile.ZipFile(io.BytesIO(odt)).read("META-INF/manifest.xml")
    manifest = manifest.replace(
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        b'manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="4711">'
        b"<manifest:encryption-data "
        b'manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
        b'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name='
        b'"http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>'
        b'<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
        b'manifest:iteration-count="100000" manifest:salt="AAAA"/></manifest:encryption-data>'
        b"</manifest:file-entry>",
    )
    assert b"encryption-data" in manifest
    return _replace(_replace(odt, "META-INF/manifest.xml", manifest), "content.xml", os.urandom(4711))


def _bomb(package: bytes, name: str, size: int) -> bytes:
    """A member of ``size`` zero bytes (deflated some 1,000 times), written in chunks."""
    out = io.BytesIO(package)
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
        target.open(name, "w", force_zip64=True) as member,
    ):
        for _ in range(size >> 20):
            member.write(chunk)
    return out.getvalue()


def _lying(package: bytes, name: str, stated: int) -> bytes:
    """The package with one member's stated uncompressed size replaced, in its local header and in
    the central directory, as a crafted bomb states small sizes."""
    data = bytearray(package)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(encoded)] == encoded:
                data[start + offset : start + offset + 4] = struct.pack("<I", stated)
            start += 4
    return bytes(data)


def _laughs(package: bytes, name: str) -> bytes:
    """The member with a nested entity that would expand to a thousand million characters."""
    entities = '<!ENTITY lol0 "lololololol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    xml = zipfile.ZipFile(io.BytesIO(package)).read(name).decode()
    body = xml.split("?>", 1)[1].replace("Referent: ", "Referent: &lol9;")
    return _replace(package, name, f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>{body}'.encode())


def _ods() -> bytes:
    odt = odt_bytes()
    return _replace(odt, "mimetype", b"application/vnd.oasis.opendocument.spreadsheet")


def _old_doc() -> bytes:
    """A Word 97-2003 file's first bytes: an OLE compound file without EncryptionInfo."""
    return bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(2000)


HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("kuttet.docx", lambda: docx_bytes()[:3000], "corrupt or truncated Word document"),
    ("kuttet.odt", lambda: odt_bytes()[:1500], "corrupt or truncated OpenDocument text"),
    ("kuttet.pptx", lambda: pptx_bytes()[:9000], "corrupt or truncated PowerPoint presentation"),
    ("ikkezip.docx", lambda: b"PK\x03\x04 not really a zip", "corrupt or truncated Word document"),
    ("bilde.docx", lambda: b"\x89PNG\r\n\x1a\n" + bytes(100), "not a valid DOCX file"),
    ("odt.docx", odt_bytes, "not a valid Word document: a zip package without [Content_Types].xml"),
    ("lysark.docx", pptx_bytes, "not a valid Word document: its main part is no Word document"),
    ("word.odt", docx_bytes, "not a valid OpenDocument text: a zip package without an OpenDocument mimetype"),
    (
        "regneark.odt",
        _ods,
        "not a valid OpenDocument text: the package is application/vnd.oasis.opendocument.spreadsheet",
    ),
    (
        "word.pptx",
        docx_bytes,
        "not a valid PowerPoint presentation: a zip package without ppt/presentation.xml",
    ),
    ("gammel.docx", _old_doc, "not a Word document but an older binary Office file"),
    ("passord.docx", _encrypted_docx, "password-protected Word document"),
    ("passord.pptx", lambda: _encrypted_docx(pptx_bytes), "password-protected PowerPoint presentation"),
    ("passord.odt", _encrypted_odt, "password-protected OpenDocument text"),
    (
        "bombe.docx",
        lambda: _bomb(docx_bytes(), "word/media/image1.png", 256 << 20),
        "Word document part word/media/image1.png unpacks",
    ),
    (
        "bombe.odt",
        lambda: _bomb(odt_bytes(), "Pictures/bilde.png", 256 << 20),
        "OpenDocument text part Pictures/bilde.png unpacks",
    ),
    (
        "lyver.docx",
        lambda: _lying(
            _replace(docx_bytes(), "word/media/image1.png", bytes(1 << 20)), "word/media/image1.png", 1000
        ),
        "corrupt or truncated Word document: Bad CRC-32",
    ),
    (
        "ødelagt-xml.docx",
        lambda: _replace(docx_bytes(), "word/document.xml", b"<w:document xmlns:w='x'><w:body><w:p>"),
        "corrupt Word document",
    ),
    (
        "ødelagt-xml.odt",
        lambda: _replace(odt_bytes(), "content.xml", b"<office:document-content"),
        "corrupt OpenDocument text",
    ),
    (
        "ødelagt-xml.pptx",
        lambda: _replace(pptx_bytes(), "ppt/slides/slide1.xml", b"<p:sld"),
        "corrupt PowerPoint presentation",
    ),
    (
        "latter.docx",
        lambda: _laughs(docx_bytes(), "word/document.xml"),
        "corrupt Word document: Maximum entity amplification",
    ),
    (
        "latter.odt",
        lambda: _laughs(odt_bytes(), "content.xml"),
        "corrupt OpenDocument text: EntitiesForbidden",
    ),
    (
        "lang.pptx",
        lambda: pptx_bytes([[Block("heading", f"Lysbilde {n}")] for n in range(6)]),
        "PowerPoint presentation has 6 slides, over the limit of 5",
    ),
]


def _ingest(data: Path, path: Path, **settings: float) -> FileReport:
    """Through all three stores (manifest, search index, graph), as ``hfkg ingest`` does."""
    with Services(Settings(data_dir=data, **settings), write=True) as services:
        (report,) = list(services.ingestor().run([path]))
    return report


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the minutes as .docx, which no rejection may change."""
    folder = tmp_path_factory.mktemp("office-stored")
    good = folder / "referat.docx"
    good.write_bytes(docx_bytes())
    report = _ingest(folder / "data", good)
    assert report.status == "ingested", report.line()
    return folder / "data"


@pytest.mark.parametrize("name,make,reason", HOSTILE, ids=[name for name, _, _ in HOSTILE])
def test_a_hostile_office_file_is_rejected_and_nothing_stored_changes(
    tmp_path: Path, stored: Path, name: str, make: Callable[[], bytes], reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    before = fingerprint(stored)
    started = time.monotonic()
    report = _ingest(stored, path, max_pages=5)
    took = time.monotonic() - started
    assert report.status == "rejected", report.line()
    assert (report.reason or "").startswith(reason), report.reason
    assert took < 20, f"{name} took {took:.1f} s to reject"
    assert fingerprint(stored) == before


def _pictures() -> bytes:
    """A .docx with 3 MB of picture, which compresses not at all."""
    return _replace(docx_bytes(), "word/media/image1.png", os.urandom(3 << 20))


def _long_text() -> bytes:
    words = "Samhandling mellom kommunene og sykehuset om skrøpelige eldre. " * 40
    return odt_bytes([[Block("paragraph", words)] * 80])  # some 200 KB of text, in 5 KB of package


@pytest.mark.parametrize(
    "name,make,limit_kb,reason",
    [
        # Members that compress little may unpack to four times the text limit in all.
        (
            "bilder.docx",
            _pictures,
            512,
            "Word document unpacks to over 2.0 MB, over the limit for text (4 times HFKG_MAX_TEXT_MB)",
        ),
        ("bilder.docx", _pictures, 1024, None),
        # The text read, whatever the package's size.
        (
            "lang.odt",
            _long_text,
            128,
            "OpenDocument text holds over 0.1 MB of text, over the limit for text (HFKG_MAX_TEXT_MB sets it)",
        ),
        ("lang.odt", _long_text, 512, None),
    ],
)
def test_what_a_package_unpacks_to_and_the_text_it_holds_are_bounded_by_the_text_limit(
    tmp_path: Path, name: str, make: Callable[[], bytes], limit_kb: int, reason: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    ingestor = Ingestor(
        DocumentStore(tmp_path / "data"), max_file_bytes=10**8, max_text_bytes=limit_kb * 1024
    )
    (report,) = list(ingestor.run([path]))
    assert (report.status, report.reason) == (("rejected", reason) if reason else ("ingested", None)), (
        report.line()
    )
