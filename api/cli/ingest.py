"""`hfkg ingest PATH...`: files and folders ingested into the stores, or handed to the server that owns
them; one report line per file."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Generator
from pathlib import Path

from api.cli import client
from api.cli.output import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    print_promoted,
    print_report_line,
    progress,
)
from api.services import Services
from api.settings import Settings
from ingest.crashpoints import crashpoint
from ingest.parallel import ParallelIngest
from ingest.pipeline import FileReport, Ingestor, iter_files
from ingest.store import DocumentStore, open_store


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"hfkg: no such file or folder: {path}", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    server = client.find(settings.data_dir)
    if server is not None:
        return _ingest_through_server(server, settings, args.paths, args)
    jobs = next(n for n in (args.jobs, settings.ingest_jobs, os.cpu_count(), 1) if n is not None)
    if jobs < 1:
        print(f"hfkg: --jobs (HFKG_INGEST_JOBS) må være minst 1, ikke {jobs}", file=sys.stderr)
        return EXIT_USAGE
    files = list(iter_files(args.paths))  # walked once: its warnings (a symbolic link loop) said once
    total = len(files)
    counts: dict[str, int] = {}
    failed = False
    demoted = 0
    with Services(settings, write=True) as services:
        reports = _reports(services.ingestor(), files, min(jobs, total))
        try:
            for report in progress(reports, total):
                counts[report.status] = counts.get(report.status, 0) + 1
                failed |= report.status == "error"
                print_report_line(report, as_json=args.json, quiet=args.quiet)
                demoted += _say_demoted(services.documents, report, args)
                crashpoint("file-reported")
        except KeyboardInterrupt:
            reports.close()  # the worker processes stopped; every file reported above is committed
            done = sum(counts.values())
            print(f"hfkg: avbrutt etter {done} av {total} filer; de {done} er lagret", file=sys.stderr)
            return EXIT_INTERRUPTED
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if demoted:
        summary += f" ({demoted} earlier {'document' if demoted == 1 else 'documents'} now a duplicate)"
    print(f"{total} files: {summary or 'nothing to do'}", file=sys.stderr)
    return EXIT_INTERNAL if failed else EXIT_OK


def _reports(ingestor: Ingestor, files: list[Path], jobs: int) -> Generator[FileReport, None, None]:
    """One report per file, in order: read here one by one, or in ``jobs`` worker processes."""
    if jobs <= 1:
        return ingestor.run(files)
    return ParallelIngest(ingestor, jobs).run(files)


def _say_demoted(documents: DocumentStore, report: FileReport, args: argparse.Namespace) -> int:
    """A file that is the better rendition of documents stored before: those are now its duplicates,
    though their own report said "ingested"; said under its line. How many they are."""
    if report.status != "ingested":
        return 0
    earlier = [s for d in documents.duplicates_of(report.doc_ids) if (s := documents.summary(d))]
    print_promoted(report, earlier, as_json=args.json, quiet=args.quiet)
    return len(earlier)


def _ingest_through_server(
    server: client.Server, settings: Settings, paths: list[Path], args: argparse.Namespace
) -> int:
    """Each file's contents handed to the server that owns the stores (it opens no path it is given)."""
    print(f"hfkg: a server owns {server.url}'s stores: handing the files to it", file=sys.stderr)
    failed = False
    # The manifest is SQLite in WAL mode: read here while the server writes it, as any reader may.
    documents = open_store(settings.data_dir, database_url=settings.database_url)
    for path in iter_files(paths):
        try:
            report = client.hand_over(server, path)
        except client.HandoffRefused as exc:
            print(f"hfkg: {exc}", file=sys.stderr)
            return EXIT_INTERNAL
        failed |= report.status == "error"
        print_report_line(report, as_json=args.json, quiet=args.quiet)
        _say_demoted(documents, report, args)
    return EXIT_INTERNAL if failed else EXIT_OK
