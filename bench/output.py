"""What the benchmarks share around their runs: a scratch folder removed afterwards, and the results
written to their file and printed as JSON."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder for one run, removed when the run ends, however it ends."""
    temp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield temp
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def write_results(path: Path, results: dict[str, Any]) -> None:
    """Write a benchmark's results to ``path`` (making its folder) and print them as JSON on stdout."""
    text = json.dumps(results, indent=2, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(text)
