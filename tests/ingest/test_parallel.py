"""Parallel ingest (ingest/parallel.py): worker processes read, segment and extract, this process
commits in order, and the stores end as a serial run leaves them; a file a worker rejects, dies on or
overruns gets its report line, and the others go on."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from api.services import Services
from api.settings import Settings
from ingest.extract import Extractor
from ingest.model import Document
from ingest.normalise import normalise
from ingest.parallel import ParallelIngest, Stats
from ingest.pipeline import FileReport
from ingest.readers import read_file
from ingest.registry_view import stands
from ingest.segment import segment
from tests.conftest import CORPUS, ROOT, make_ingestor
from tests.ingest.readers.office_files import docx_bytes
from tests.ingest.test_attachments import message

OTHER_REGIONS = ROOT / "tests" / "data" / "other-regions-4"
SEARCHES = ("legevakt", "skrøpelige eldre", "Vitality", "fagutvalg", "utskrivningsklare pasienter")


def _folder(tmp_path: Path) -> Path:
    """The corpus (bundled files of one helsefellesskap that name each other's committees, people and
    projects), files of other regions, minutes as a Word file, an e-mail with two attachments,
    and two files no reader takes."""
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder / "corpus")
    shutil.copytree(OTHER_REGIONS, folder / "regions")
    (folder / "office").mkdir()
    (folder / "office" / "referat.docx").write_bytes(docx_bytes())
    (folder / "sakspapirer.eml").write_bytes(bytes(message()))
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "ødelagt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    return folder


def _ingest(paths: list[Path], data: Path, jobs: int, **options: Any) -> tuple[list[FileReport], Stats]:
    with Services(Settings(data_dir=data), write=True) as services:
        runner = ParallelIngest(services.ingestor(), jobs, **options)
        return list(runner.run(paths)), runner.stats


def _stores(data: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """What the stores hold, as the command line reads them: the graph as sorted N-Quads, the
    documents (without the time they were ingested), each document's JSON, and searches."""
    capsys.readouterr()
    assert main(["--data", str(data), "export", "--format", "nquads"]) == 0
    quads = sorted(set(capsys.readouterr().out.splitlines()))
    assert main(["--data", str(data), "documents", "--json"]) == 0
    documents = json.loads(capsys.readouterr().out)
    for doc in documents:
        doc.pop("ingested_at", None)
    details = {}
    for doc in documents:
        assert main(["--data", str(data), "document", doc["doc_id"], "--json"]) == 0
        detail = json.loads(capsys.readouterr().out)
        detail.pop("ingested_at", None)
        details[doc["doc_id"]] = detail
    found = {}
    for query in SEARCHES:
        assert main(["--data", str(data), "search", query, "--limit", "50", "--json"]) == 0
        found[query] = json.loads(capsys.readouterr().out)
    return {"quads": quads, "documents": documents, "details": details, "searches": found}


def test_two_workers_leave_the_stores_a_serial_run_leaves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path)
    serial, _ = _ingest([folder], tmp_path / "one", jobs=1)
    parallel, stats = _ingest([folder], tmp_path / "two", jobs=2)

    assert [r.to_dict() for r in parallel] == [r.to_dict() for r in serial]
    assert {r.status for r in serial} == {"ingested", "rejected"}
    assert stats.documents > 10
    # The corpus's documents name what earlier ones registered: some were read again here, with the
    # registry as a serial run has it at their turn (without that, the graphs differ).
    assert stats.extracted_again > 0
    one, two = _stores(tmp_path / "one", capsys), _stores(tmp_path / "two", capsys)
    # The workers read every file's documents; the e-mail's two attachments become documents here.
    assert one["quads"] and len(one["documents"]) == stats.documents + 2
    assert sum("/dc/terms/hasPart>" in quad for quad in one["quads"]) == 2  # message -> attachment
    for part in ("quads", "documents", "details", "searches"):
        assert two[part] == one[part], part


def test_a_document_stands_unless_the_names_registered_since_touch_it(tmp_path: Path) -> None:
    """``stands`` against real extraction: a corpus document read with an empty registry, then with
    the registry the other corpus files leave (which names its committees and people: the reading
    differs, and ``stands`` says so), and with that registry's names of other regions only (the
    reading is the same, and ``stands`` says so)."""
    target = CORPUS / "vestfold-ssu-fsu-moter-arsmelding-2023-2024.txt"
    store = make_ingestor(tmp_path / "data").store
    list(make_ingestor(tmp_path / "data").run([p for p in sorted(CORPUS.iterdir()) if p != target]))
    shutil.copytree(OTHER_REGIONS, tmp_path / "regions")
    list(make_ingestor(tmp_path / "data").run([tmp_path / "regions"]))
    registry = store.registry()
    raw, data = read_file(target, max_bytes=10**8)
    pristine = segment(raw, normalise(raw), data)[1]
    extractor = Extractor()

    def extracted(known: dict[str, Any]) -> Document:
        doc = pickle.loads(pickle.dumps(pristine))
        extractor.extract(doc, known)
        return doc

    alone = extracted({})
    assert extracted(registry).to_dict() != alone.to_dict()
    assert not stands(pristine, alone, {}, registry)
    others = {k: v for k, v in registry.items() if v.get("fellesskap") not in (None, pristine.fellesskap)}
    assert others and len(others) < len(registry)
    assert extracted(others).to_dict() == alone.to_dict()
    assert stands(pristine, alone, {}, others)


def test_a_worker_that_dies_costs_its_file_an_error_line_and_the_rest_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(CORPUS.glob("*.txt"))[:4]
    folder = tmp_path / "in"
    folder.mkdir()
    for path in files:
        shutil.copy(path, folder / path.name)
    victim = files[1].name
    # Kills whichever worker process reads that file (ingest/crashpoints.py), each time it is read.
    monkeypatch.setenv("HFKG_CRASHPOINT", f"read-{victim}")
    reports, stats = _ingest([folder], tmp_path / "data", jobs=2)

    status = {Path(r.path).name: r for r in reports}
    assert status[victim].status == "error"
    assert "worker process" in (status[victim].reason or "")
    assert {n: r.status for n, r in status.items() if n != victim} == dict.fromkeys(
        [p.name for p in files if p.name != victim], "ingested"
    )
    assert stats.restarts >= 2  # the pool the file broke, and the one it broke again alone
    monkeypatch.delenv("HFKG_CRASHPOINT")
    assert main(["--data", str(tmp_path / "data"), "check"]) == 0
    again, _ = _ingest([folder], tmp_path / "data", jobs=2)
    assert {Path(r.path).name: r.status for r in again}[victim] in ("ingested", "duplicate")


def test_a_file_over_the_time_limit_is_stopped_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    reports, stats = _ingest([folder], tmp_path / "data", jobs=2, time_limit=0.001)

    assert [r.status for r in reports] == ["error", "error"]
    assert all("took over 0.001 s" in (r.reason or "") for r in reports)
    assert stats.restarts >= 2
    with Services(Settings(data_dir=tmp_path / "data")) as services:
        assert services.documents.summaries() == []  # nothing committed, nothing half-done
    reports, _ = _ingest([folder], tmp_path / "data", jobs=2)
    assert [r.status for r in reports] == ["ingested", "ingested"]


def test_hfkg_ingest_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    assert main(["--data", str(tmp_path / "one"), "ingest", "--jobs", "1", str(folder)]) == 0
    one = capsys.readouterr()
    assert main(["--data", str(tmp_path / "two"), "ingest", "--jobs", "2", str(folder)]) == 0
    two = capsys.readouterr()
    assert two.out == one.out and two.err == one.err
    assert "5 files: 5 ingested (1 earlier document now a duplicate)" in two.err
    assert main(["--data", str(tmp_path / "two"), "ingest", "--jobs", "0", str(folder)]) == 2
    assert "--jobs" in capsys.readouterr().err


def _sigint_as_at_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_until_stopped(pid: int, timeout_s: float = 120.0) -> None:
    """Until the process is stopped (state T in /proc/PID/stat)."""
    deadline = time.monotonic() + timeout_s
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
        assert time.monotonic() < deadline, "the ingest did not stop at its crash point"
        time.sleep(0.02)


def test_ctrl_c_stops_the_workers_and_loses_nothing_committed(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the terminal's process group) during ``hfkg ingest --jobs 2``: exit 130, every
    file reported is in the stores, the stores are consistent, and the next run does the rest."""
    folder = tmp_path / "in"
    for n in range(4):  # the corpus four times over: work enough to be interrupted in the middle
        shutil.copytree(CORPUS, folder / f"kopi-{n}")
    hfkg = [sys.executable, "-m", "api.cli", "--data", str(tmp_path / "data")]
    # The command stops itself after its second file is reported (a crash point's "stop"), so that
    # Ctrl-C lands in the middle of the run however fast the machine is or how loaded; while it is
    # stopped the workers read on and fill the pipe their readings come back by, as when Ctrl-C comes
    # during a slow commit (a worker killed mid-write had left the command waiting for good).
    process = subprocess.Popen(
        [*hfkg, "ingest", "--jobs", "2", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
        env={**os.environ, "HFKG_CRASHPOINT": "file-reported:2:stop"},
        # As a terminal starts it: a shell without job control (a CI runner's background job)
        # starts its children with SIGINT ignored, and Python then never turns Ctrl-C into
        # KeyboardInterrupt.
        preexec_fn=_sigint_as_at_a_terminal,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("ingested"), first
    _wait_until_stopped(process.pid)
    time.sleep(2.0)  # the workers finish their files meanwhile and wait to hand them over
    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGCONT)
    rest, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "avbrutt" in err
    reported = [first, *rest.splitlines()]
    assert len(reported) < 20

    check = subprocess.run([*hfkg, "check"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    again = subprocess.run(
        [*hfkg, "ingest", "--jobs", "2", str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert again.returncode == 0, again.stderr
    status = {
        line.split()[1].rstrip(":"): line.split()[0]
        for line in again.stdout.splitlines()
        if line.split()[0] in ("ingested", "unchanged", "duplicate", "rejected", "error")
    }
    assert len(status) == 20 and "error" not in status.values()
    committed = [
        line.split()[1].rstrip(":") for line in reported if line.split()[0] in ("ingested", "duplicate")
    ]
    assert committed and all(status[path] == "unchanged" for path in committed)
