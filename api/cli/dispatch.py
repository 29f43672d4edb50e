"""``main``: the command line parsed, its settings built once, the command run where it must read
(the stores, or the server that owns them), and its errors turned into exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from api import private
from api.cli import client
from api.cli.check import cmd_check, cmd_repair
from api.cli.evaluate import cmd_eval
from api.cli.ingest import cmd_ingest
from api.cli.output import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE
from api.cli.parser import build_parser
from api.cli.reading import COMMANDS
from api.cli.serve import cmd_serve
from api.cli.stores import StoreReads
from api.reads import Reads
from api.services import finish_interrupted, preflight
from api.settings import Settings
from ingest.errors import HfkgError, NotFound

READ_COMMANDS: dict[str, Callable[[Reads, argparse.Namespace], int]] = {
    **COMMANDS,
    "eval": cmd_eval,
    "check": cmd_check,
}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(
            getattr(args, "data", None),
            getattr(args, "max_size", None),
            getattr(args, "graph_endpoint", None),
            database_url=getattr(args, "database_url", None),
        )
    except HfkgError as exc:  # a setting that does not parse, named
        print(f"hfkg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # Whatever the stores and the server create in the data directory is their owner's only.
    private.restrict_process()
    private.private_dir(settings.data_dir, create=False)
    try:
        return run(settings, args)
    except NotFound as exc:
        print(f"hfkg: {exc}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except BrokenPipeError:
        # The reader (head, less) went away: not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except HfkgError as exc:
        print(f"hfkg: {exc}", file=sys.stderr)
        return EXIT_USAGE


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.command == "serve":
        # Damaged stores stop the server here with one clear line, before it takes them.
        preflight(settings)
        return cmd_serve(settings, args)
    if args.command == "ingest":
        return cmd_ingest(settings, args)
    if args.command == "check" and args.repair:
        return cmd_repair(settings, args)
    reads = open_reads(settings, finish=args.command != "check")
    try:
        return READ_COMMANDS[args.command](reads, args)
    finally:
        reads.close()


def open_reads(settings: Settings, *, finish: bool) -> Reads:
    """The server that owns the data directory, when one runs; else its stores, after (with ``finish``)
    a change a killed writer left is finished, as a reader must before it reads (`hfkg check` does
    that itself, and reports it)."""
    server = client.find(settings.data_dir)
    if server is not None:
        return client.ServerReads(server, settings.data_dir)
    if finish:
        finish_interrupted(settings)
    return StoreReads(settings)
