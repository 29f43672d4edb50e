"""Issue 10, item 15: the read cache was bounded by entries, not bytes.

1,845 distinct ``limit=100`` searches took the server from 281 to 618 MB: each entry is small in
count but large in size. The cache must hold at most HFKG_API_CACHE_MB of results (their JSON size),
dropping the least recently used first, however many distinct large results come in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.result_cache import ResultCache
from api.settings import Settings
from tests.api.test_app_support import corpus_data

BOUND_MB = 0.25
WORDS = ["helse", "kommune", "tiltak", "samarbeid", "pasient", "fagutvalg", "plan", "sykehus"]


@pytest.fixture()
def client(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("HFKG_API_CACHE_MB", str(BOUND_MB))
    app = create_app(Settings.from_env(str(corpus_data(tmp_path_factory))))
    with TestClient(app) as c:
        yield c


def _json_size(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False, default=str))


def test_many_distinct_large_searches_keep_the_cache_under_its_byte_bound(client: TestClient) -> None:
    answered = 0
    for word in WORDS:
        for offset in range(0, 50, 10):  # distinct keys, each a page of up to 100 passages
            response = client.get("/search", params={"q": word, "limit": 100, "offset": offset})
            assert response.status_code == 200, response.text
            answered += _json_size(response.json())
    assert answered > 4 * BOUND_MB * 1_048_576  # the attack: several times the bound went through
    cache = client.app.state.runtime.read.cache  # type: ignore[attr-defined]
    held = sum(_json_size(value) for value in cache._items.values())
    assert 0 < held <= BOUND_MB * 1_048_576, f"the cache holds {held:,} bytes of results"


def test_least_recently_used_goes_first_and_an_oversized_result_is_not_kept() -> None:
    item = {"text": "x" * 1000}
    cache = ResultCache(entries=100, max_bytes=3 * _json_size(item) + 10)
    for key in ("a", "b", "c"):
        cache.get((key,), lambda: dict(item))
    cache.get(("a",), lambda: pytest.fail("a was cached"))  # "a" is now the most recently used
    cache.get(("d",), lambda: dict(item))  # over the bound: "b", the least recently used, goes
    assert [k for (k,) in cache._items] == ["c", "a", "d"]
    huge = {"text": "y" * 10_000}
    assert cache.get(("huge",), lambda: huge) is huge  # answered, not kept: it alone is over the bound
    assert [k for (k,) in cache._items] == ["c", "a", "d"]
