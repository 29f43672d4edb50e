"""The set-ups the store's tests run on (tests/api/test_crash_safety.py defines them)."""

from tests.api.test_crash_safety import engines, graph_server  # noqa: F401 (fixtures)
from tests.graph.conftest import oxigraph_endpoint  # noqa: F401 (the session's oxigraph server)
