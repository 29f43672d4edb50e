"""Schemathesis against our OpenAPI: every read route, a bounded number of generated requests, no 500s."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402

EXAMPLES = 12  # per route: bounded, so the suite stays within CI's time


def test_read_routes_never_fail_with_a_server_error(corpus_data: Path) -> None:
    app = create_app(Settings(data_dir=corpus_data))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(method="GET")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12, [op.path for op in operations]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(checks=[not_a_server_error])

        run()
