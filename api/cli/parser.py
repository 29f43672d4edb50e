"""The ``hfkg`` command line's parser: every command and option, with its help."""

from __future__ import annotations

import argparse
from pathlib import Path

EXPORT_FORMATS = ["turtle", "nt", "jsonld", "trig", "nquads"]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="data directory (default: $HFKG_DATA, else ./data)",
    )
    common.add_argument(
        "--graph-endpoint",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="keep the graph on a SPARQL 1.1 server (Oxigraph server, Fuseki) at URL instead of "
        "the embedded store (default: $HFKG_GRAPH_ENDPOINT)",
    )
    common.add_argument(
        "--database-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="keep the search index and the ingest store in PostgreSQL at URL (postgresql://…) "
        "instead of the data directory (default: $HFKG_DATABASE_URL)",
    )
    parser = argparse.ArgumentParser(
        prog="hfkg",
        parents=[common],
        description="Knowledge graph and document search for the helsefellesskap.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", parents=[common], help="ingest files and folders (recursive)")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument(
        "--max-size",
        type=float,
        metavar="MB",
        default=None,
        help="reject files larger than this (default: $HFKG_MAX_FILE_MB, else 100)",
    )
    ingest.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        default=None,
        help="files read in N worker processes, committed in order (default: $HFKG_INGEST_JOBS, "
        "else one per core; 1: in this process)",
    )
    ingest.add_argument("--json", action="store_true", help="print the report as JSON lines")
    ingest.add_argument("--quiet", action="store_true", help="print only rejected files and errors")

    documents = sub.add_parser("documents", parents=[common], help="list ingested documents")
    documents.add_argument("--json", action="store_true", help="print JSON")

    document = sub.add_parser("document", parents=[common], help="show one document")
    document.add_argument("doc_id", metavar="DOC_ID")
    document.add_argument("--json", action="store_true", help="print JSON")

    search = sub.add_parser("search", parents=[common], help="full-text search of passages or decisions")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--year", default=None)
    search.add_argument("--type", dest="doc_type", default=None, metavar="T", help="document type")
    search.add_argument("--fellesskap", default=None, metavar="F")
    search.add_argument("--decisions", action="store_true", help="search agenda items and their conclusions")
    search.add_argument("--committee", default=None, metavar="C", help="a committee: its entity id or name")
    search.add_argument(
        "--sort", choices=("relevance", "newest", "oldest", "date"), default="relevance", help="date: newest"
    )
    search.add_argument(
        "--from", dest="date_from", default=None, metavar="DATE", help="YYYY-MM-DD, YYYY-MM, YYYY"
    )
    search.add_argument(
        "--to", dest="date_to", default=None, metavar="DATE", help="YYYY-MM-DD, YYYY-MM, YYYY"
    )
    search.add_argument("--group", action="store_true", help="group the hits by document")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--offset", type=int, default=0)
    search.add_argument("--json", action="store_true", help="print the /search JSON")

    ask = sub.add_parser("ask", parents=[common], help="ask a question in plain Norwegian or English")
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="print the /ask JSON")

    evaluate = sub.add_parser("eval", parents=[common], help="score a questions file")
    evaluate.add_argument("file", type=Path, metavar="FILE")
    evaluate.add_argument("--json", action="store_true")

    export = sub.add_parser("export", parents=[common], help="export the graph")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="turtle")
    export.add_argument("--output", "-o", type=Path, default=None)

    entities = sub.add_parser("entities", parents=[common], help="list entities of the graph")
    entities.add_argument("--type", dest="entity_type", default=None)
    entities.add_argument("--q", default=None)
    entities.add_argument("--limit", type=int, default=50)
    entities.add_argument("--json", action="store_true")

    entity = sub.add_parser("entity", parents=[common], help="one entity with its relations and timeline")
    entity.add_argument("entity_id", metavar="ENTITY_ID")
    entity.add_argument("--json", action="store_true")

    check = sub.add_parser(
        "check",
        parents=[common],
        help="verify the stores, document files and uploads (exit 1 on any problem)",
    )
    check.add_argument(
        "--repair",
        action="store_true",
        help="mend what can be mended from the manifest (the record of what was committed); "
        "what is taken away is moved into <data>/quarantine/, never deleted",
    )
    check.add_argument("--json", action="store_true")

    serve = sub.add_parser("serve", parents=[common], help="serve the HTTP API and web UI")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes behind the port (default: 1); more than 1 only on the server engines "
        "(HFKG_DATABASE_URL and HFKG_GRAPH_ENDPOINT)",
    )
    return parser
