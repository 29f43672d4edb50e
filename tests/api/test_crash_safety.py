"""kill -9 of `hfkg ingest` at random moments (bounded): the stores stay consistent or are made so by
the next ingest, which finishes the work."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus_gen import generate
from tests.conftest import CORPUS

KILLS = 4


def _hfkg(data: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "api.cli", "--data", str(data), *args],
                          capture_output=True, text=True, timeout=600, **kwargs)


def test_kill_during_ingest_then_ingest_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    generate(folder / "generated", 8, seed=3)
    data = tmp_path / "data"
    rng = random.Random(11)
    killed = 0
    for _ in range(KILLS):
        process = subprocess.Popen([sys.executable, "-m", "api.cli", "--data", str(data), "ingest", str(folder),
                                    "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 6.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        # Whatever the moment, the stores can be read and compared.
        check = _hfkg(data, "check", "--json")
        assert check.returncode in (0, 1), check.stderr
        json.loads(check.stdout)
    assert killed >= 1, "the ingests all finished before a kill: raise the corpus size"
    final = _hfkg(data, "ingest", str(folder), "--json")
    assert final.returncode == 0, final.stderr
    check = _hfkg(data, "check", "--json")
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["consistent"], report
    documents = json.loads(_hfkg(data, "documents", "--json").stdout)
    sources = {d["source"].rsplit("/", 1)[-1] for d in documents}
    expected = {p.name for p in folder.rglob("*.txt")}
    assert sources == expected
    assert report["manifest"] == len(documents) == report["search"] == report["graph"]
