"""The read-result cache: JSON-ready results of one read model, bounded by entries and by size."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class ResultCache:
    """A least-recently-used map of JSON-ready results, shared by the threads serving one read model.

    Bounded by entries and by size: a ``limit=100`` search is a hundred times a ``limit=1`` one, so a
    count alone let distinct large results take hundreds of MB. An entry's size is the length of
    its JSON encoding (what the response costs; the objects themselves take a few times more).
    """

    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._sizes: dict[tuple[Any, ...], int] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        if self.entries <= 0 or self.max_bytes <= 0:
            return compute()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()  # outside the lock: two threads may compute the same value, never block on it
        size = len(json.dumps(value, ensure_ascii=False, default=str))
        if size > self.max_bytes:
            return value  # alone over the bound: answered, never kept
        with self._lock:
            self.bytes += size - self._sizes.get(key, 0)
            self._items[key] = value
            self._sizes[key] = size
            self._items.move_to_end(key)
            while len(self._items) > self.entries or self.bytes > self.max_bytes:
                oldest, _ = self._items.popitem(last=False)
                self.bytes -= self._sizes.pop(oldest)
        return value
