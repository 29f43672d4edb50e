"""kill -9 of `hfkg ingest` at every step of the commit protocol, and at random moments (bounded): the
next process to open the data directory finds manifest, search index and graph consistent (it
finishes a change left in the journal first, or undoes one killed before it was ready), readers see
whole files only, no file is left that nothing names, and the next ingest finishes the work.

On both set-ups, with the same assertions: the embedded engines (the data directory alone), and the
server engines (HFKG_DATABASE_URL: a new PostgreSQL database per test for the search index and the
ingest store; HFKG_GRAPH_ENDPOINT: an oxigraph server of this session, emptied before each test)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.corpus_gen import generate
from ingest.store import DocumentStore, open_store
from tests.conftest import CORPUS
from tests.graph.conftest import oxigraph_endpoint  # noqa: F401 (the session's oxigraph server)

KILLS = 4
# Every step of ingest.store's protocol, in order; the third change of the run is the one killed.
STEPS = [
    "documents-written",
    "journal-written",
    "SearchSink-applied",
    "graph-applied",  # the graph sink's step: GraphStore-applied, or RemoteGraphStore-applied
    "manifest-written",
]
KILLED_CHANGE = 3


@dataclass(frozen=True)
class Engines:
    """The set-up a test runs the CLI on: the embedded engines, or the server engines' settings."""

    database_url: str | None = None
    graph_endpoint: str | None = None

    @property
    def env(self) -> dict[str, str]:
        settings = {"HFKG_DATABASE_URL": self.database_url, "HFKG_GRAPH_ENDPOINT": self.graph_endpoint}
        return {**os.environ, **{k: v for k, v in settings.items() if v}}

    def crash(self, step: str, change: int) -> dict[str, str]:
        if step == "graph-applied":
            step = f"{'Remote' if self.graph_endpoint else ''}GraphStore-applied"
        return {**self.env, "HFKG_CRASHPOINT": f"{step}:{change}"}

    def store(self, data: Path) -> DocumentStore:
        return open_store(data, database_url=self.database_url)


@pytest.fixture
def graph_server(oxigraph_endpoint: str) -> str:  # noqa: F811 (the fixture imported above)
    """The session's oxigraph server, emptied for this test."""
    request = urllib.request.Request(
        f"{oxigraph_endpoint}/update",
        data=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=30).read()
    return oxigraph_endpoint


@pytest.fixture(params=["embedded", "server"])
def engines(request: pytest.FixtureRequest) -> Iterator[Engines]:
    if request.param == "embedded":
        yield Engines()
        return
    yield Engines(request.getfixturevalue("database_url"), request.getfixturevalue("graph_server"))


def _hfkg(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def _check(data: Path, engines: Engines = Engines()) -> dict:  # type: ignore[type-arg]
    check = _hfkg(data, "check", "--json", env=engines.env)
    assert check.returncode in (0, 1), check.stderr
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["consistent"] and report["ok"], report
    assert report["manifest"] == report["search"] == report["graph"], report
    assert report["orphan_files"] == [] and not report["in_flight"], report
    return report  # type: ignore[no-any-return]


def _has_journal(data: Path, engines: Engines) -> bool:
    store = engines.store(data)
    try:
        return store.has_journal()
    finally:
        store.close()


def _staged(data: Path, engines: Engines) -> list[str]:
    store = engines.store(data)
    try:
        return store.files.staging_names(but=None)
    finally:
        store.close()


def _sources(data: Path, engines: Engines) -> set[str]:
    documents = json.loads(_hfkg(data, "documents", "--json", env=engines.env).stdout)
    return {d["source"].rsplit("/", 1)[-1] for d in documents}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    for path in sorted(CORPUS.iterdir()):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("step", STEPS)
def test_kill_at_each_step_of_a_commit(step: str, engines: Engines, folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    killed = _hfkg(data, "ingest", str(folder), "--json", env=engines.crash(step, KILLED_CHANGE))
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr)
    assert _has_journal(data, engines)  # the journal comes first: whatever a writer leaves, it names

    if step == "SearchSink-applied":
        # A reader comes first: it finishes the journal before it searches.
        found = _hfkg(data, "search", "kommunene", "--json", env=engines.env)
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["total"] > 0
        assert not _has_journal(data, engines)
    report = _check(data, engines)
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
    assert len(_sources(data, engines)) == committed

    again = _hfkg(data, "ingest", str(folder), "--json", env=engines.env)
    assert again.returncode == 0, again.stderr
    assert _sources(data, engines) == {p.name for p in folder.iterdir()}
    final = _check(data, engines)
    assert final["manifest"] == 11
    assert not _staged(data, engines) and not _has_journal(data, engines)
    if engines.database_url:  # the store is the database's: nothing of it in the data directory
        assert not (data / "manifest.sqlite").exists() and not (data / "docs").exists()


def test_a_live_journal_is_left_to_its_writer(engines: Engines, folder: Path, tmp_path: Path) -> None:
    """A journal whose writer still holds the lock is in flight, not hot: readers leave it alone and
    `check` reports its documents as being committed, not as a mismatch."""
    data = tmp_path / "data"
    env = engines.crash("SearchSink-applied", KILLED_CHANGE)
    assert _hfkg(data, "ingest", str(folder), env=env).returncode == -signal.SIGKILL
    writer = engines.store(data)
    with writer.writing() as mine:  # as a writer that is alive would (.write.lock, or the advisory lock)
        assert mine
        check = _hfkg(data, "check", "--json", env=engines.env)
        report = json.loads(check.stdout)
        assert check.returncode == 0 and report["consistent"] and report["in_flight"], report
        assert report["finished_interrupted"] is None and _has_journal(data, engines)
        assert report["search"] > report["manifest"]  # the index is ahead, as mid-commit
    writer.close()
    assert _check(data, engines)["finished_interrupted"]["generation"] == KILLED_CHANGE


def test_kill_at_random_moments_then_ingest_again(engines: Engines, tmp_path: Path) -> None:
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
            env=engines.env,
        )
        time.sleep(
            rng.uniform(1.5, 4.0)
        )  # the CLI starts in about 1.5 s; the first ingest takes longer than 4
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        # Whatever the moment, the next opener finds the stores consistent.
        check = _hfkg(data, "check", "--json", env=engines.env)
        report = json.loads(check.stdout)
        assert check.returncode == 0 and report["consistent"] and not report["in_flight"], report
    assert killed >= 1, "the ingests all finished before a kill: raise the corpus size"
    final = _hfkg(data, "ingest", str(folder), "--json", env=engines.env)
    assert final.returncode == 0, final.stderr
    report = _check(data, engines)
    expected = {p.name for p in folder.rglob("*.txt")}
    assert _sources(data, engines) == expected
    assert report["manifest"] == len(json.loads(_hfkg(data, "documents", "--json", env=engines.env).stdout))
