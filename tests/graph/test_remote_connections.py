"""The remote graph store keeps one HTTP connection per thread alive across queries, and a connection
the server closed meanwhile (an idle timeout, a restart) costs nothing but a new one: seen through a
TCP relay in front of the oxigraph server that counts the connections and can cut them."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import urllib.parse
from collections.abc import Iterator

import pytest

from graph.remote import RemoteGraphStore


class _Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, target: tuple[str, int]) -> None:
        super().__init__(("127.0.0.1", 0), _Pipe)
        self.target = target
        self.accepted = 0
        self.open: list[socket.socket] = []

    def cut(self) -> None:
        """Close every connection, as a server does with idle keep-alive connections."""
        for conn in self.open:
            conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self.open.clear()


class _Pipe(socketserver.BaseRequestHandler):
    server: _Relay

    def handle(self) -> None:
        self.server.accepted += 1
        self.server.open.append(self.request)
        with socket.create_connection(self.server.target) as upstream:
            back = threading.Thread(target=_copy, args=(upstream, self.request), daemon=True)
            back.start()
            _copy(self.request, upstream)


def _copy(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for side in (source, sink):
            with contextlib.suppress(OSError):
                side.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay(oxigraph_endpoint: str) -> Iterator[_Relay]:
    parts = urllib.parse.urlsplit(oxigraph_endpoint)
    server = _Relay((parts.hostname or "127.0.0.1", parts.port or 80))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_queries_share_one_kept_alive_connection_and_survive_its_closing(relay: _Relay) -> None:
    store = RemoteGraphStore(f"http://127.0.0.1:{relay.server_address[1]}")
    for _ in range(20):
        assert store.select("SELECT (1 AS ?one) WHERE {}") == [{"one": 1}]
    assert relay.accepted == 1
    relay.cut()
    assert store.select("SELECT (2 AS ?two) WHERE {}") == [{"two": 2}]
    assert relay.accepted == 2
