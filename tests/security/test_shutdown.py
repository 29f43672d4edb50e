"""A server told to stop while it ingests a long upload stops within its shutdown time, and loses
nothing: the next opening of the data directory finishes or undoes the change (issue 10, item 7)."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

from tests.security.running_server import cli, start, stop, wait_ready

KEY = "test-shutdown-key"


def _dense_text(paragraphs: int) -> bytes:
    """A long text with many names and places for extraction to read: seconds of work."""
    line = (
        "Møtet i samarbeidsutvalget for Vestfold med Larvik, Sandefjord, Horten og Færder kommune behandlet "
        "sak {n}/24 om legevakt, og Kari Nordmann Berg orienterte om digital hjemmeoppfølging. "
    )
    return "\n\n".join(line.format(n=n) * 4 for n in range(paragraphs)).encode("utf-8")


def _upload(base: str, body: bytes, result: dict[str, object]) -> None:
    boundary = "hfkgshutdown"
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lang.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + "/documents",
        data=payload,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-API-Key": KEY},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            result["status"] = response.status
    except OSError as exc:  # the server stopping ends the request: that is the point
        result["error"] = repr(exc)


def test_a_server_stopped_during_a_long_upload_stops_in_time_and_loses_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kort.txt").write_text(
        "Helsefellesskapet i Vestfold\n\nSSU møttes 4. mars 2024.\n", encoding="utf-8"
    )
    assert cli(data, "ingest", str(corpus)).returncode == 0
    process, base = start(data, env={"HFKG_API_KEY": KEY, "HFKG_SHUTDOWN_TIMEOUT": "2"})
    try:
        wait_ready(process, base, data)
        result: dict[str, object] = {}
        uploader = threading.Thread(target=_upload, args=(base, _dense_text(8000), result))
        uploader.start()
        time.sleep(3)  # the upload is being ingested now
        assert uploader.is_alive(), result
        stopped_at = time.monotonic()
        process.terminate()
        process.wait(timeout=60)
        took = time.monotonic() - stopped_at
        uploader.join(timeout=60)
    finally:
        stop(process)
    # Graceful shutdown (2 s) and the stores' close (2 s), with room for a loaded machine.
    assert took < 15, f"the server took {took:.1f} s to stop"
    check = cli(data, "check", "--json")
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["ok"], check.stdout + check.stderr
    documents = json.loads(cli(data, "documents", "--json").stdout)
    titles = json.dumps(documents, ensure_ascii=False)
    assert "kort.txt" in titles or "Vestfold" in titles  # what was stored before is still there
