"""Shared fixtures: the bundled corpus ingested once per session into a data directory every reading
test shares (writers take a copy), the markers the quick loop leaves out, and PDF builders."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import pytest

from ingest.pipeline import Ingestor
from ingest.store import DocumentStore, open_store
from tests.engines import database_server, database_url  # noqa: F401 (fixtures for every test)

if TYPE_CHECKING:
    from api.services import Services

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# Over ~3 s each with `pytest --durations=40` (killed processes, timeouts, servers started and
# stopped, a million-character text): `pytest -m "not slow"` leaves them out. One table, so that the
# quick loop's cost is reviewed in one place; a name no test module defines is an error.
SLOW_TESTS: dict[str, tuple[str, ...]] = {
    "tests/api/test_crash_safety.py": (
        "test_kill_at_random_moments_then_ingest_again",
        "test_kill_at_each_step_of_a_commit",
    ),
    "tests/api/test_fuzz.py": ("test_read_routes_never_fail_with_a_server_error",),
    "tests/api/test_reads_during_ingest.py": ("test_reads_keep_answering_while_a_cli_ingest_runs",),
    "tests/ingest/test_parallel.py": (
        "test_two_workers_leave_the_stores_a_serial_run_leaves",
        "test_a_worker_that_dies_costs_its_file_an_error_line_and_the_rest_goes_on",
        "test_ctrl_c_stops_the_workers_and_loses_nothing_committed",
    ),
    "tests/search/test_ranking_beside_more_documents.py": (
        "test_the_decision_stays_first_beside_more_documents",
    ),
    "tests/security/test_handoff.py": (
        "test_a_second_server_on_the_same_data_refuses_and_leaves_the_first_alone",
    ),
    "tests/security/test_input.py": (
        "test_text_over_a_million_characters_without_sentence_ends_is_ingested",
    ),
    "tests/security/test_shutdown.py": (
        "test_a_server_stopped_during_a_long_upload_stops_in_time_and_loses_nothing",
    ),
    "tests/security/test_sparql.py": (
        "test_a_cartesian_construct_is_stopped_at_its_time_limit",
        "test_four_slow_counts_do_not_hold_the_slots_for_good",
    ),
}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        slow = SLOW_TESTS.get(item.nodeid.partition("::")[0], ())
        missing = [name for name in slow if not hasattr(item.module, name)]
        if missing:
            raise pytest.UsageError(
                f"SLOW_TESTS in tests/conftest.py names no test of {item.path}: {missing}"
            )
        if item.originalname in slow:
            item.add_marker(pytest.mark.slow)


def make_ingestor(data_dir: Path, *, max_file_bytes: int = 50 * 1_048_576) -> Ingestor:
    return Ingestor(DocumentStore(data_dir), max_file_bytes=max_file_bytes)


def fingerprint(data: Path, database: str | None = None) -> dict[str, Any]:
    """What a write to a data directory changes: the manifest (its generation and every table), the
    document files, the search index's files and the graph's quads. Not what a reader or a server's
    start may touch (SQLite's WAL, RocksDB's logs, lock files, the SPARQL snapshots). With
    ``database`` (a URL), the store in PostgreSQL: its manifest and each document record's hash."""
    store = open_store(data, database_url=database)
    try:
        manifest = store.manifest()
        records = {
            f"records/{doc_id}": hashlib.sha256(
                json.dumps(store.files.read(doc_id).to_dict()).encode()
            ).hexdigest()
            for doc_id in (store.files.ids() if database else [])
        }
    finally:
        store.close()
    files = {
        path.relative_to(data).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("docs", "search")
        for path in sorted((data / folder).rglob("*"))
        if path.is_file() and not path.name.endswith(("LOCK", ".lock"))
    }
    quads = len(ox.Store.read_only(str(data / "graph"))) if (data / "graph").exists() else None
    return {"manifest": manifest, "files": {**files, **records}, "quads": quads}


class SharedCorpus:
    """The bundled corpus ingested once per session, for real, into manifest, search index and graph.

    Every test that only reads shares the one data directory; a test that writes or breaks one takes
    a copy (:meth:`copy`). Built on first use, so a run that needs no corpus ingests none."""

    def __init__(self) -> None:
        self._data: Path | None = None
        self._fingerprint: dict[str, Any] | None = None

    def data(self, tmp_path_factory: pytest.TempPathFactory) -> Path:
        if self._data is None:
            from api.services import Services
            from api.settings import Settings

            data = tmp_path_factory.mktemp("corpus-data") / "data"
            with Services(Settings(data_dir=data), write=True) as services:
                reports = list(services.ingestor().run([CORPUS]))
            assert all(r.status in ("ingested", "duplicate") for r in reports), [r.line() for r in reports]
            self._data, self._fingerprint = data, fingerprint(data)
        return self._data

    def copy(self, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
        """A private copy of the data directory. Without the SPARQL snapshots: a server running on the
        shared directory may be replacing them, and a server deletes what it finds there at start."""
        target = tmp_path_factory.mktemp(name) / "data"
        shutil.copytree(self.data(tmp_path_factory), target, ignore=shutil.ignore_patterns("snapshots"))
        return target

    def verify_unchanged(self) -> None:
        if self._data is None:
            return
        now = fingerprint(self._data)
        changed = sorted(key for key in now if now[key] != (self._fingerprint or {}).get(key))
        assert not changed, (
            f"a test wrote to the shared corpus data directory {self._data} ({', '.join(changed)} changed): "
            "tests that write take copy_of_corpus_data (tests/api/test_app_support.py) instead"
        )


SHARED_CORPUS = SharedCorpus()


@pytest.fixture(scope="session", autouse=True)
def _shared_corpus_stays_unchanged() -> Iterator[None]:
    """Torn down last: the shared data directory must end the session as it was ingested."""
    yield
    SHARED_CORPUS.verify_unchanged()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared data directory holding the bundled corpus: read it, never write it."""
    return SHARED_CORPUS.data(tmp_path_factory)


@pytest.fixture(scope="session")
def corpus_store(corpus_data: Path) -> DocumentStore:
    return DocumentStore(corpus_data)


@pytest.fixture(scope="session")
def corpus_services(corpus_data: Path) -> Iterator[Services]:
    """Read-only services (search index, graph) on the ingested corpus."""
    from api.services import Services
    from api.settings import Settings

    with Services(Settings(data_dir=corpus_data)) as services:
        yield services


def pdf_bytes(
    pages: list[list[str]], *, title: str | None = None, header: str | None = None, footer: bool = False
) -> bytes:
    """A real PDF with one text line per entry, one list per page; optional running header/footer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    total = len(pages)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if header:
            pdf.set_xy(15, 10)
            pdf.cell(0, 6, header)
        y = 25
        for line in lines:
            pdf.set_xy(15, y)
            pdf.cell(0, 6, line)
            y += 6
        if footer:
            pdf.set_xy(15, 280)
            pdf.cell(0, 6, f"Side {number} av {total}")
    return bytes(pdf.output())


def encrypt(data: bytes, *, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="eier-passord", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).text((20, 20), "Skannet referat", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    return bytes(pdf.output())


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    folder = tmp_path / "in"
    folder.mkdir()

    def _write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return _write
