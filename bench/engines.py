"""The server engines for a benchmark or a test of several processes: an Oxigraph server of its own
and a new database on the PostgreSQL server that ``scripts/services.sh start`` runs.

    with oxigraph_server(tmp / "graph") as endpoint, new_database(server_url) as database_url:
        ...  # HFKG_GRAPH_ENDPOINT=endpoint HFKG_DATABASE_URL=database_url

Each is its own (an empty graph, an empty database) and gone afterwards, so nothing another run
or another user of the shared servers holds is read or touched.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextlib.contextmanager
def oxigraph_server(location: Path, *, start_s: float = 30.0) -> Iterator[str]:
    """The URL of an oxigraph server (PyPI's `oxigraph serve`) on loopback, its store in ``location``,
    the union of the named graphs as its default graph (as the remote graph store needs)."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    location.mkdir(parents=True, exist_ok=True)
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_s
        while True:
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the oxigraph server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def new_database(server_url: str, prefix: str = "hfkg_bench") -> Iterator[str]:
    """A new, empty database on the server of ``server_url`` (whose role may create databases),
    dropped afterwards (its connections ended first: a worker killed mid-run may hold one)."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"

    def run(statement: sql.Composable) -> None:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(statement)

    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path="/" + name))
    finally:
        run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
