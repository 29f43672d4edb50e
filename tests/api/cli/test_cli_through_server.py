"""With `hfkg serve` running on the data directory, the read commands ask the server instead of opening
its stores, and print what they print without one; a server that holds the data directory but does not
answer is reported, never bypassed.

That a command did not open the stores is shown by giving it a data directory that has none: a folder
holding only the server's lock (a hard link to the same file, so the lock the server holds is seen)
and a copy of its server.json. A command that read the stores itself would find nothing there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.local_server import SERVER_FILE, SERVER_LOCK
from tests.api.test_app_support import copy_of_corpus_data
from tests.security.running_server import cli, free_port, start, stop, wait_ready

ROOT = Path(__file__).resolve().parents[3]
QUESTIONS = ROOT / "tests" / "data" / "eval_questions.json"


def hfkg(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli(data, *args, umask=0o077)


def _commands(data: Path) -> list[list[str]]:
    docs = json.loads(hfkg(data, "documents", "--json").stdout)
    entities = json.loads(hfkg(data, "entities", "--json", "--limit", "3").stdout)["entities"]
    return [
        ["documents"],
        ["documents", "--json"],
        *[["document", d["doc_id"], *j] for d in docs[:3] for j in ([], ["--json"])],
        ["document", "finnesikke"],
        ["search", "skrøpelige eldre"],
        ["search", "fagutvalg", "--decisions", "--json", "--limit", "3"],
        ["search", "kommune", "--year", "2023", "--type", "referat", "--json"],
        ["ask", "Hvilke tiltak retter seg mot skrøpelige eldre?"],
        ["ask", "Hvilke kommuner deltar i Vitality?", "--json"],
        ["eval", str(QUESTIONS), "--json"],
        ["entities", "--type", "municipality"],
        ["entities", "--q", "vest", "--json"],
        *[["entity", e["id"], *j] for e in entities for j in ([], ["--json"])],
        ["entity", "finnes/ikke"],
        ["export", "--format", "nquads"],
        ["export"],
        ["check"],
        ["check", "--json"],
    ]


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, Path, dict[tuple[str, ...], list[object]]]]:
    """The corpus data directory, what each command prints on it with no server, and then, with a
    server running, a folder holding only the server's lock and server.json."""
    data = copy_of_corpus_data(tmp_path_factory, "cli-through-server")
    commands = _commands(data)
    alone = {tuple(c): _result(hfkg(data, *c)) for c in commands}
    process, base = start(data, port=free_port())
    try:
        wait_ready(process, base, data)
        view = tmp_path_factory.mktemp("view") / "data"
        view.mkdir(mode=0o700)
        os.link(data / SERVER_LOCK, view / SERVER_LOCK)
        shutil.copy(data / SERVER_FILE, view / SERVER_FILE)
        yield data, view, alone
    finally:
        stop(process)


def _result(done: subprocess.CompletedProcess[str]) -> list[object]:
    return [done.returncode, done.stdout, done.stderr if done.returncode else ""]


def test_read_commands_print_the_same_through_the_server(
    served: tuple[Path, Path, dict[tuple[str, ...], list[object]]],
) -> None:
    _, view, alone = served
    assert sum(1 for r in alone.values() if r[0] == 0) >= 20, alone
    for command, expected in alone.items():
        assert _result(hfkg(view, *command)) == expected, command
    assert not (view / "manifest.sqlite").exists() and sorted(p.name for p in view.iterdir()) == sorted(
        [SERVER_LOCK, SERVER_FILE]
    )


def test_the_data_directory_itself_reads_through_the_server(
    served: tuple[Path, Path, dict[tuple[str, ...], list[object]]],
) -> None:
    data, _, alone = served
    assert _result(hfkg(data, "documents", "--json")) == alone[("documents", "--json")]
    assert _result(hfkg(data, "check")) == alone[("check",)]


def test_repair_refuses_while_a_server_runs(
    served: tuple[Path, Path, dict[tuple[str, ...], list[object]]],
) -> None:
    _, view, _ = served
    done = hfkg(view, "check", "--repair")
    assert done.returncode == 2 and "stop it before `hfkg check --repair`" in done.stderr, done.stderr


def test_a_server_that_does_not_answer_is_reported(
    served: tuple[Path, Path, dict[tuple[str, ...], list[object]]], tmp_path: Path
) -> None:
    data, _, _ = served
    mute = tmp_path / "data"
    mute.mkdir(mode=0o700)
    os.link(data / SERVER_LOCK, mute / SERVER_LOCK)  # held by the running server
    info = json.loads((data / SERVER_FILE).read_text(encoding="utf-8"))
    (mute / SERVER_FILE).write_text(json.dumps({**info, "url": f"http://127.0.0.1:{free_port()}"}))
    for command in (["documents"], ["search", "eldre"], ["check"], ["ingest", str(QUESTIONS)]):
        done = hfkg(mute, *command)
        assert done.returncode == 2, (command, done)
        assert "does not answer" in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert done.stdout == "", command


def test_a_dead_servers_file_is_ignored(
    served: tuple[Path, Path, dict[tuple[str, ...], list[object]]], tmp_path: Path
) -> None:
    data, _, alone = served
    copy = tmp_path / "data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("snapshots"))
    (copy / SERVER_LOCK).unlink()  # a fresh lock file, which nobody holds: the server.json is stale
    (copy / SERVER_LOCK).touch()
    assert _result(hfkg(copy, "documents", "--json")) == alone[("documents", "--json")]
