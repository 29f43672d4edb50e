"""Named points in the commit protocol where a test can have the process killed (SIGKILL), the way
SQLite's and PostgreSQL's test builds inject faults: ``HFKG_CRASHPOINT=NAME`` kills at the first
time NAME is reached, ``NAME:N`` at the N-th. Unset (always, outside tests), a crash point costs one
dictionary look-up.
"""

from __future__ import annotations

import os
import signal

_seen: dict[str, int] = {}


def crashpoint(name: str) -> None:
    wanted = os.environ.get("HFKG_CRASHPOINT")
    if not wanted:
        return
    target, _, nth = wanted.partition(":")
    if target != name:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
