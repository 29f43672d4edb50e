"""Every ``HFKG_*`` setting, declared once: its environment variable, type, default and meaning.

Built once, by the CLI (``Settings.from_env`` with the command line's options over the environment) or
by whoever calls ``create_app``, and passed down; nothing reads the environment at import time. A value
that does not parse (``HFKG_MAX_PAGES=abc``) is :class:`InvalidSetting`, naming the variable.
``HFKG_CRASHPOINT`` is no setting but a fault-injection hook of the tests (ingest/crashpoints.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.errors import HfkgError

MB = 1_048_576


class InvalidSetting(HfkgError):
    """A setting's value does not parse; the message names its environment variable."""


def _mb(value: float) -> int:
    return int(value * MB)


class Settings(BaseSettings):
    """What one data directory is served and ingested with. Fields are in the environment's units (MB,
    seconds); the byte counts the code works with are properties."""

    # Each field is read from exactly the variable its alias names; empty counts as unset.
    model_config = SettingsConfigDict(
        frozen=True, populate_by_name=True, case_sensitive=True, env_ignore_empty=True, extra="forbid"
    )

    # -- the data and the graph ---------------------------------------------------------------
    data_dir: Path = Field(
        Path("data"), validation_alias="HFKG_DATA", description="the data directory (or --data DIR)"
    )
    graph_endpoint: str | None = Field(
        None,
        validation_alias="HFKG_GRAPH_ENDPOINT",
        description="a SPARQL 1.1 server keeping the graph instead of the embedded store "
        "(or --graph-endpoint URL)",
    )
    base_iri: str = Field(
        "https://hfkg.no/id/", validation_alias="HFKG_BASE_IRI", description="the base of entity IRIs"
    )

    # -- ingest limits --------------------------------------------------------------------------
    max_file_mb: float = Field(
        100.0, validation_alias="HFKG_MAX_FILE_MB", description="any file (or ingest --max-size MB)"
    )
    max_pages: int = Field(
        3000, validation_alias="HFKG_MAX_PAGES", description="PDFs with more pages are rejected"
    )
    max_text_mb: float = Field(
        20.0,
        validation_alias="HFKG_MAX_TEXT_MB",
        description="text and HTML files, and the text read from a PDF (20 MB: some 8,000 pages)",
    )
    max_pdf_page_mb: float = Field(
        4.0, validation_alias="HFKG_MAX_PDF_PAGE_MB", description="decoded content streams of one PDF page"
    )
    max_pdf_content_mb: float = Field(
        32.0,
        validation_alias="HFKG_MAX_PDF_CONTENT_MB",
        description="decoded content streams of all a PDF's pages, a stream several pages share "
        "counted for each",
    )

    # -- the HTTP server ----------------------------------------------------------------------------
    api_key: str | None = Field(
        None, validation_alias="HFKG_API_KEY", description="enables uploads and deletes through the API"
    )
    max_upload_mb: float | None = Field(
        None, validation_alias="HFKG_MAX_UPLOAD_MB", description="uploads (default: HFKG_MAX_FILE_MB)"
    )
    sparql_timeout_s: float = Field(
        10.0, validation_alias="HFKG_SPARQL_TIMEOUT", description="seconds a SPARQL query may run"
    )
    sparql_row_limit: int = Field(
        10_000, validation_alias="HFKG_SPARQL_ROW_LIMIT", description="rows of a SPARQL result"
    )
    sparql_memory_mb: int = Field(
        1024,
        validation_alias="HFKG_SPARQL_MEMORY_MB",
        description="private memory of one SPARQL worker beyond its stack (some 100 of it its own)",
    )
    cache_entries: int = Field(
        4096,
        validation_alias="HFKG_API_CACHE",
        description="read-result cache entries, reset on every write; 0 = off",
    )
    # Of results' JSON; held as Python objects they take some 3x that in memory.
    cache_mb: float = Field(
        32.0, validation_alias="HFKG_API_CACHE_MB", description="the read-result cache's bound in MB"
    )
    # More slots only wait longer for the interpreter lock (api/limits.py).
    read_slots: int = Field(
        2, validation_alias="HFKG_API_READ_SLOTS", description="reads computing at once; 0 = no limit"
    )
    read_queue: int = Field(
        64,
        validation_alias="HFKG_API_READ_QUEUE",
        description="reads waiting for a slot before the next gets 503 busy",
    )
    shutdown_s: float = Field(
        10.0,
        validation_alias="HFKG_SHUTDOWN_TIMEOUT",
        description="seconds a stopping server waits for requests and an upload in progress",
    )

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

    @property
    def max_file_bytes(self) -> int:
        return _mb(self.max_file_mb)

    @property
    def max_text_bytes(self) -> int:
        return _mb(self.max_text_mb)

    @property
    def max_page_content_bytes(self) -> int:
        return _mb(self.max_pdf_page_mb)

    @property
    def max_content_bytes(self) -> int:
        return _mb(self.max_pdf_content_mb)

    @property
    def max_upload_bytes(self) -> int:
        """Uploads' limit: HFKG_MAX_UPLOAD_MB where set (and not 0), else the ingest limit."""
        return (_mb(self.max_upload_mb) if self.max_upload_mb is not None else 0) or self.max_file_bytes

    @property
    def cache_bytes(self) -> int:
        return _mb(self.cache_mb)

    @property
    def writes_enabled(self) -> bool:
        return bool(self.api_key)


def _explain(exc: ValidationError) -> str:
    names = {name: str(f.validation_alias) for name, f in Settings.model_fields.items()}
    problems = []
    for error in exc.errors():
        where = str(error["loc"][0]) if error["loc"] else ""
        problems.append(f"{names.get(where, where)}={error.get('input')!r}: {error['msg']}")
    return "invalid setting " + "; ".join(problems)
