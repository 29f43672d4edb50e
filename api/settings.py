"""Every ``HFKG_*`` setting, declared once: its environment variable, type, default and meaning.

Built once, by the CLI (``Settings.from_env`` with the command line's options over the environment) or
by whoever calls ``create_app``, and passed down; nothing reads the environment at import time. A value
that does not parse (``HFKG_MAX_PAGES=abc``) is :class:`InvalidSetting`, naming the variable.
``HFKG_CRASHPOINT`` is no setting but a fault-injection hook of the tests (ingest/crashpoints.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.errors import HfkgError
from ingest.readers.ocr import OcrOptions

MB = 1_048_576


class InvalidSetting(HfkgError):
    """A setting's value does not parse; the message names its environment variable."""


def _mb(value: float) -> int:
    return int(value * MB)


def setting(default: Any, variable: str, description: str) -> Any:
    """A field read from the environment variable ``variable`` (that name exactly)."""
    return Field(default, validation_alias=variable, description=description)


class IngestLimits(TypedDict):
    """What the ingestor rejects a file over (api/services.py hands them to it)."""

    max_file_bytes: int
    max_pages: int
    max_text_bytes: int
    max_page_content_bytes: int
    max_content_bytes: int
    ocr: OcrOptions


class Settings(BaseSettings):
    """What one data directory is ingested and served with, in the environment's units (MB, seconds);
    the README's settings table says more of each (tests/api/cli/test_documented.py keeps them alike)."""

    # Each field is read from exactly the variable it names; empty counts as unset.
    model_config = SettingsConfigDict(
        frozen=True, populate_by_name=True, case_sensitive=True, env_ignore_empty=True, extra="forbid"
    )

    # -- the data and the graph ---------------------------------------------------------------
    data_dir: Path = setting(Path("data"), "HFKG_DATA", "the data directory (or --data DIR)")
    graph_endpoint: str | None = setting(None, "HFKG_GRAPH_ENDPOINT", "a SPARQL server for the graph")
    base_iri: str = setting("https://hfkg.no/id/", "HFKG_BASE_IRI", "the base of entity IRIs")
    # The server engines: search index and ingest store in PostgreSQL (the graph: HFKG_GRAPH_ENDPOINT).
    database_url: str | None = setting(
        None, "HFKG_DATABASE_URL", "PostgreSQL for the search index and the ingest store"
    )

    # -- ingest limits --------------------------------------------------------------------------
    max_file_mb: float = setting(100.0, "HFKG_MAX_FILE_MB", "any file (or ingest --max-size MB)")
    max_pages: int = setting(3000, "HFKG_MAX_PAGES", "PDF pages, slides, pages of an office file")
    max_text_mb: float = setting(20.0, "HFKG_MAX_TEXT_MB", "the text of one file")
    max_pdf_page_mb: float = setting(4.0, "HFKG_MAX_PDF_PAGE_MB", "content streams of a PDF page")
    max_pdf_content_mb: float = setting(32.0, "HFKG_MAX_PDF_CONTENT_MB", "content streams of a PDF")
    # OCR of PDF pages without a text layer (ingest/readers/ocr.py).
    tesseract: str = setting("tesseract", "HFKG_TESSERACT", "the Tesseract command OCR runs")
    ocr_dpi: int = setting(300, "HFKG_OCR_DPI", "resolution pages are rendered at for OCR")
    ocr_page_seconds: float = setting(60.0, "HFKG_OCR_PAGE_SECONDS", "seconds OCR of one page may take")
    ingest_jobs: int | None = setting(None, "HFKG_INGEST_JOBS", "worker processes of hfkg ingest")

    # -- the HTTP server ----------------------------------------------------------------------------
    api_key: str | None = setting(None, "HFKG_API_KEY", "enables uploads and deletes through the API")
    max_upload_mb: float | None = setting(None, "HFKG_MAX_UPLOAD_MB", "uploads (else HFKG_MAX_FILE_MB)")
    sparql_timeout_s: float = setting(10.0, "HFKG_SPARQL_TIMEOUT", "seconds a SPARQL query may run")
    sparql_row_limit: int = setting(10_000, "HFKG_SPARQL_ROW_LIMIT", "rows of a SPARQL result")
    sparql_memory_mb: int = setting(1024, "HFKG_SPARQL_MEMORY_MB", "memory of one SPARQL worker")
    cache_entries: int = setting(4096, "HFKG_API_CACHE", "read-result cache entries; 0 = off")
    # Of results' JSON; held as Python objects they take some 3x that in memory.
    cache_mb: float = setting(32.0, "HFKG_API_CACHE_MB", "the read-result cache's bound in MB")
    # More slots only wait longer for the interpreter lock (api/limits.py).
    read_slots: int = setting(2, "HFKG_API_READ_SLOTS", "reads computing at once; 0 = no limit")
    read_queue: int = setting(64, "HFKG_API_READ_QUEUE", "reads waiting before the next gets 503")
    shutdown_s: float = setting(10.0, "HFKG_SHUTDOWN_TIMEOUT", "seconds a stopping server waits")

    def __init__(self, **values: Any) -> None:
        # The environment is read here too: a value that does not parse is named by its variable.
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise InvalidSetting(_explain(exc)) from None

    @classmethod
    def from_env(
        cls,
        data_dir: str | Path | None = None,
        max_file_mb: float | None = None,
        graph_endpoint: str | None = None,
        **given: Any,
    ) -> Settings:
        """The environment, with what the command line gave over it (None: not given)."""
        options = {"data_dir": data_dir, "max_file_mb": max_file_mb, "graph_endpoint": graph_endpoint}
        return cls(**{k: v for k, v in {**options, **given}.items() if v is not None and v != ""})

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Every setting's environment variable and what it is, for the README's check."""
        return {str(f.validation_alias): f.description or "" for f in cls.model_fields.values()}

    def ingest_limits(self) -> IngestLimits:
        return IngestLimits(
            max_file_bytes=self.max_file_bytes,
            max_pages=self.max_pages,
            max_text_bytes=_mb(self.max_text_mb),
            max_page_content_bytes=_mb(self.max_pdf_page_mb),
            max_content_bytes=_mb(self.max_pdf_content_mb),
            ocr=OcrOptions(self.tesseract, self.ocr_dpi, self.ocr_page_seconds),
        )

    @property
    def max_file_bytes(self) -> int:
        return _mb(self.max_file_mb)

    @property
    def max_upload_bytes(self) -> int:
        """HFKG_MAX_UPLOAD_MB where set (and not 0), else the ingest limit."""
        return (_mb(self.max_upload_mb) if self.max_upload_mb is not None else 0) or self.max_file_bytes

    @property
    def writes_enabled(self) -> bool:
        return bool(self.api_key)

    @property
    def cache_bytes(self) -> int:
        return _mb(self.cache_mb)


def _explain(exc: ValidationError) -> str:
    names = {name: str(f.validation_alias) for name, f in Settings.model_fields.items()}
    problems = []
    for error in exc.errors():
        where = str(error["loc"][0]) if error["loc"] else ""
        problems.append(f"{names.get(where, where)}={error.get('input')!r}: {error['msg']}")
    return "invalid setting " + "; ".join(problems)
