"""kill -9 of `hfkg ingest` at every step of the commit protocol, and at random moments (bounded): the
next process to open the data directory finds manifest, search index and graph consistent (it
finishes a change left in the journal first, or undoes one killed before it was ready), readers see
whole files only, no file is left that nothing names, and the next ingest finishes the work."""

from __future__ import annotations

import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus_gen import generate
from ingest.store import DocumentStore
from tests.conftest import CORPUS

KILLS = 4
# Every step of ingest.store's protocol, in order; the third change of the run is the one killed.
STEPS = [
    "documents-written",
    "journal-written",
    "SearchSink-applied",
    "GraphStore-applied",
    "manifest-written",
]
KILLED_CHANGE = 3


def _hfkg(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def _check(data: Path) -> dict:  # type: ignore[type-arg]
    check = _hfkg(data, "check", "--json")
    assert check.returncode in (0, 1), check.stderr
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["consistent"] and report["ok"], report
    assert report["manifest"] == report["search"] == report["graph"], report
    assert report["orphan_files"] == [] and not report["in_flight"], report
    return report  # type: ignore[no-any-return]


def _has_journal(data: Path) -> bool:
    store = DocumentStore(data)
    try:
        return store.has_journal()
    finally:
        store.close()


def _sources(data: Path) -> set[str]:
    documents = json.loads(_hfkg(data, "documents", "--json").stdout)
    return {d["source"].rsplit("/", 1)[-1] for d in documents}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    for path in sorted(CORPUS.iterdir()):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("step", STEPS)
def test_kill_at_each_step_of_a_commit(step: str, folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "HFKG_CRASHPOINT": f"{step}:{KILLED_CHANGE}"}
    killed = _hfkg(data, "ingest", str(folder), "--json", env=env)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr)
    assert _has_journal(data)  # the journal comes first: whatever a writer leaves, it names

    if step == "SearchSink-applied":
        # A reader comes first: it finishes the journal before it searches.
        found = _hfkg(data, "search", "kommunene", "--json")
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["total"] > 0
        assert not _has_journal(data)
    report = _check(data)
    if step == "documents-written":
        # Killed before its journal was ready: the change is undone, its document files with it.
        assert report["finished_interrupted"]["undone"], report
        committed = KILLED_CHANGE - 1
    else:
        # Killed after its journal: the change is finished, whichever of its steps had run.
        committed = KILLED_CHANGE
        if step != "SearchSink-applied":
            assert report["finished_interrupted"]["generation"] == KILLED_CHANGE
            assert report["finished_interrupted"]["already_committed"] == (step == "manifest-written")
    assert len(_sources(data)) == committed

    again = _hfkg(data, "ingest", str(folder), "--json")
    assert again.returncode == 0, again.stderr
    assert _sources(data) == {p.name for p in folder.iterdir()}
    final = _check(data)
    assert final["manifest"] == 11
    assert not list((data / "docs").glob(".staged/*")) and not _has_journal(data)


def test_a_live_journal_is_left_to_its_writer(folder: Path, tmp_path: Path) -> None:
    """A journal whose writer still holds the lock is in flight, not hot: readers leave it alone and
    `check` reports its documents as being committed, not as a mismatch."""
    data = tmp_path / "data"
    env = {**os.environ, "HFKG_CRASHPOINT": f"SearchSink-applied:{KILLED_CHANGE}"}
    assert _hfkg(data, "ingest", str(folder), env=env).returncode == -signal.SIGKILL
    with open(data / ".write.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a writer that is alive would
        check = _hfkg(data, "check", "--json")
        report = json.loads(check.stdout)
        assert check.returncode == 0 and report["consistent"] and report["in_flight"], report
        assert report["finished_interrupted"] is None and _has_journal(data)
        assert report["search"] > report["manifest"]  # the index is ahead, as mid-commit
    assert _check(data)["finished_interrupted"]["generation"] == KILLED_CHANGE


def test_kill_at_random_moments_then_ingest_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    generate(folder / "generated", 24, seed=3)
    data = tmp_path / "data"
    rng = random.Random(11)
    killed = 0
    for _ in range(KILLS):
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--data", str(data), "ingest", str(folder), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(
            rng.uniform(1.5, 4.0)
        )  # the CLI starts in about 1.5 s; the first ingest takes longer than 4
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        # Whatever the moment, the next opener finds the stores consistent.
        check = _hfkg(data, "check", "--json")
        report = json.loads(check.stdout)
        assert check.returncode == 0 and report["consistent"] and not report["in_flight"], report
    assert killed >= 1, "the ingests all finished before a kill: raise the corpus size"
    final = _hfkg(data, "ingest", str(folder), "--json")
    assert final.returncode == 0, final.stderr
    report = _check(data)
    expected = {p.name for p in folder.rglob("*.txt")}
    assert _sources(data) == expected
    assert report["manifest"] == len(json.loads(_hfkg(data, "documents", "--json").stdout))
