"""The copies of original files in ``<data>/originals/``: one per content, written with the journaled
commit (a kill leaves no document without its copy, and no copy `hfkg check` does not report), gone
when no document uses it any more, verified by `hfkg check` and mended by `--repair`."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from ingest.store import Change, DocumentStore
from tests.api.test_crash_safety import Engines, _hfkg
from tests.conftest import CORPUS

KEY = "test-key-originals"


def _check(data: Path, *args: str, engines: Engines = Engines()) -> dict:  # type: ignore[type-arg]
    run = _hfkg(data, "check", "--json", *args, env=engines.env)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copies(data: Path) -> set[str]:
    folder = data / "originals"
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three corpus files and a fourth with the bytes of the first."""
    folder = tmp_path / "in"
    folder.mkdir()
    names = sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".txt")[:3]
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    shutil.copy(CORPUS / names[0], folder / f"kopi-{names[0]}")
    return folder


def test_ingest_keeps_one_copy_per_content(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _hfkg(data, "ingest", str(folder)).returncode == 0
    files = sorted(p for p in folder.iterdir())
    assert _copies(data) == {_sha(p) for p in files}  # the duplicate shares its copy: three, not four
    for sha in _copies(data):
        copy = data / "originals" / sha[:2] / sha
        assert _sha(copy) == sha and copy.stat().st_mode & 0o077 == 0
    store = DocumentStore(data)
    for key, entry in store.sources().items():
        assert entry.get("original") == (entry["sha256"] if entry["doc_ids"] else None), key
    assert _check(data)["ok"]


def test_a_changed_file_replaces_its_copy_and_a_deleted_document_takes_it(
    folder: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert _hfkg(data, "ingest", str(folder)).returncode == 0
    changed = sorted(folder.iterdir())[-1]
    before = _sha(changed)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nTillegg: Kvitebjørnutvalget ble opprettet.\n")
    assert _hfkg(data, "ingest", str(folder)).returncode == 0
    assert _sha(changed) in _copies(data) and before not in _copies(data)
    assert _check(data)["ok"]

    store = DocumentStore(data)
    entry = store.source(str(changed.resolve())) or {}
    with TestClient(create_app(Settings.from_env(str(data), api_key=KEY))) as client:
        for doc_id in entry["doc_ids"]:
            r = client.delete(f"/documents/{doc_id}", headers={"X-API-Key": KEY})
            assert r.status_code == 200, r.text
    assert _sha(changed) not in _copies(data)
    assert _check(data)["ok"]


@pytest.mark.parametrize("step", ["originals-written", "documents-written", "manifest-written"])
def test_a_kill_leaves_no_document_without_its_copy_nor_a_copy_unnamed(
    step: str, engines: Engines, folder: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    killed = _hfkg(data, "ingest", str(folder), env=engines.crash(step, 2))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    report = _check(data, engines=engines)  # finishes or undoes the change first
    assert report["ok"], report
    store = engines.store(data)

    def copies() -> set[str]:
        return {name.rpartition("/")[2] for name in store.originals.files()}

    named = {e["original"] for e in store.sources().values() if e.get("doc_ids")}
    assert copies() == named
    assert _hfkg(data, "ingest", str(folder), env=engines.env).returncode == 0
    assert copies() == {_sha(p) for p in folder.iterdir()} and _check(data, engines=engines)["ok"]
    store.close()


def test_check_reports_and_repair_mends_the_copies(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _hfkg(data, "ingest", str(folder)).returncode == 0
    first = sorted(folder.iterdir())[0]
    sha = _sha(first)
    (data / "originals" / sha[:2] / sha).write_bytes(b"x" * first.stat().st_size)  # damaged, same size
    stray = data / "originals" / "ab" / "ikke-en-kopi"
    stray.parent.mkdir(exist_ok=True)
    stray.write_text("?")
    report = _check(data)
    assert not report["ok"]
    assert report["orphan_originals"] == ["ab/ikke-en-kopi"]
    assert len(report["missing_originals"]) == 1 and report["missing_originals"][0].endswith(first.name)

    repaired = _check(data, "--repair")
    assert repaired["ok"], repaired
    assert len(repaired["recopied"]) == 1 and _sha(data / "originals" / sha[:2] / sha) == sha
    assert len(repaired["quarantined"]) == 2  # the stray file and the damaged copy: moved, not deleted


def test_repair_copies_the_originals_of_a_data_directory_from_before(folder: Path, tmp_path: Path) -> None:
    """A data directory an older version wrote (no ``original``, no originals/) checks as it did,
    and `--repair` copies in each original whose file is still there with the same bytes."""
    data = tmp_path / "data"
    assert _hfkg(data, "ingest", str(folder)).returncode == 0
    store = DocumentStore(data)
    store.commit(
        Change(
            sources={k: {x: v for x, v in e.items() if x != "original"} for k, e in store.sources().items()}
        )
    )
    shutil.rmtree(data / "originals", ignore_errors=True)
    assert _check(data)["ok"]
    gone = sorted(folder.iterdir())[-1]  # one that holds documents (not the duplicate)
    gone.write_text("endret etter innlesing", encoding="utf-8")
    repaired = _check(data, "--repair")
    assert repaired["ok"] and len(repaired["recopied"]) == 2
    assert _sha(gone) not in _copies(data) and len(_copies(data)) == 2
