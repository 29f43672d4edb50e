"""The web UI's addresses: an entity's page, a document's page (at a passage), a page with a query."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode


def entity_url(entity_id: str) -> str:
    return "/enheter/" + quote(entity_id, safe="/")


def document_url(doc_id: str, passage_id: str | None = None) -> str:
    return f"/dokumenter/{quote(doc_id, safe='')}" + (
        f"#{quote(passage_id, safe='-_')}" if passage_id else ""
    )


def url(path: str, params: dict[str, Any] | None = None, **more: Any) -> str:
    """``path?query`` of the non-empty parameters; ``more`` overrides ``params`` (None drops one)."""
    merged = {**(params or {}), **more}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "", [])}, doseq=True)
    return f"{path}?{query}" if query else path
