"""One settings object, built once by the CLI (or ``create_app``) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_FILE_MB = 100.0
DEFAULT_MAX_PAGES = 3000
DEFAULT_MAX_TEXT_MB = 20.0
DEFAULT_MAX_PDF_PAGE_MB = 4.0  # decoded content streams of one PDF page
DEFAULT_MAX_PDF_CONTENT_MB = 32.0  # ... of all pages, a stream several pages share counted for each


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * 1_048_576)
    max_pages: int = DEFAULT_MAX_PAGES
    max_text_bytes: int = int(DEFAULT_MAX_TEXT_MB * 1_048_576)  # text/HTML files: all of it is text to read
    max_page_content_bytes: int = int(DEFAULT_MAX_PDF_PAGE_MB * 1_048_576)
    max_content_bytes: int = int(DEFAULT_MAX_PDF_CONTENT_MB * 1_048_576)
    base_iri: str = "https://hfkg.no/id/"
    graph_endpoint: str | None = None  # a SPARQL 1.1 server instead of the embedded store

    @classmethod
    def from_env(
        cls, data_dir: str | None = None, max_file_mb: float | None = None, graph_endpoint: str | None = None
    ) -> Settings:
        data = data_dir or os.environ.get("HFKG_DATA") or "./data"
        mb = (
            max_file_mb
            if max_file_mb is not None
            else float(os.environ.get("HFKG_MAX_FILE_MB", DEFAULT_MAX_FILE_MB))
        )
        pages = int(os.environ.get("HFKG_MAX_PAGES", DEFAULT_MAX_PAGES))
        text_mb = float(os.environ.get("HFKG_MAX_TEXT_MB", DEFAULT_MAX_TEXT_MB))
        page_mb = float(os.environ.get("HFKG_MAX_PDF_PAGE_MB", DEFAULT_MAX_PDF_PAGE_MB))
        content_mb = float(os.environ.get("HFKG_MAX_PDF_CONTENT_MB", DEFAULT_MAX_PDF_CONTENT_MB))
        base = os.environ.get("HFKG_BASE_IRI", "https://hfkg.no/id/")
        endpoint = graph_endpoint or os.environ.get("HFKG_GRAPH_ENDPOINT") or None
        return cls(
            data_dir=Path(data),
            max_file_bytes=int(mb * 1_048_576),
            max_pages=pages,
            max_text_bytes=int(text_mb * 1_048_576),
            max_page_content_bytes=int(page_mb * 1_048_576),
            max_content_bytes=int(content_mb * 1_048_576),
            base_iri=base,
            graph_endpoint=endpoint,
        )
