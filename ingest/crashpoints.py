"""Named points in the commit protocol where a test can have the process killed (SIGKILL), or a write
fail, the way SQLite's and PostgreSQL's test builds inject faults: ``HFKG_CRASHPOINT=NAME`` kills at
the first time NAME is reached, ``NAME:N`` at the N-th, ``NAME:N:raise`` raises an OSError there
instead (a failed disk write, only that once), ``NAME:N:stop`` stops the process there (SIGSTOP, the N-th
time only) until the test has sent what it means to and SIGCONT, so that a signal lands
at a known point, not at a moment timing picks; several points are separated by commas. Unset
(always, outside tests), a crash point costs one dictionary look-up.
"""

from __future__ import annotations

import errno
import os
import signal

_seen: dict[str, int] = {}


def crashpoint(name: str) -> None:
    wanted = os.environ.get("HFKG_CRASHPOINT")
    if not wanted:
        return
    specs = [spec.split(":") for spec in wanted.split(",")]
    if all(spec[0] != name for spec in specs):
        return
    _seen[name] = _seen.get(name, 0) + 1
    for target, *rest in specs:
        if target != name:
            continue
        nth = int(rest[0]) if rest and rest[0] else 1
        if rest[1:] == ["raise"]:
            if _seen[name] == nth:
                raise OSError(errno.EIO, f"fault injected at {name} ({nth})")
        elif rest[1:] == ["stop"]:
            if _seen[name] == nth:
                os.kill(os.getpid(), signal.SIGSTOP)
        elif _seen[name] >= nth:
            os.kill(os.getpid(), signal.SIGKILL)
