"""A real `hfkg serve` subprocess on a free loopback port, for the security tests that need the CLI's
own start-up (server.json, the server lock, the umask) rather than an app built in the test."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CLI = [sys.executable, "-m", "api.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(
    data: Path, *args: str, umask: int = 0o022, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        umask=umask,
        env={**os.environ, **(env or {})},
    )


def start(
    data: Path, *, port: int | None = None, umask: int = 0o022, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """`hfkg serve` started (not yet ready): the process and its base URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [*CLI, "--data", str(data), "serve", "--port", str(port)],
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        umask=umask,
        env={**os.environ, **(env or {})},
    )
    return process, f"http://127.0.0.1:{port}"


def wait_ready(process: subprocess.Popen[str], base: str, data: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"hfkg serve exited with {process.returncode}: {process.stderr.read()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as response:
                if response.status == 200 and (data / "server.json").exists():
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("hfkg serve did not become ready")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@contextmanager
def serving(data: Path, **kwargs: object) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, base = start(data, **kwargs)  # type: ignore[arg-type]
    try:
        wait_ready(process, base, data)
        yield process, base
    finally:
        stop(process)


def server_file(data: Path) -> dict[str, object]:
    return json.loads((data / "server.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def request(
    url: str, *, data: bytes | None = None, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
