"""Moving aside instead of deleting: what a repair takes out of a data directory (files the manifest
cannot account for, a damaged store, what a store held beyond the manifest) goes to
``<data>/quarantine/<UTC time>/`` under its path in the data directory, to be looked at and removed
by a person, never by a program.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER = "quarantine"


class Quarantine:
    """One repair's quarantine folder, made when the first thing is put in it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.kept: list[str] = []  # what was put here, as paths relative to the data directory
        self._folder: Path | None = None

    @property
    def folder(self) -> Path:
        if self._folder is None:
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            base = self.data_dir / FOLDER
            base.mkdir(parents=True, exist_ok=True)
            for n in range(1000):  # two repairs within a second keep apart
                folder = base / (stamp if n == 0 else f"{stamp}-{n}")
                try:
                    folder.mkdir()
                except FileExistsError:
                    continue
                self._folder = folder
                break
            else:
                raise FileExistsError(f"no free quarantine folder under {base}")
        return self._folder

    def _target(self, path: Path) -> Path:
        # Not resolved: a symbolic link is moved as itself.
        relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(self.data_dir))
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        self.kept.append(str(relative))
        return target

    def move(self, path: Path) -> Path:
        """Take a file or folder out of the data directory into quarantine."""
        target = self._target(path)
        os.replace(path, target)  # one file system: a rename, nothing copied or lost half-way
        log.warning("moved %s to %s", path, target)
        return target

    def copy(self, path: Path) -> Path:
        """Keep a copy of a file or folder that is about to change."""
        target = self._target(path)
        if Path(path).is_dir():
            shutil.copytree(path, target)
        else:
            shutil.copy2(path, target)
        log.warning("copied %s to %s before changing it", path, target)
        return target

    def write(self, relative: str, text: str) -> Path:
        """Keep what a store held and is about to lose, as a file of its own."""
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.kept.append(str(target.relative_to(self.folder)))
        log.warning("kept a copy of what is removed in %s", target)
        return target
