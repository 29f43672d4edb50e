"""What a command gives back: JSON, the documents table, a progress bar, and its exit status."""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from ingest.pipeline import FileReport

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports a command SIGINT stopped
BAR_PATH = 40  # characters of the file name beside the progress bar
BOLD, NOT_BOLD = "\x1b[1m", "\x1b[22m"
_MARK = re.compile(r"<(/?)mark>")

# The documents table: column, width, and the Norwegian heading where it differs from the field.
DOCUMENT_COLUMNS = [
    ("doc_id", 16),
    ("doc_type", 13),
    ("date", 10),
    ("title", 60),
    ("passages", 8),
    ("agenda_items", 6),
    ("duplicate_of", 16),
]
DOCUMENT_HEADINGS = {
    "agenda_items": "saker",
    "duplicate_of": "duplikat av",
    "doc_type": "type",
    "date": "dato",
    "title": "tittel",
    "passages": "passasjer",
}


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def print_report_line(report: FileReport, *, as_json: bool, quiet: bool) -> None:
    """One file's ingest report: a JSON line, or its line of text (with ``quiet``, only a rejection
    or an error)."""
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)
    elif not quiet or report.status in ("rejected", "error"):
        print(report.line(), flush=True)


def terminal_text(snippet: str | None, *, tty: bool | None = None) -> str:
    """A snippet's ``<mark>``ed words for a terminal: bold on a terminal, plain text otherwise (a pipe,
    a file); its HTML escapes undone and its lines joined."""
    bold = sys.stdout.isatty() if tty is None else tty
    text = _MARK.sub(lambda m: (NOT_BOLD if m.group(1) else BOLD) if bold else "", snippet or "")
    return " ".join(html.unescape(text).split())


def clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word, with "…" where it was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def tail(path: str, width: int = BAR_PATH) -> str:
    """The end of a path in ``width`` characters, "…" where its start was left out."""
    return path if len(path) <= width else "…" + path[-(width - 1) :]


def print_promoted(
    report: FileReport, earlier: Iterable[dict[str, Any]], *, as_json: bool, quiet: bool
) -> None:
    """Documents stored before that a file's better rendition made duplicates of its own: said under
    its line, since their own line said "ingested" (``earlier``: their summaries)."""
    if as_json or quiet:
        return
    titles = dict(zip(report.doc_ids, report.titles, strict=False))
    for doc in earlier:
        original = doc["duplicate_of"]
        print(
            f"  {doc['source']}: «{doc['title']}» ({doc['doc_id']}) er nå duplikat av "
            f"«{titles.get(original, original)}» ({original}), som beholdes som original",
            flush=True,
        )


def print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("No documents ingested yet. Run: hfkg ingest PATH")
        return
    print("  ".join(DOCUMENT_HEADINGS.get(c, c).ljust(w) for c, w in DOCUMENT_COLUMNS))
    for row in rows:
        cells = []
        for column, width in DOCUMENT_COLUMNS:
            value = "" if row.get(column) is None else str(row[column])
            cells.append((value[: width - 1] + "…" if len(value) > width else value).ljust(width))
        print("  ".join(cells).rstrip())
    originals = sum(1 for r in rows if not r.get("duplicate_of"))
    print(f"\n{len(rows)} documents ({originals} without duplicates)")


def progress(reports: Iterator[FileReport], total: int) -> Iterator[FileReport]:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""
    tty = sys.stderr.isatty()
    for done, report in enumerate(reports, start=1):
        if tty:
            sys.stderr.write("\r\x1b[2K")
        yield report
        if tty:
            width = 30
            filled = int(width * done / max(total, 1))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {tail(report.path)}")
            sys.stderr.flush()
    if tty:
        sys.stderr.write("\r\x1b[2K")
