"""Damaged stores (issue 10, items 5, 10 and 17): a manifest that cannot be read stops whoever opens it
and deletes nothing; a sink write that fails leaves no half-applied change behind; a damaged document
file or search index is reported by name, gives a clean error, and `check --repair` moves what it takes
away into a quarantine folder instead of deleting it."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from api.services import Services
from api.settings import Settings
from ingest.store import Change, DocumentStore
from search import open_index
from tests.conftest import CORPUS

SOURCES = ["ostfold-handlingsplan-2023-2024.txt", "vestre-viken-ringerike-orientering.txt"]
ANOTHER = CORPUS / "vestfold-handlingsplan-2023.txt"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("stores") / "data"
    with Services(Settings(data_dir=data), write=True) as services:
        reports = list(services.ingestor().run([CORPUS / name for name in SOURCES]))
        services.documents.close()  # the manifest checkpointed into its file, as a stopped server leaves it
    assert [r.status for r in reports] == ["ingested", "ingested"], [r.line() for r in reports]
    return data


@pytest.fixture
def data(ingested: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ingested, target)
    target.chmod(0o700)  # as the CLI keeps it (api/private.py), so that no warning of that comes first
    return target


def _hfkg(
    data: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _stored(data: Path) -> tuple[set[str], set[str], set[str]]:
    """What docs/, the search index and the graph hold, read without the manifest."""
    docs = {p.stem for p in (data / "docs").glob("*.json")}
    with Services(Settings(data_dir=data)) as services:
        return docs, services.search.doc_ids(), services.graph.doc_ids()


def _one_clear_line(err: str, *words: str) -> None:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("hfkg: "), err
    for word in words:
        assert word in lines[0], err


def _without_wal(data: Path) -> None:
    for suffix in ("-wal", "-shm"):
        (data / f"manifest.sqlite{suffix}").unlink(missing_ok=True)


def _empty_manifest_file(data: Path) -> None:
    _without_wal(data)
    (data / "manifest.sqlite").write_bytes(b"")


def _fresh_manifest(data: Path, tmp_path: Path) -> None:
    """A valid manifest that names no document, put in place of the real one (a restore gone wrong)."""
    fresh = DocumentStore(tmp_path / "fresh")
    with fresh.writing():
        fresh.commit(Change())
    fresh.close()
    _without_wal(data)
    shutil.copy(tmp_path / "fresh" / "manifest.sqlite", data / "manifest.sqlite")


def _serve(data: Path) -> subprocess.CompletedProcess[str]:
    """`hfkg serve` that must refuse to start; a server that starts anyway is killed and fails the test."""
    try:
        return _hfkg(data, "serve", "--port", "0", timeout=30)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the server started on damaged stores: {exc.stderr!r}") from exc


# -- item 5: a manifest that cannot be read ------------------------------------------------------------
def test_an_empty_manifest_file_stops_ingest_and_deletes_nothing(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(data)
    _empty_manifest_file(data)
    code, _, err = _run(capsys, data, "ingest", str(ANOTHER))
    assert code != 0
    _one_clear_line(err, "manifest.sqlite")
    assert _stored(data) == before


def test_an_empty_manifest_file_stops_check_and_repair(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(data)
    _empty_manifest_file(data)
    code, out, _ = _run(capsys, data, "check", "--repair", "--json")
    report = json.loads(out)
    assert code == 1 and "manifest.sqlite" in report["unreadable"]["manifest"], report
    assert _stored(data) == before
    code, out, _ = _run(capsys, data, "check")
    assert code == 1 and "manifest unreadable" in out and "manifest.sqlite" in out, out


@pytest.mark.parametrize("damage", ["empty file", "manifest naming nothing"])
def test_the_server_refuses_a_manifest_it_cannot_trust(damage: str, data: Path, tmp_path: Path) -> None:
    before = _stored(data)
    if damage == "empty file":
        _empty_manifest_file(data)
    else:
        _fresh_manifest(data, tmp_path)
    served = _serve(data)
    assert served.returncode != 0
    _one_clear_line(served.stderr, "manifest")
    assert _stored(data) == before


def test_a_half_overwritten_manifest_is_a_clear_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _without_wal(data)
    path = data / "manifest.sqlite"
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.write(random.Random(5).randbytes(size // 2))
    for command in (["documents"], ["search", "kommunene"], ["ingest", str(ANOTHER)]):
        code, _, err = _run(capsys, data, *command)
        assert code != 0, command
        _one_clear_line(err, "manifest.sqlite")
    code, out, _ = _run(capsys, data, "check", "--json")
    assert code == 1 and "manifest.sqlite" in json.loads(out)["unreadable"]["manifest"]


def test_repair_refuses_a_manifest_that_names_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(data)
    _fresh_manifest(data, tmp_path)
    code, out, err = _run(capsys, data, "check", "--repair")
    assert code != 0
    assert "refus" in (out + err) and not (data / "quarantine").exists(), out + err
    assert _stored(data) == before


def test_repair_moves_what_the_manifest_cannot_account_for_into_quarantine(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uploads = data / "uploads"
    uploads.mkdir()
    kept = uploads / "0123456789ab-handlingsplan.txt"  # an upload the manifest records
    shutil.copy(ANOTHER, kept)
    assert _run(capsys, data, "ingest", str(kept))[0] == 0
    stray = uploads / "ba9876543210-interrupted.txt"  # one it does not: an upload interrupted hours ago
    stray.write_text("Halvveis lastet opp.", encoding="utf-8")
    hours_ago = time.time() - 7200
    os.utime(stray, (hours_ago, hours_ago))
    arriving = uploads / "c0ffee000000-arriving.txt"  # one stored just now, its ingest not yet done
    arriving.write_text("På vei inn.", encoding="utf-8")
    doc_file = next((data / "docs").glob("*.json"))
    orphan = data / "docs" / "0000orphan000000.json"
    shutil.copy(doc_file, orphan)

    code, out, _ = _run(capsys, data, "check", "--json")
    report = json.loads(out)
    assert code == 1 and not report["ok"], report
    assert report["orphan_files"] == ["0000orphan000000"] and report["unaccounted_uploads"] == [stray.name]
    assert report["uploads_in_progress"] == [arriving.name]

    code, out, _ = _run(capsys, data, "check", "--repair")
    assert code == 0, out
    assert "quarantine" in out and stray.name in out and "0000orphan000000" in out, out
    (moved,) = (data / "quarantine").iterdir()
    assert (moved / "docs" / orphan.name).read_bytes() == doc_file.read_bytes()
    assert (moved / "uploads" / stray.name).read_text(encoding="utf-8") == "Halvveis lastet opp."
    assert not orphan.exists() and not stray.exists() and kept.exists() and arriving.exists()
    assert _run(capsys, data, "check")[0] == 0


def test_repair_keeps_a_copy_of_what_the_stores_held_beyond_the_manifest(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = "0000stray0000000"
    with Services(Settings(data_dir=data), write=True) as services:
        doc = services.documents.document(services.documents.summaries()[0]["doc_id"])
        doc.doc_id = stray  # in the index and the graph, never in the manifest
        services.search.apply([doc], [])
        services.graph.apply([doc], [])
    code, out, _ = _run(capsys, data, "check", "--repair", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"], report
    (moved,) = (data / "quarantine").iterdir()
    kept = (moved / "graph" / f"{stray}.nt").read_text(encoding="utf-8")
    assert kept.count("\n") > 10 and stray in kept
    index = open_index(moved / "search")
    try:
        assert stray in index.doc_ids()
    finally:
        index.close()
    assert stray not in _stored(data)[1] | _stored(data)[2]


# -- item 10: a sink write that fails ------------------------------------------------------------------
def _ingest_with_faults(data: Path, tmp_path: Path, faults: str) -> list[dict[str, object]]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a-" + SOURCES[0], "b-" + SOURCES[1]):
        shutil.copy(CORPUS / name[2:], folder / name)
    run = _hfkg(data, "ingest", str(folder), "--json", env={**os.environ, "HFKG_CRASHPOINT": faults})
    return [json.loads(line) for line in run.stdout.splitlines()]


def _assert_whole(data: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, _ = _run(capsys, data, "check", "--json")
    report = json.loads(out)
    assert code == 0 and report["consistent"] and report["manifest"] == report["search"] == report["graph"], (
        report
    )
    code, out, _ = _run(capsys, data, "search", "Østfold", "--json")
    hits = json.loads(out)["hits"]
    assert code == 0
    with Services(Settings(data_dir=data)) as services:
        for hit in hits:  # every hit leads to its document
            services.documents.document(hit["doc_id"])
    return report


@pytest.mark.parametrize(
    "faults",
    [
        "SearchSink-applied:1:raise",  # the graph write after the index write fails once
        # ... and undoing the change fails too: the next writer (here the next file's) undoes it
        "SearchSink-applied:1:raise,SearchSink-applied:2:raise",
    ],
)
def test_a_sink_write_that_fails_leaves_no_half_change(
    faults: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    reports = _ingest_with_faults(data, tmp_path, faults)
    assert [r["status"] for r in reports] == ["error", "ingested"], reports
    report = _assert_whole(data, capsys)
    assert report["manifest"] == 1  # the failed file's change was undone, as its report said
    code, out, _ = _run(capsys, data, "ingest", str(tmp_path / "in"))
    assert code == 0 and out.split()[0] == "ingested", out
    assert _assert_whole(data, capsys)["manifest"] == 2


# -- item 17: damaged document files and search index --------------------------------------------------
def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def test_a_truncated_document_file_is_a_named_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged, missing = sorted(p.stem for p in (data / "docs").glob("*.json"))
    _truncate(data / "docs" / f"{damaged}.json")
    with TestClient(create_app(Settings(data_dir=data)), raise_server_exceptions=False) as client:
        response = client.get(f"/documents/{damaged}")
        assert response.status_code == 500, response.text
        error = response.json()["error"]
        assert error["code"] == "damaged_document" and damaged in error["message"], error
        (data / "docs" / f"{missing}.json").unlink()
        assert client.get(f"/documents/{missing}").json()["error"]["code"] == "damaged_document"
    code, _, err = _run(capsys, data, "document", damaged)
    assert code != 0
    _one_clear_line(err, damaged)
    code, out, _ = _run(capsys, data, "check", "--json")
    report = json.loads(out)
    assert (
        code == 1
        and set(report["damaged_document_files"]) == {damaged}
        and report["missing_document_files"] == [missing]
    ), report
    # Their sources still hold what was ingested: repair reads them again.
    code, out, _ = _run(capsys, data, "check", "--repair", "--json")
    report = json.loads(out)
    assert code == 0 and sorted(report["reread"]) == sorted([damaged, missing]), report
    assert _run(capsys, data, "document", damaged)[0] == 0 and _run(capsys, data, "document", missing)[0] == 0


def test_a_damaged_document_file_without_its_source_is_kept_and_reported(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.txt"
    shutil.copy(ANOTHER, source)
    assert _run(capsys, data, "ingest", str(source))[0] == 0
    source.unlink()
    (doc_id,) = [d["doc_id"] for d in DocumentStore(data).summaries() if d["source"].endswith("plan.txt")]
    path = data / "docs" / f"{doc_id}.json"
    _truncate(path)
    damaged = path.read_bytes()
    code, out, _ = _run(capsys, data, "check", "--repair")
    assert code == 1 and doc_id in out and "damaged" in out, out
    assert path.read_bytes() == damaged  # nothing to mend it from: reported, left as it is


def _corrupt_search_segment(data: Path) -> None:
    segment = max((data / "search").glob("*.seg"), key=lambda p: p.stat().st_size)
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])


def test_the_server_refuses_a_corrupt_search_index_with_one_line(data: Path) -> None:
    _corrupt_search_segment(data)
    served = _serve(data)
    assert served.returncode != 0
    _one_clear_line(served.stderr, "search index", "hfkg check --repair")


def test_check_reports_a_corrupt_search_index_and_repair_rebuilds_it(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _corrupt_search_segment(data)
    code, out, _ = _run(capsys, data, "check", "--json")
    report = json.loads(out)
    assert code == 1 and "search" in report["unreadable"], report
    code, out, _ = _run(capsys, data, "check", "--repair")
    assert code == 0 and "quarantine" in out, out
    (moved,) = (data / "quarantine").iterdir()
    assert list((moved / "search").glob("*.seg"))  # the damaged index, kept
    _assert_whole(data, capsys)


def test_check_reports_an_unreadable_graph(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "graph" / "CURRENT").write_text("MANIFEST-999999\n")
    code, out, _ = _run(capsys, data, "check", "--json")
    report = json.loads(out)
    assert code == 1 and "graph" in report["unreadable"], report
