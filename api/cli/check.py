"""`hfkg check [--repair]`: the stores, document files and uploads verified (and mended), each problem
by name; exit 1 on any."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli import client
from api.cli.output import EXIT_INTERNAL, EXIT_OK, print_json
from api.reads import Reads
from api.services import check_and_repair
from api.settings import Settings
from ingest.errors import HfkgError
from ingest.store.consistency import FILE_PROBLEMS, MISMATCHES

# How the text report names each kind of problem (the others: their key with spaces).
PROBLEM_LABELS = {
    "missing_document_files": "documents without their file",
    "damaged_document_files": "damaged document files",
    "orphan_files": "document files the manifest does not name",
    "stray_staging": "staging folders no journal names",
    "unaccounted_uploads": "uploads no source records",
    "missing_originals": "originals missing or changed (hfkg check --repair copies them again from their source)",
    "orphan_originals": "kept originals no source names",
}


def cmd_check(reads: Reads, args: argparse.Namespace) -> int:
    return _show(reads.check(), args)


def cmd_repair(settings: Settings, args: argparse.Namespace) -> int:
    """`hfkg check --repair`, which writes: never while a server owns the stores."""
    server = client.find(settings.data_dir)
    if server is not None:
        raise HfkgError(
            f"a server ({server.name}) owns {settings.data_dir}: stop it before `hfkg check --repair` "
            "(a server mends what is out of step itself when it starts)"
        )
    return _show(check_and_repair(settings), args)


def _show(report: dict[str, Any], args: argparse.Namespace) -> int:
    if args.json:
        print_json(report)
    else:
        _print_finished(report["finished_interrupted"])
        _print_stores(report)
        _print_problems(report)
        _print_mended(report)
        if report["ok"]:
            print("consistent")
        else:
            print("PROBLEMS FOUND" + ("" if args.repair else " (run: hfkg check --repair)"))
    return EXIT_OK if report["ok"] else EXIT_INTERNAL


def _print_finished(finished: dict[str, Any] | None) -> None:
    if finished:
        count = finished["documents"]
        done = "undid an unfinished change" if finished.get("undone") else "finished an interrupted ingest"
        print(
            f"{done} (journal generation {finished['generation']}: {count} document{'' if count == 1 else 's'})"
        )


def _print_stores(report: dict[str, Any]) -> None:
    for store, message in report["unreadable"].items():
        print(f"{store} unreadable: {message}")
    if "manifest" not in report["unreadable"]:
        counts = "  ".join(
            f"{k} {'?' if report[k] is None else report[k]}" for k in ("manifest", "search", "graph")
        )
        print(f"{counts} documents")


def _print_problems(report: dict[str, Any]) -> None:
    for key in (*MISMATCHES, *FILE_PROBLEMS):
        if report[key]:
            print(f"  {PROBLEM_LABELS.get(key, key.replace('_', ' '))}: {', '.join(report[key])}")
    for reason in report["damaged_document_files"].values():
        print(f"    {reason}")
    if report["uploads_in_progress"]:
        print(
            f"  uploads not recorded yet, perhaps on their way in: {', '.join(report['uploads_in_progress'])}"
        )
    if report["in_flight"]:
        print(f"  being committed by a running writer: {', '.join(report['in_flight'])}")


def _print_mended(report: dict[str, Any]) -> None:
    if report.get("reread"):
        print(f"read again from their sources: {', '.join(report['reread'])}")
    if report.get("quarantined"):
        print(
            f"moved or copied into {report['quarantine']} (nothing was deleted): {', '.join(report['quarantined'])}"
        )
