"""What a process keeps of one commit generation: least recently used out first, bounded by the size
of what it holds (postings, terms), not by its entries. A new generation starts with new ones."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SizedCache(Generic[K, V]):
    """Values by key, at most ``limit`` in size together (each put says its size); safe across threads."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._kept: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._size = 0

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V, size: int = 1, *, replace: bool = True) -> None:
        """Keep ``value``; a key kept already is replaced (counted once), or left as it is."""
        size = max(1, size)
        with self._lock:
            old = self._kept.get(key)
            if old is not None and not replace:
                return
            if old is not None:
                del self._kept[key]
                self._size -= old[1]
            self._kept[key] = (value, size)
            self._size += size
            while self._size > self.limit and self._kept:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._size -= dropped

    def __len__(self) -> int:
        """The size of what is kept, as the limit counts it."""
        return self._size
