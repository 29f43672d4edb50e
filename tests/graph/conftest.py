"""Graph tests run twice: on the embedded Oxigraph store and on the `oxigraph` server from PyPI,
started on loopback by these fixtures (the scale-out setting `--graph-endpoint`), both holding the
graph of the session's one ingest of the bundled corpus."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.services import Services
from api.settings import Settings


def _server_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = _server_binary()
    if binary is None:
        pytest.skip("the oxigraph server (pip install oxigraph, in the test extra) is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [
            binary,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def server_services(oxigraph_endpoint: str, corpus_data: Path) -> Iterator[Services]:
    """The shared corpus data directory (read only: manifest, documents, search index) with its graph
    on the server: the documents of the session's one ingest written through the remote store's Graph
    Store Protocol, as its ingest sink does, not read and extracted a second time."""
    settings = Settings(data_dir=corpus_data, graph_endpoint=oxigraph_endpoint)
    with Services(settings) as services:
        store = services.documents
        services.graph.apply([store.document(s["doc_id"]) for s in store.summaries()], [])
        yield services


@pytest.fixture(params=["embedded", "server"])
def graph_services(request: pytest.FixtureRequest) -> Services:
    if request.param == "embedded":
        return request.getfixturevalue("corpus_services")
    return request.getfixturevalue("server_services")
