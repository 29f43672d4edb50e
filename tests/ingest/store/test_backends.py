"""The ingest store on both backends, with the same assertions: the data directory (manifest.sqlite,
docs/, originals/) and PostgreSQL (schema hfkg_store of a fresh database per test). What is read and
written, the journal's steps (a staged version is invisible until its commit, an undone change leaves
nothing), the write lock across processes, the generation seen by another opener, the copies of
originals, and what check and repair find that no writer left."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ingest.errors import DocumentDamaged, ManifestUnreadable, NotFound, UnfinishedChange
from ingest.pipeline import Ingestor
from ingest.quarantine import Quarantine
from ingest.store import Change, DocumentStore, open_store
from ingest.store.consistency import original_problems
from tests.api.test_crash_safety import Engines, _hfkg
from tests.conftest import CORPUS
from tests.ingest.store.test_originals import _check

FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".txt")[:3]


@pytest.fixture(params=["embedded", "server"])
def database(request: pytest.FixtureRequest) -> str | None:
    """None for the data directory's store, else the URL of a new, empty PostgreSQL database."""
    return None if request.param == "embedded" else request.getfixturevalue("database_url")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data: Path, database: str | None) -> Iterator[DocumentStore]:
    store = open_store(data, database_url=database)
    yield store
    store.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in FILES:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _ingest(store: DocumentStore, *paths: Path) -> list[str]:
    ingestor = Ingestor(store, max_file_bytes=50 * 1_048_576)
    return [r.status for r in ingestor.run(paths)]


def _damage(store: DocumentStore, doc_id: str, database: str | None) -> None:
    """A record that is not a document any more (a truncated file, a row changed by hand)."""
    if database is None:
        (store.data_dir / "docs" / f"{doc_id}.json").write_text('{"doc_id": ', encoding="utf-8")
        return
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("UPDATE hfkg_store.records SET body = '{\"doc_id\": ' WHERE doc_id = %s", (doc_id,))


def test_an_empty_store_reads_as_nothing_ingested(store: DocumentStore) -> None:
    assert store.generation() == 0 and store.count() == 0 and store.summaries() == []
    assert store.manifest()["documents"] == {} and store.journal() is None and not store.has_journal()
    with pytest.raises(NotFound):
        store.document("0000000000000000")


def test_ingest_writes_manifest_and_documents_and_another_opener_reads_them(
    store: DocumentStore, folder: Path, data: Path, database: str | None
) -> None:
    assert _ingest(store, folder) == ["ingested"] * 3
    assert store.generation() == 3 and store.count() == len(store.doc_ids()) >= 3
    other = open_store(data, database_url=database)  # another process's view: the generation it reads
    try:
        assert other.generation() == 3 and other.manifest() == store.manifest()
        for summary in other.summaries():
            doc = other.document(summary["doc_id"])
            assert doc.doc_id == summary["doc_id"] and doc.passages
            key, entry = other.source_of(doc.doc_id) or ("", {})
            assert doc.doc_id in entry["doc_ids"] and other.source(key) == entry
            assert other.uses_original(entry["original"]) and other.fingerprint(doc.doc_id)
        assert other.registry() == store.registry() and other.named() == set(other.doc_ids())
    finally:
        other.close()
    assert _ingest(store, folder) == ["unchanged"] * 3 and store.generation() == 3


def test_a_staged_version_is_invisible_until_its_commit_and_an_undone_change_leaves_nothing(
    store: DocumentStore, folder: Path
) -> None:
    _ingest(store, folder)
    (doc_id, *_) = store.doc_ids()
    before = store.document(doc_id)
    changed = store.document(doc_id)
    changed.title = "Ny tittel"
    new = store.document(doc_id)
    new.doc_id = "ffff000000000000"
    with store.writing():
        journal = store.begin(Change(add=[changed, new]))
        assert journal["staged"] == [doc_id] and store.journal() == journal
        with pytest.raises(UnfinishedChange):
            store.begin(Change(add=[new]))
        assert store.document(doc_id).title == before.title  # the committed version until the commit
        with pytest.raises(NotFound):
            store.document(new.doc_id)
        assert [d.title for d in store.journal_documents(journal)] == ["Ny tittel", before.title]
        store.discard(store.abort(journal))
        assert store.journal() is None and store.orphans() == [] and store.stray_staging() == []
        assert store.document(doc_id).title == before.title and not store.files.exists(new.doc_id)

        journal = store.begin(Change(add=[changed]))
        generation = store.generation()
        store.finish(journal)
        store.finish(journal)  # safe to repeat after a crash
        assert store.generation() == generation + 1 and store.document(doc_id).title == "Ny tittel"
        assert store.journal() is None and store.stray_staging() == []
        with pytest.raises(UnfinishedChange):
            store.discard(journal)  # committed: it can only be finished


def test_the_write_lock_refuses_a_second_writer_in_another_process(data: Path, database: str | None) -> None:
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from ingest.store import open_store
        store = open_store(Path(sys.argv[1]), database_url=sys.argv[2] or None)
        with store.writing(wait=False) as mine:
            print("mine" if mine else "held")
        """
    )
    store = open_store(data, database_url=database)
    try:
        with store.writing() as mine:
            assert mine
            other = open_store(data, database_url=database)
            with other.writing(wait=False) as theirs:
                assert not theirs
            run = subprocess.run(
                [sys.executable, "-c", script, str(data), database or ""], capture_output=True, text=True
            )
            assert run.stdout.strip() == "held", run.stderr
        run = subprocess.run(
            [sys.executable, "-c", script, str(data), database or ""], capture_output=True, text=True
        )
        assert run.stdout.strip() == "mine", run.stderr
    finally:
        store.close()


def test_originals_are_kept_once_verified_and_a_changed_file_replaces_its_copy(
    store: DocumentStore, folder: Path
) -> None:
    shutil.copy(folder / FILES[0], folder / f"kopi-{FILES[0]}")
    _ingest(store, folder)
    kept = {k: e for k, e in store.sources().items() if e.get("original")}
    shas = {e["original"] for e in kept.values()}
    assert len(shas) == 3 and sorted(store.originals.files()) == sorted(f"{s[:2]}/{s}" for s in shas)
    for key, entry in kept.items():
        held = store.originals.held(entry["original"], entry["size"])
        assert held is not None and held.read_bytes() == Path(key).read_bytes()
        assert store.originals.intact(entry["original"], entry["size"])
        assert not store.originals.intact(entry["original"], entry["size"] + 1)
    assert original_problems(store) == {"missing_originals": [], "orphan_originals": []}
    changed = folder / FILES[1]
    before = store.sources()[str(changed.resolve())]["original"]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nTillegg: Kvitebjørnutvalget ble opprettet.\n")
    _ingest(store, folder)  # the changed file's new copy replaces its old one
    now = store.sources()[str(changed.resolve())]["original"]
    assert now != before and store.originals.holds(now) and not store.originals.holds(before)
    assert len(store.originals.files()) == 3
    assert original_problems(store) == {"missing_originals": [], "orphan_originals": []}


def test_what_no_writer_left_is_reported_and_set_aside_into_quarantine(
    store: DocumentStore, folder: Path, data: Path
) -> None:
    _ingest(store, folder)
    stray = store.document(store.doc_ids()[0])
    stray.doc_id = "0000stray0000000"
    store.files.write(stray)  # a record nothing names (restored by hand)
    store.files.write(stray, 99)  # a staged change no journal names
    store.originals.put("ab" * 32, b"nothing names this")
    assert store.orphans() == ["0000stray0000000"] and store.stray_staging() == ["99"]
    assert original_problems(store)["orphan_originals"] == [f"ab/{'ab' * 32}"]
    quarantine = Quarantine(data)
    store.files.set_aside(quarantine, doc_id="0000stray0000000")
    store.files.set_aside(quarantine, staging="99")
    store.originals.set_aside(quarantine, f"ab/{'ab' * 32}")
    assert store.orphans() == [] and store.stray_staging() == [] and store.originals.files() != []
    assert original_problems(store)["orphan_originals"] == []
    kept = quarantine.folder
    assert (kept / "docs" / "0000stray0000000.json").is_file()
    assert (kept / "docs" / ".staged" / "99" / "0000stray0000000.json").is_file()
    assert (kept / "originals" / "ab" / ("ab" * 32)).read_bytes() == b"nothing names this"


def test_a_damaged_record_is_reported_not_read(
    store: DocumentStore, folder: Path, database: str | None
) -> None:
    _ingest(store, folder)
    doc_id = store.doc_ids()[0]
    _damage(store, doc_id, database)
    with pytest.raises(DocumentDamaged, match=doc_id):
        store.document(doc_id)
    assert list(store.damaged_documents()) == [doc_id] and store.files.exists(doc_id)


def test_a_missing_record_is_damaged_and_an_unknown_id_not_found(
    store: DocumentStore, folder: Path, database: str | None
) -> None:
    _ingest(store, folder)
    doc_id = store.doc_ids()[0]
    assert store.document(doc_id).doc_id == doc_id
    if database is None:
        (store.data_dir / "docs" / f"{doc_id}.json").unlink()
    else:
        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute("DELETE FROM hfkg_store.records WHERE doc_id = %s", (doc_id,))
    with pytest.raises(DocumentDamaged, match=f"{doc_id}.*missing"):
        store.document(doc_id)
    for unknown in ("0000000000000000", "../" + doc_id, ".hidden"):
        with pytest.raises(NotFound):
            store.document(unknown)


def test_an_unreachable_database_is_one_clear_error(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data", database_url="postgresql://hfkg:secret@127.0.0.1:1/hfkg")
    with pytest.raises(ManifestUnreadable, match="cannot be read") as raised:
        store.generation()
    assert "secret" not in str(raised.value) and "127.0.0.1" in str(raised.value)
    assert not (tmp_path / "data" / "manifest.sqlite").exists()


def test_a_schema_that_is_not_ours_is_refused_and_left_alone(tmp_path: Path, database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA hfkg_store")
        conn.execute("CREATE TABLE hfkg_store.meta (key TEXT, note TEXT)")
        conn.execute("INSERT INTO hfkg_store.meta VALUES ('theirs', 'keep me')")
    store = open_store(tmp_path / "data", database_url=database_url)
    try:
        with pytest.raises(ManifestUnreadable, match="not an hfkg store"):
            store.generation()
        with pytest.raises(ManifestUnreadable):
            store.commit(Change(sources={"x": {"doc_ids": []}}))
    finally:
        store.close()
    with psycopg.connect(database_url, autocommit=True) as conn:
        assert conn.execute("SELECT note FROM hfkg_store.meta").fetchall() == [("keep me",)]


def test_check_reports_and_repair_mends_what_no_writer_left_on_either_set_up(
    engines: Engines, folder: Path, data: Path
) -> None:
    """`hfkg check` and `check --repair` through the CLI: a damaged record, a record and a copy nothing
    names are reported by name; the repair reads the document again from its unchanged source, moves
    the others into quarantine, and the three stores are consistent again."""
    assert _hfkg(data, "ingest", str(folder), env=engines.env).returncode == 0
    store = engines.store(data)
    try:
        damaged = store.doc_ids()[0]
        stray = store.document(damaged)
        stray.doc_id = "0000stray0000000"
        store.files.write(stray)
        store.originals.put("ab" * 32, b"nothing names this")
        _damage(store, damaged, engines.database_url)
        report = _check(data, engines=engines)
        assert not report["ok"] and report["consistent"], report
        assert list(report["damaged_document_files"]) == [damaged]
        assert report["orphan_files"] == ["0000stray0000000"]
        assert report["orphan_originals"] == [f"ab/{'ab' * 32}"]
        repaired = _check(data, "--repair", engines=engines)
        assert repaired["ok"] and repaired["reread"] == [damaged], repaired
        assert sorted(repaired["quarantined"]) == ["docs/0000stray0000000.json", f"originals/ab/{'ab' * 32}"]
        assert store.document(damaged).passages and store.orphans() == []
        assert repaired["manifest"] == repaired["search"] == repaired["graph"] == store.count()
    finally:
        store.close()


def test_on_postgresql_the_commit_moves_the_staged_record_in_the_same_transaction(
    database_url: str, folder: Path, data: Path
) -> None:
    store = open_store(data, database_url=database_url)
    try:
        _ingest(store, folder)
        doc_id, dropped = store.doc_ids()[:2]
        changed = store.document(doc_id)
        changed.title = "Ny tittel"
        with store.writing():
            journal = store.begin(Change(add=[changed], drop=[dropped]))
            assert store.apply(journal)  # the commit alone, before the journal's tidying
            assert store.document(doc_id).title == "Ny tittel" and store.stray_staging() == []
            assert not store.files.exists(dropped)
            store.finish(journal)
        assert store.journal() is None and store.document(doc_id).title == "Ny tittel"
    finally:
        store.close()
