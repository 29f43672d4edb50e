"""`hfkg ingest PATH...`: files and folders ingested into the stores, or handed to the server that owns
them; one report line per file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.cli import client
from api.cli.output import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, print_report_line, progress
from api.services import Services
from api.settings import Settings
from ingest.pipeline import iter_files


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"hfkg: no such file or folder: {path}", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    server = client.find(settings.data_dir)
    if server is not None:
        return _ingest_through_server(server, args.paths, args)
    files = list(iter_files(args.paths))  # walked once: its warnings (a symbolic link loop) said once
    total = len(files)
    counts: dict[str, int] = {}
    failed = False
    with Services(settings, write=True) as services:
        for report in progress(services.ingestor().run(files), total):
            counts[report.status] = counts.get(report.status, 0) + 1
            failed |= report.status == "error"
            print_report_line(report, as_json=args.json, quiet=args.quiet)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"{total} files: {summary or 'nothing to do'}", file=sys.stderr)
    return EXIT_INTERNAL if failed else EXIT_OK


def _ingest_through_server(server: client.Server, paths: list[Path], args: argparse.Namespace) -> int:
    """Each file's contents handed to the server that owns the stores (it opens no path it is given)."""
    print(f"hfkg: a server owns {server.url}'s stores: handing the files to it", file=sys.stderr)
    failed = False
    for path in iter_files(paths):
        try:
            report = client.hand_over(server, path)
        except client.HandoffRefused as exc:
            print(f"hfkg: {exc}", file=sys.stderr)
            return EXIT_INTERNAL
        failed |= report.status == "error"
        print_report_line(report, as_json=args.json, quiet=args.quiet)
    return EXIT_INTERNAL if failed else EXIT_OK
