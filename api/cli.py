"""The ``hfkg`` command line: ingest, list and show documents (search, ask and serve join later)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from api.settings import Settings
from ingest.errors import HfkgError, NotFound
from ingest.pipeline import FileReport, Ingestor, iter_files
from ingest.store import DocumentStore

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                        help="data directory (default: $HFKG_DATA, else ./data)")
    parser = argparse.ArgumentParser(
        prog="hfkg", parents=[common],
        description="Knowledge graph and document search for the helsefellesskap.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", parents=[common], help="ingest files and folders (recursive)")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--max-size", type=float, metavar="MB", default=None,
                        help="reject files larger than this (default: $HFKG_MAX_FILE_MB, else 100)")
    ingest.add_argument("--json", action="store_true", help="print the report as JSON lines")
    ingest.add_argument("--quiet", action="store_true", help="print only rejected files and errors")

    documents = sub.add_parser("documents", parents=[common], help="list ingested documents")
    documents.add_argument("--json", action="store_true", help="print JSON")

    document = sub.add_parser("document", parents=[common], help="show one document")
    document.add_argument("doc_id", metavar="DOC_ID")
    document.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    settings = Settings.from_env(getattr(args, "data", None), getattr(args, "max_size", None))
    try:
        if args.command == "ingest":
            return cmd_ingest(settings, args)
        if args.command == "documents":
            return cmd_documents(settings, args)
        if args.command == "document":
            return cmd_document(settings, args)
    except NotFound as exc:
        print(f"hfkg: {exc}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except HfkgError as exc:
        print(f"hfkg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE


def build_ingestor(settings: Settings) -> Ingestor:
    return Ingestor(DocumentStore(settings.data_dir), max_file_bytes=settings.max_file_bytes,
                    max_pages=settings.max_pages)


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"hfkg: no such file or folder: {path}", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    total = sum(1 for _ in iter_files(args.paths))
    ingestor = build_ingestor(settings)
    counts: dict[str, int] = {}
    failed = False
    for report in _progress(ingestor.run(args.paths), total):
        counts[report.status] = counts.get(report.status, 0) + 1
        failed |= report.status == "error"
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)
        elif not args.quiet or report.status in ("rejected", "error"):
            print(report.line(), flush=True)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"{total} files: {summary or 'nothing to do'}", file=sys.stderr)
    return EXIT_INTERNAL if failed else EXIT_OK


def _progress(reports: Iterator[FileReport], total: int) -> Iterator[FileReport]:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""
    tty = sys.stderr.isatty()
    for done, report in enumerate(reports, start=1):
        if tty:
            sys.stderr.write("\r\x1b[2K")
        yield report
        if tty:
            width = 30
            filled = int(width * done / max(total, 1))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {report.path[-40:]}")
            sys.stderr.flush()
    if tty:
        sys.stderr.write("\r\x1b[2K")


def cmd_documents(settings: Settings, args: argparse.Namespace) -> int:
    docs = DocumentStore(settings.data_dir).summaries()
    fields = ["doc_id", "title", "doc_type", "fellesskap", "date", "year", "source", "pages", "passages",
              "agenda_items", "duplicate_of"]
    rows = [{k: d.get(k) for k in fields} for d in docs]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    print_table(rows)
    return EXIT_OK


def print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("No documents ingested yet. Run: hfkg ingest PATH")
        return
    columns = [("doc_id", 16), ("doc_type", 13), ("date", 10), ("title", 60), ("passages", 8),
               ("agenda_items", 6), ("duplicate_of", 16)]
    headers = {"agenda_items": "saker", "duplicate_of": "duplikat av", "doc_type": "type", "date": "dato",
               "title": "tittel", "passages": "passasjer"}
    print("  ".join(headers.get(c, c).ljust(w) for c, w in columns))
    for row in rows:
        cells = []
        for column, width in columns:
            value = "" if row.get(column) is None else str(row[column])
            cells.append((value[: width - 1] + "…" if len(value) > width else value).ljust(width))
        print("  ".join(cells).rstrip())
    originals = sum(1 for r in rows if not r.get("duplicate_of"))
    print(f"\n{len(rows)} documents ({originals} without duplicates)")


def cmd_document(settings: Settings, args: argparse.Namespace) -> int:
    doc = DocumentStore(settings.data_dir).document(args.doc_id)
    data = doc.to_dict()
    data.pop("fingerprint", None)
    out = {
        **{k: data[k] for k in ("doc_id", "title", "doc_type", "fellesskap_name", "fellesskap", "date", "year",
                                "years", "source", "pages", "page_start", "duplicate_of")},
        "meetings": [
            {**{k: v for k, v in m.items() if k != "agenda_items"},
             "agenda_items": [{k: i[k] for k in ("number", "title", "kind", "conclusion", "conclusion_label",
                                                  "responsible", "page", "passage_id")} for i in m["agenda_items"]]}
            for m in data["meetings"]
        ],
        "headings": data["headings"],
        "passages": [{k: p[k] for k in ("passage_id", "page", "section", "kind", "text", "start", "end")}
                     for p in data["passages"]],
    }
    out["fellesskap"], out["fellesskap_id"] = out.pop("fellesskap_name"), out["fellesskap"]
    out["agenda_items"] = [item for m in out["meetings"] for item in m["agenda_items"]]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{doc.title}\n{'=' * len(doc.title)}")
    print(f"{doc.doc_type} · {doc.fellesskap_name or '–'} · {doc.date or doc.year or '–'} · {doc.source}")
    for meeting in doc.meetings:
        print(f"\nMøte: {meeting.body or '–'} {meeting.date or ''} {meeting.place or ''}".rstrip())
        if meeting.chair:
            print(f"  Møteleder: {meeting.chair}")
        if meeting.minute_taker:
            print(f"  Referent: {meeting.minute_taker}")
        for item in meeting.agenda_items:
            print(f"  Sak {item.number or '–'}: {item.title} [{item.kind or '–'}]")
            if item.conclusion:
                print(f"    {item.conclusion_label}: {item.conclusion[:300]}")
    print(f"\n{len(doc.passages)} passasjer")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
