"""Attacks on GET|POST /sparql and /export of a real `hfkg serve` (issue 10, items 1, 3, 4 and 11).

One server on a copy of the bundled corpus, with a SPARQL time limit of 1.5 s so that runaway
queries are cheap to provoke. Each test names the attack it reproduces.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.test_app_support import copy_of_corpus_data
from tests.security import running_server

TIMEOUT_S = 1.5
MARGIN_S = 2.0  # what answering and killing may add to the time limit on a busy 2-core machine
MEMORY_MB = 256
CARTESIAN = "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Server:
    def __init__(self, process: subprocess.Popen[str], base: str) -> None:
        self.process = process
        self.base = base

    def get(self, path: str, timeout: float = 60) -> tuple[int, bytes, float]:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                return response.status, response.read(), time.monotonic() - started
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), time.monotonic() - started

    def sparql(self, query: str, *, post: bool = False, accept: str = "") -> tuple[int, bytes, float]:
        headers = {"Accept": accept} if accept else {}
        if not post:
            request = urllib.request.Request(
                self.base + "/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers
            )
        else:
            request = urllib.request.Request(
                self.base + "/sparql",
                data=query.encode(),
                method="POST",
                headers={**headers, "Content-Type": "application/sparql-query"},
            )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read(), time.monotonic() - started
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), time.monotonic() - started

    def tree(self) -> list[int]:
        """The server and every process under it."""
        pids, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
        return pids

    def cpu_and_rss(self) -> tuple[float, int]:
        """CPU seconds used so far and resident bytes, summed over the live process tree."""
        ticks, rss = 0, 0
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                statm = Path(f"/proc/{pid}/statm").read_text().split()
            except OSError:
                continue  # ended meanwhile
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            rss += int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
        return ticks / os.sysconf("SC_CLK_TCK"), rss


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = copy_of_corpus_data(tmp_path_factory, "sparql-attacks")
    env = {"HFKG_SPARQL_TIMEOUT": str(TIMEOUT_S), "HFKG_SPARQL_MEMORY_MB": str(MEMORY_MB), "HFKG_API_KEY": ""}
    with running_server.serving(data, env=env) as (process, base):
        yield Server(process, base)


class Listener:
    """A TCP listener on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    started = Listener()
    yield started
    started.close()


def _error_code(body: bytes) -> str:
    import json

    return str(json.loads(body)["error"]["code"])


# -- item 1: SSRF through SERVICE ------------------------------------------------------------------
def test_service_behind_a_comment_ending_in_cr_reaches_no_one(server: Server, listener: Listener) -> None:
    target = f"<http://127.0.0.1:{listener.port}/x>"
    attacks = [
        f"SELECT * WHERE {{ # x\rSERVICE {target} {{ ?a ?b ?c }}\n}}",  # the query
        f"SELECT * WHERE {{ # x\r SERVICE SILENT {target} {{ ?a ?b ?c }}\n}}",
        f"ASK {{ #\r\rservice {target} {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE {target} {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SeRvIcE SILENT {target} {{ ?s ?q ?r }} }} }}",
    ]
    for query in attacks:
        for post in (False, True):
            status, body, _ = server.sparql(query, post=post)
            assert status == 403 and _error_code(body) == "service_forbidden", (query, status, body)
    time.sleep(0.5)
    assert listener.connections == 0


def test_the_query_worker_cannot_open_a_network_socket(
    tmp_path_factory: pytest.TempPathFactory, listener: Listener
) -> None:
    """Below the up-front refusal: the engine's own SERVICE, run as it is, reaches no one."""
    from api.routes.sparql import refusal_error
    from graph.sparql_endpoint import Limits, SparqlRefusal
    from graph.sparql_pool import LocalSparql
    from graph.store import GraphStore

    data = copy_of_corpus_data(tmp_path_factory, "sandbox")
    with GraphStore.open(data / "graph") as graph:
        runner = LocalSparql(graph, data, Limits(slots=1, timeout_s=10, row_limit=10, memory_mb=MEMORY_MB))
        try:
            for host in ("127.0.0.1", "localhost"):
                service = f"SELECT * WHERE {{ SERVICE <http://{host}:{listener.port}/x> {{ ?a ?b ?c }} }}"
                with pytest.raises(SparqlRefusal) as refused:
                    runner._run(service, "")
                refusal = refusal_error(refused.value)
                assert refusal.status == 400 and "denied" in refusal.message
                silent = runner._run(service.replace("SERVICE", "SERVICE SILENT"), "")
                assert b'"bindings": [{}]' in silent.body  # nothing came back from anywhere
        finally:
            runner.close()
    time.sleep(0.5)
    assert listener.connections == 0


# -- item 3: one huge query freezes the server ----------------------------------------------------
def test_a_huge_filter_query_leaves_health_answering(server: Server) -> None:
    filters = " ".join(f"FILTER(?o!={i})" for i in range(5800))
    query = f"SELECT * WHERE {{ ?s ?p ?o {filters} }}"
    assert 90_000 < len(query) < 100_000
    answer: list[tuple[int, bytes, float]] = []
    attack = threading.Thread(target=lambda: answer.append(server.sparql(query, post=True)))
    attack.start()
    latencies = []
    while attack.is_alive() and len(latencies) < 400:
        status, _, took = server.get("/health")
        assert status == 200
        latencies.append(took)
        time.sleep(0.05)
    attack.join(timeout=120)
    status, body, took = answer[0]
    assert status in (200, 503), body
    assert took < TIMEOUT_S + MARGIN_S, took
    latencies.sort()
    assert latencies and latencies[-1] < 0.5, latencies[-5:]


# -- item 4: the time limit ends the response, not the query --------------------------------------
def _settled(server: Server, seconds: float) -> tuple[float, int]:
    """CPU seconds the server's processes use and how their memory grows over ``seconds``."""
    cpu_before, rss_before = server.cpu_and_rss()
    time.sleep(seconds)
    cpu_after, rss_after = server.cpu_and_rss()
    return cpu_after - cpu_before, rss_after - rss_before


def test_a_cartesian_construct_is_stopped_at_its_time_limit(server: Server) -> None:
    status, body, took = server.sparql(f"CONSTRUCT {CARTESIAN} WHERE {CARTESIAN}")
    assert status == 503 and _error_code(body) == "query_timeout", body
    assert took < TIMEOUT_S + MARGIN_S, took
    time.sleep(0.5)  # the killed query's process is gone by now
    cpu, growth = _settled(server, 2.0)
    assert cpu < 0.5, f"the server went on working for {cpu:.2f} s of CPU after the 503"
    assert growth < 32 * 1_048_576, f"the server grew by {growth / 1_048_576:.0f} MB after the 503"
    status, body, _ = server.sparql("ASK { ?s a hfkg:Initiative }")
    assert status == 200 and b"true" in body


def test_four_slow_counts_do_not_hold_the_slots_for_good(server: Server) -> None:
    slow = f"SELECT (COUNT(*) AS ?n) WHERE {CARTESIAN}"
    answers: list[tuple[int, bytes, float]] = []
    threads = [threading.Thread(target=lambda: answers.append(server.sparql(slow))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a[0] for a in answers) == [503] * 4, answers
    assert all(_error_code(a[1]) == "query_timeout" for a in answers), answers
    status, body, _took = server.sparql("SELECT ?e WHERE { ?e a hfkg:Initiative } LIMIT 3")
    assert status == 200, body
    cpu, _ = _settled(server, 1.0)
    assert cpu < 0.5, f"the abandoned queries went on using {cpu:.2f} s of CPU"


def test_a_query_past_the_memory_cap_ends_its_worker_not_the_server(server: Server) -> None:
    sort = "SELECT ?a ?b ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"  # 29 million rows to sort
    status, body, took = server.sparql(sort)
    assert status == 503 and _error_code(body) == "query_too_large", body
    assert took < TIMEOUT_S, took
    status, body, _ = server.sparql("ASK { ?s a hfkg:Initiative }")
    assert status == 200 and b"true" in body


# -- item 11: valid read-only SPARQL gives 500 ----------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { " + " . ".join(f"?s{i} <urn:p{i}> ?o{i}" for i in range(82)) + " }",
        "ASK { FILTER(" + "(" * 25 + "1" + ")" * 25 + ") }",
        "SELECT * WHERE { ?a ?b ?c FILTER(<urn:no-such-function>(?a)) } LIMIT 1",
        "SELECT * WHERE { ?a ?b ?c FILTER(hfkg:noSuchFunction(?a)) } LIMIT 1",
        "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "ASK " + "{" * 5000 + "}" * 5000,
    ],
    ids=[
        "82-patterns",
        "25-parens",
        "unknown-iri-function",
        "unknown-prefixed-function",
        "5000-parens",
        "5000-groups",
    ],
)
def test_valid_or_deep_queries_get_an_answer_or_a_clean_4xx(server: Server, query: str) -> None:
    for post in (False, True):
        status, body, _ = server.sparql(query, post=post)
        assert status in (200, 400), (status, body[:300])
        if status == 400:
            assert _error_code(body) == "bad_query"
    assert server.get("/health")[0] == 200


def test_a_write_publishes_a_new_snapshot_and_the_old_one_goes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from graph.sparql_endpoint import Limits
    from graph.sparql_pool import LocalSparql
    from graph.store import GraphStore

    data = copy_of_corpus_data(tmp_path_factory, "snapshots")
    with GraphStore.open(data / "graph") as graph:
        runner = LocalSparql(graph, data, Limits(slots=1, timeout_s=10, row_limit=10, memory_mb=MEMORY_MB))
        try:
            count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            before = runner._run(count, "").body
            with runner.export("nt") as first:
                exported = first.read()
            graph.apply([], remove=[sorted(graph.doc_ids())[0]])  # as a delete does, under the write lock
            runner.publish()
            assert runner._run(count, "").body != before
            with runner.export("nt") as second:
                assert len(second.read()) < len(exported)
            assert [p.name for p in (data / "snapshots").iterdir()] == ["2"]
        finally:
            runner.close()
    assert not (data / "snapshots").exists()


# -- also: /export rebuilds the whole graph on every call -----------------------------------------
def test_export_is_built_once_per_generation(server: Server) -> None:
    status, first, took_first = server.get("/export?format=nt")
    assert status == 200 and first.count(b"\n") > 1000
    repeats = [server.get("/export?format=nt") for _ in range(3)]
    assert all(r[0] == 200 and r[1] == first for r in repeats)
    assert max(r[2] for r in repeats) < max(0.1, took_first / 3), (took_first, [r[2] for r in repeats])
