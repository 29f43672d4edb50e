"""Documents: list, one with its meetings, agenda items and passages by page; upload and delete."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect
from starlette.types import Message, Receive

from api import writes
from api.deps import ReadDep, RuntimeDep, WriterDep
from api.errors import ApiError
from api.schemas import DeleteReport, DocumentDetail, DocumentList, ErrorResponse, UploadReport
from ingest.model import Document

router = APIRouter(prefix="/documents", tags=["documents"])

DocId = Annotated[
    str, Path(pattern=r"^[0-9A-Za-z_-]{1,64}$", description="doc_id from /documents or /search")
]
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file


@router.get("", response_model=DocumentList, summary="The ingested documents")
def list_documents(read: ReadDep) -> dict[str, Any]:
    docs = read.services.documents.summaries()
    return {"total": len(docs), "documents": docs}


@router.get(
    "/{doc_id}",
    response_model=DocumentDetail,
    summary="One document: meetings, agenda items, passages grouped by page, entities",
    responses={404: {"model": ErrorResponse}},
)
def get_document(read: ReadDep, doc_id: DocId) -> dict[str, Any]:
    return document_detail(read.services.documents.document(doc_id))


def document_detail(doc: Document) -> dict[str, Any]:
    """The API view of a document (also what the web UI renders)."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for m in doc.mentions:
        mentions.setdefault(m.passage_id, []).append(
            {"entity_id": m.entity_id, "text": m.text, "start": m.start, "end": m.end}
        )
    counts = Counter(m.entity_id for m in doc.mentions)
    items = [_agenda_item(i) for i in doc.agenda_items]
    return {
        **doc.summary(),
        "page_start": doc.page_start,
        "meetings": [
            {
                "body": m.body,
                "date": m.date,
                "time": m.time,
                "place": m.place,
                "chair": m.chair,
                "minute_taker": m.minute_taker,
                "present": m.present,
                "absent": m.absent,
                "agenda_items": [_agenda_item(i) for i in m.agenda_items],
            }
            for m in doc.meetings
        ],
        "agenda_items": items,
        "headings": doc.headings,
        "message": doc.message,  # an e-mail's headers, and its link to the documents of its attachments
        "parts": doc.parts,
        "part_of": doc.part_of,
        "ocr_pages": doc.ocr_pages,  # the pages Tesseract read, with its mean confidence
        "passages_by_page": [
            {
                "page": page,
                "passages": [
                    {
                        "passage_id": p.passage_id,
                        "page": p.page,
                        "section": p.section,
                        "kind": p.kind,
                        "text": p.text,
                        "start": p.start,
                        "end": p.end,
                        "mentions": sorted(mentions.get(p.passage_id, []), key=lambda m: m["start"]),
                    }
                    for p in passages
                ],
            }
            for page, passages in groupby(
                sorted(doc.passages, key=lambda p: (p.page, p.start)), key=lambda p: p.page
            )
        ],
        "entities": sorted(
            (
                {"id": e.id, "label": e.label, "type": e.type, "mentions": counts.get(e.id, 0)}
                for e in doc.entities
            ),
            key=lambda e: (-e["mentions"], e["label"].lower()),
        ),
    }


def _agenda_item(item: Any) -> dict[str, Any]:
    return {
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "conclusion": item.conclusion,
        "conclusion_label": item.conclusion_label,
        "responsible": item.responsible,
        "page": item.page,
        "passage_id": item.passage_id,
    }


# -- writes -----------------------------------------------------------------------------------
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "a PDF, text, Markdown or HTML file",
                        }
                    },
                }
            }
        },
    }
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 415, 422)
}


@router.post(
    "",
    status_code=201,
    response_model=UploadReport,
    openapi_extra=UPLOAD_BODY,
    summary="Upload and ingest one file (needs the API key)",
    responses=WRITE_ERRORS,
)
async def upload_document(
    request: Request, response: Response, runtime: RuntimeDep, _: WriterDep
) -> dict[str, Any]:
    limit = runtime.max_upload_bytes
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(415, "Send filen som multipart/form-data i feltet 'file'.")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise ApiError(413, f"Filen er større enn grensen på {_mb(limit)}.")
    try:
        upload = await _file_field(request, limit)
    except ClientDisconnect as exc:
        raise ApiError(400, "Opplastingen ble avbrutt.") from exc
    try:
        if upload.size is not None and upload.size > limit:
            raise ApiError(413, f"Filen er større enn grensen på {_mb(limit)}.")
        name = writes.safe_filename(upload.filename)
        if not writes.is_supported(name):
            raise ApiError(415, f"Filtypen til {name!r} støttes ikke; bruk PDF, tekst, Markdown eller HTML.")
        path = writes.new_upload_path(runtime.settings.data_dir, name)
        await run_in_threadpool(_save, upload, path)
    finally:
        await upload.close()
    report = await run_in_threadpool(runtime.ingest_upload, path)
    if report.status == "rejected":
        raise ApiError(422, f"Filen ble avvist: {report.reason}", "rejected")
    if report.status == "error":
        raise ApiError(500, "Intern feil under innlesing av filen.", "internal_error")
    if report.status != "ingested":
        response.status_code = 200
    elif report.doc_ids:
        response.headers["Location"] = f"/documents/{report.doc_ids[0]}"
    return {**report.to_dict(), "filename": path.name}


async def _file_field(request: Request, limit: int) -> UploadFile:
    """The 'file' part of the form, read with the body capped (a missing Content-Length cannot dodge it)."""
    capped = Request(request.scope, _capped(request.receive, limit + MULTIPART_OVERHEAD))
    form = await capped.form(max_files=1, max_fields=5)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        await form.close()
        raise ApiError(422, "Skjemaet mangler filfeltet 'file'.", "validation_error")
    return upload


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise ApiError(413, f"Filen er større enn grensen på {_mb(limit - MULTIPART_OVERHEAD)}.")
        return message

    return wrapped


def _save(upload: UploadFile, path: Any) -> None:
    upload.file.seek(0)
    writes.store_upload(upload.file, path)


def _mb(size: int) -> str:
    return f"{size / 1_048_576:g} MB"


@router.delete(
    "/{doc_id}",
    response_model=DeleteReport,
    summary="Delete a document (needs the API key)",
    responses={code: {"model": ErrorResponse} for code in (401, 403, 404)},
)
async def delete_document(runtime: RuntimeDep, _: WriterDep, doc_id: DocId) -> dict[str, Any]:
    deletion = await run_in_threadpool(runtime.delete_document, doc_id)
    return deletion.to_dict()
