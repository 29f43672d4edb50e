"""GET /documents/{doc_id}/source: a document's original file, where the data directory keeps it.

Every ingest path keeps the original bytes: a file `hfkg ingest` read from a folder, one it handed
to a running server, an upload through the API (``POST /documents``) alike are copied into
``<data>/originals/<aa>/<sha256>`` by the commit that ingests them (ingest/store/originals.py), the
sha256 named by the source entry's ``original``. A data directory from before that keeps its uploads
under ``<data>/uploads/<12 hex>-<safe name>`` (api/writes.py), and they are served from there; a file
it read from a folder has no copy (until `hfkg check --repair` makes one from the file, where it
still holds the same bytes) and answers 404. What is served is found from the manifest's source entry of the
document, never from a name in the request, and only when it is a regular file (not a link) in
``originals/`` or directly in ``uploads/`` with the size the manifest recorded; anything else is a 404.

Content types: PDF as ``application/pdf`` (shown inline, so that ``#page=N`` opens the viewer at a
page); text, Markdown and HTML as ``text/plain`` in the encoding ingest read them in. HTML is shown
as its source, never rendered: text/plain with ``nosniff`` runs no script in any browser, where a
sandboxing policy depends on the browser honouring it, and a saved page's images and stylesheets are
not stored to render it with anyway. Text responses also carry ``sandbox`` in their policy. Word,
OpenDocument and PowerPoint files are attachments with their own media type (``OFFICE_MEDIA_TYPES``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from api.deps import ReadDep
from api.headers import CSP, POLICY
from api.schemas import ErrorResponse
from api.writes import OURS, UPLOADS
from ingest.errors import IngestError, NotFound
from ingest.readers.encoding import decode
from ingest.store import DocumentStore

log = logging.getLogger(__name__)

router = APIRouter(prefix="/documents", tags=["documents"])

# Checked in the route, not by the parameter: whatever is not a doc_id of ours is a 404, never a 422.
DocId = Annotated[str, PathParam(max_length=300, description="doc_id from /documents or /search")]
DOC_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
# Python's names of the encodings ingest detects (ingest/readers/encoding.py) as browsers know them.
CHARSETS = {
    "utf-8": "utf-8",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "cp1252": "windows-1252",
    "latin-1": "iso-8859-1",
    "mac_roman": "macintosh",
    "cp865": "ibm865",
}
SNIFF_BYTES = 1024 * 1024  # enough of a text file to tell its encoding


@dataclass(frozen=True, slots=True)
class Original:
    """A document's original file as the data directory keeps it."""

    path: Path
    filename: str  # the file's own name (an upload's without the prefix that made it unique)
    format: str  # pdf, text, markdown, html (ingest's name for the reader)

    @property
    def is_pdf(self) -> bool:
        return self.format == "pdf"


def source_entry(store: DocumentStore, doc_id: str) -> tuple[str, dict[str, Any]] | None:
    """The manifest's entry of the file a document came from (None for a document not ours)."""
    if store.summary(doc_id) is None:
        return None
    return store.source_of(doc_id)


def stored_original(store: DocumentStore, data_dir: Path, doc_id: str) -> Original | None:
    """The original file of a document when the data directory holds it, else None."""
    held = source_entry(store, doc_id)
    if held is None:
        return None
    key, entry = held
    if entry.get("original"):
        return _copy(store, doc_id, entry)
    return _upload(data_dir, doc_id, key, entry)


def _filename(shown: str) -> str:
    name = re.split(r"[\\/]", shown)[-1]
    prefix = OURS.match(name)
    return (name[prefix.end() :] if prefix else name) or name


def _copy(store: DocumentStore, doc_id: str, entry: dict[str, Any]) -> Original | None:
    """The copy in originals/ the source entry names, when it is there with the recorded size."""
    path = store.originals.held(str(entry["original"]), entry.get("size"))
    if path is None:
        log.warning("original of %s is missing from originals/ or has changed size: not served", doc_id)
        return None
    return Original(path, _filename(str(entry.get("path") or "")), str(entry.get("format") or ""))


def _upload(data_dir: Path, doc_id: str, key: str, entry: dict[str, Any]) -> Original | None:
    """An upload kept in uploads/ by a version from before originals/ (its entry names no copy)."""
    name = Path(key).name
    # An upload's entry names it uploads/<name>; matched by name so that a moved data directory still
    # finds its own (as api.writes.orphan_uploads does).
    prefix = OURS.match(name)
    if entry.get("path") != f"{UPLOADS}/{name}" or prefix is None:
        return None
    folder = (data_dir / UPLOADS).resolve()
    path = folder / name
    try:
        info = path.lstat()
    except OSError:
        return None
    if not path.is_file() or path.is_symlink() or path.resolve().parent != folder:
        return None
    if entry.get("size") is not None and info.st_size != entry["size"]:
        log.warning("original of %s has changed size since ingest: not served", doc_id)
        return None
    return Original(path, _filename(name), str(entry.get("format") or ""))


def pdf_originals(store: DocumentStore, data_dir: Path, result: dict[str, Any] | None) -> set[str]:
    """The documents of a search's hits (and groups) whose original is a PDF the data directory holds:
    their hits link the page in it."""
    if result is None:
        return set()
    hits = [*result.get("hits", []), *(h for g in result.get("groups") or [] for h in g["hits"])]
    ids = {h["doc_id"] for h in hits}
    return {i for i in ids if (o := stored_original(store, data_dir, i)) is not None and o.is_pdf}


def source_url(doc_id: str, page: int | None = None) -> str:
    return f"/documents/{doc_id}/source" + (f"#page={page}" if page else "")


def source_info(store: DocumentStore, data_dir: Path, doc_id: str) -> dict[str, Any]:
    """What the document page says about the original: its link, or that it is not stored and why,
    and when the document was ingested."""
    held = source_entry(store, doc_id)
    entry = held[1] if held else {}
    original = stored_original(store, data_dir, doc_id)
    return {
        "stored": original is not None,
        "kept": bool(entry.get("original")) or str(entry.get("path") or "").startswith(f"{UPLOADS}/"),
        "url": source_url(doc_id) if original else None,
        "filename": original.filename if original else None,
        "pdf": bool(original and original.is_pdf),
        "format": entry.get("format"),
        "path": entry.get("path"),
        "ingested_at": entry.get("ingested_at"),
    }


# Word, OpenDocument and PowerPoint files are downloaded (attachment), never shown as text.
OFFICE_MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _media_type(original: Original) -> str:
    if original.is_pdf:
        return "application/pdf"
    if original.format in OFFICE_MEDIA_TYPES:
        return OFFICE_MEDIA_TYPES[original.format]
    with original.path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    try:
        _, encoding = decode(head)
    except IngestError:  # a cut in the middle of a character, or (never ingested so) binary
        encoding = "utf-8"
    return f"text/plain; charset={CHARSETS.get(encoding, encoding)}"


@router.get(
    "/{doc_id}/source",
    summary="The document's original file (PDF inline, so #page=N works; text, Markdown and HTML as "
    "text/plain); 404 for a document whose original the data directory does not hold",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/pdf": {}, "text/plain": {}}},
        404: {"model": ErrorResponse},
    },
)
def document_source(read: ReadDep, doc_id: DocId) -> FileResponse:
    services = read.services
    ours = DOC_ID.fullmatch(doc_id) is not None and services.documents.summary(doc_id) is not None
    original = stored_original(services.documents, services.settings.data_dir, doc_id) if ours else None
    if original is None:
        if not ours:
            raise NotFound(f"no document with id {doc_id!r}")
        raise NotFound(f"the original file of document {doc_id!r} is not stored in the data directory")
    response = FileResponse(
        original.path,
        media_type=_media_type(original),
        filename=original.filename,
        content_disposition_type="attachment" if original.format in OFFICE_MEDIA_TYPES else "inline",
    )
    if not original.is_pdf:
        # A sandbox blocks a PDF viewer; for text it is a second guard beside text/plain and nosniff.
        response.headers[CSP] = f"{POLICY}; sandbox"
    return response
