"""The ``hfkg`` command line: ingest, documents, search, ask, eval, export, entities and serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from api import private
from api.services import Services, finish_interrupted, preflight
from api.settings import Settings
from ingest.errors import HfkgError, NotFound
from ingest.pipeline import FileReport, iter_files
from ingest.store import DocumentStore

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
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
    export.add_argument("--format", choices=["turtle", "nt", "jsonld", "trig", "nquads"], default="turtle")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    settings = Settings.from_env(
        getattr(args, "data", None), getattr(args, "max_size", None), getattr(args, "graph_endpoint", None)
    )
    # Whatever the stores and the server create in the data directory is their owner's only.
    private.restrict_process()
    private.private_dir(settings.data_dir, create=False)
    try:
        if args.command not in ("ingest", "serve", "check"):
            # A reader finishes what a killed writer left in the journal before it reads.
            finish_interrupted(settings)
        if args.command == "serve":
            # Damaged stores stop the server here with one clear line, before it takes them.
            preflight(settings)
        if args.command == "ingest":
            return cmd_ingest(settings, args)
        if args.command == "documents":
            return cmd_documents(settings, args)
        if args.command == "document":
            return cmd_document(settings, args)
        handler = {
            "search": cmd_search,
            "ask": cmd_ask,
            "eval": cmd_eval,
            "export": cmd_export,
            "entities": cmd_entities,
            "entity": cmd_entity,
            "serve": cmd_serve,
            "check": cmd_check,
        }.get(args.command)
        if handler is not None:
            return handler(settings, args)
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
    return EXIT_USAGE


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"hfkg: no such file or folder: {path}", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    server = _running_server(settings)
    if server is not None:
        return _ingest_through_server(server, args.paths, args)
    files = list(iter_files(args.paths))  # walked once: its warnings (a symbolic link loop) said once
    total = len(files)
    counts: dict[str, int] = {}
    failed = False
    with Services(settings, write=True) as services:
        for report in _progress(services.ingestor().run(files), total):
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
    fields = [
        "doc_id",
        "title",
        "doc_type",
        "fellesskap",
        "date",
        "year",
        "source",
        "pages",
        "passages",
        "agenda_items",
        "duplicate_of",
    ]
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
    columns = [
        ("doc_id", 16),
        ("doc_type", 13),
        ("date", 10),
        ("title", 60),
        ("passages", 8),
        ("agenda_items", 6),
        ("duplicate_of", 16),
    ]
    headers = {
        "agenda_items": "saker",
        "duplicate_of": "duplikat av",
        "doc_type": "type",
        "date": "dato",
        "title": "tittel",
        "passages": "passasjer",
    }
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
        **{
            k: data[k]
            for k in (
                "doc_id",
                "title",
                "doc_type",
                "fellesskap_name",
                "fellesskap",
                "date",
                "year",
                "years",
                "source",
                "pages",
                "page_start",
                "duplicate_of",
            )
        },
        "meetings": [
            {
                **{k: v for k, v in m.items() if k != "agenda_items"},
                "agenda_items": [
                    {
                        k: i[k]
                        for k in (
                            "number",
                            "title",
                            "kind",
                            "conclusion",
                            "conclusion_label",
                            "responsible",
                            "page",
                            "passage_id",
                        )
                    }
                    for i in m["agenda_items"]
                ],
            }
            for m in data["meetings"]
        ],
        "headings": data["headings"],
        "passages": [
            {k: p[k] for k in ("passage_id", "page", "section", "kind", "text", "start", "end")}
            for p in data["passages"]
        ],
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


def cmd_search(settings: Settings, args: argparse.Namespace) -> int:
    with Services(settings) as services:
        result = services.search.search(
            args.query,
            year=args.year,
            doc_type=args.doc_type,
            fellesskap=args.fellesskap,
            limit=args.limit,
            offset=args.offset,
            kind="decision" if args.decisions else "passage",
        )
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    import re

    if result.get("did_you_mean"):
        print(f"Mente du: {result['did_you_mean']}?")
    print(f"{result['total']} treff")
    for hit in result["hits"]:
        where = " · ".join(
            str(x)
            for x in (hit.get("doc_type"), hit.get("date") or hit.get("year"), f"s. {hit.get('page')}")
            if x
        )
        title = hit.get("title")
        if hit.get("number"):
            title = f"Sak {hit['number']} {title} ({hit.get('document_title')})"
        print(f"\n{title}\n  {where} · {hit.get('section') or ''}")
        snippet = re.sub(r"</?mark>", "*", hit.get("snippet") or "")
        print("  " + snippet.replace("\n", " ")[:400])
        if hit.get("conclusion"):
            print(f"  Konklusjon: {hit['conclusion'][:300]}")
    return EXIT_OK


def _asker(services: Services):  # type: ignore[no-untyped-def]
    from answers import Answerer
    from graph.queries import GraphQueries

    return Answerer(GraphQueries(services.graph), services.search, services.documents)


def _kind_label(name: str) -> str:
    """The registry's Norwegian label of an answer's type or value kind ("number" -> "antall")."""
    from kinds import registry

    kinds = registry()
    if name in kinds.values:
        return kinds.values[name].labels["nb"].lower()
    return kinds.type_label(name).lower() if name in kinds.types else "tekst" if name == "text" else name


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    with Services(settings) as services:
        response = _asker(services).ask(args.question)
    if args.json:
        print(json.dumps(response, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Tolket som: {response['interpretation']}")
    for answer in response["answers"]:
        print(f"\n• {answer['label']} ({_kind_label(answer['type'])})")
        for evidence in answer["evidence"][:2]:
            text = " ".join((evidence.get("text") or "").split())[:220]
            print(f"    {evidence.get('title')}, s. {evidence.get('page')}: {text}")
    if not response["answers"]:
        for hit in response["hits"]:
            print(f"\n- {hit.get('title')} s. {hit.get('page')}: {hit.get('snippet', '')[:200]}")
    return EXIT_OK


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from api.evaluation import score

    questions = json.loads(args.file.read_text(encoding="utf-8"))
    with Services(settings) as services:
        asker = _asker(services)
        report = score(questions, asker.ask)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK
    for q in report["questions"]:
        print(
            f"{q['id']:<32} recall {q['recall']:.2f}  precision {q['precision']:.2f}  "
            f"evidence {q['evidence_rate']:.2f}  forbidden {len(q['forbidden'])}"
        )
        if q["missing"]:
            print(f"    missing: {', '.join(q['missing'])}")
        if q["unexpected"]:
            print(f"    unexpected: {', '.join(q['unexpected'])}")
    o = report["overall"]
    print(
        f"\noverall: recall {o['recall']:.3f}  precision {o['precision']:.3f}  "
        f"evidence {o['evidence_rate']:.3f}  forbidden {o['forbidden']}  ({o['questions']} questions)"
    )
    return EXIT_OK


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    with Services(settings) as services:
        text = services.graph.export(args.format)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_entities(settings: Settings, args: argparse.Namespace) -> int:
    from graph.queries import GraphQueries

    with Services(settings) as services:
        total, items = GraphQueries(services.graph).entities(args.entity_type, args.q, args.limit)
    if args.json:
        print(json.dumps({"total": total, "entities": items}, ensure_ascii=False, indent=2))
        return EXIT_OK
    for item in items:
        print(f"{item['type']:<16} {item['label']:<60} {item['mentions']:>4}  {item['id']}")
    print(f"\n{total} entities")
    return EXIT_OK


def cmd_entity(settings: Settings, args: argparse.Namespace) -> int:
    from graph.queries import GraphQueries

    with Services(settings) as services:
        queries = GraphQueries(services.graph)
        data = queries.entity(args.entity_id)
        data["timeline"] = queries.timeline(args.entity_id)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    print(f"{data['label']} ({data['type']})")
    for relation in data["relations"]:
        arrow = "->" if relation["direction"] == "out" else "<-"
        print(f"  {relation['predicate']:<14} {arrow} {relation['label']} ({relation['type']})")
    print("\nTidslinje:")
    for entry in data["timeline"]:
        print(f"  {entry['date'] or entry['year'] or '–'}  {entry['title']}")
    return EXIT_OK


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    from api.services import check, check_and_repair
    from ingest.store.consistency import FILE_PROBLEMS, MISMATCHES

    report = check_and_repair(settings) if args.repair else check(settings)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK if report["ok"] else EXIT_INTERNAL
    finished = report["finished_interrupted"]
    if finished:
        count = finished["documents"]
        done = "undid an unfinished change" if finished.get("undone") else "finished an interrupted ingest"
        print(
            f"{done} (journal generation {finished['generation']}: {count} document{'' if count == 1 else 's'})"
        )
    for store, message in report["unreadable"].items():
        print(f"{store} unreadable: {message}")
    if "manifest" not in report["unreadable"]:
        counts = "  ".join(
            f"{k} {'?' if report[k] is None else report[k]}" for k in ("manifest", "search", "graph")
        )
        print(f"{counts} documents")
    labels = {
        "missing_document_files": "documents without their file",
        "damaged_document_files": "damaged document files",
        "orphan_files": "document files the manifest does not name",
        "stray_staging": "staging folders no journal names",
        "unaccounted_uploads": "uploads no source records",
    }
    for key in (*MISMATCHES, *FILE_PROBLEMS):
        if report[key]:
            print(f"  {labels.get(key, key.replace('_', ' '))}: {', '.join(report[key])}")
    for reason in report["damaged_document_files"].values():
        print(f"    {reason}")
    if report["uploads_in_progress"]:
        print(
            f"  uploads not recorded yet, perhaps on their way in: {', '.join(report['uploads_in_progress'])}"
        )
    if report["in_flight"]:
        print(f"  being committed by a running writer: {', '.join(report['in_flight'])}")
    if report.get("reread"):
        print(f"read again from their sources: {', '.join(report['reread'])}")
    if report.get("quarantined"):
        print(
            f"moved or copied into {report['quarantine']} (nothing was deleted): {', '.join(report['quarantined'])}"
        )
    if report["ok"]:
        print("consistent")
    else:
        print("PROBLEMS FOUND" + ("" if args.repair else " (run: hfkg check --repair)"))
    return EXIT_OK if report["ok"] else EXIT_INTERNAL


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """The API and web UI on the data directory; the server owns its stores until it stops. A second
    server on the same data directory refuses to start (exit 2), leaving the first one alone."""
    import secrets

    import uvicorn

    from api import local_server
    from api.app import create_app
    from api.deps import ApiSettings

    token = secrets.token_hex(24)
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    claim = local_server.claim(
        settings.data_dir,
        url=f"http://{host}:{args.port}",
        token=token,
        max_file_bytes=settings.max_file_bytes,
    )
    try:
        api = ApiSettings.from_env()
        app = create_app(settings, api, handoff_token=token, claim=claim)
        print(
            f"hfkg: serving {settings.data_dir} at http://{args.host}:{args.port}/ (API docs at /docs)",
            file=sys.stderr,
        )
        # Stopped (SIGTERM, Ctrl-C), it waits for requests in progress this long, then ends them.
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level="info",
            timeout_graceful_shutdown=max(1, round(api.shutdown_s)),
        )
    finally:
        claim.release()
    return EXIT_OK


def _running_server(settings: Settings) -> dict[str, Any] | None:
    from api import local_server

    return local_server.find(settings.data_dir)


def _ingest_through_server(server: dict[str, Any], paths: list[Path], args: argparse.Namespace) -> int:
    """Each file's contents handed to the server that owns the stores (it opens no path it is given)."""
    from api import local_server

    print(f"hfkg: a server owns {server['url']}'s stores: handing the files to it", file=sys.stderr)
    failed = False
    for path in iter_files(paths):
        try:
            report = local_server.hand_over(server, path)
        except local_server.HandoffRefused as exc:
            print(f"hfkg: {exc}", file=sys.stderr)
            return EXIT_INTERNAL
        failed |= report.status == "error"
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)
        elif not args.quiet or report.status in ("rejected", "error"):
            print(report.line(), flush=True)
    return EXIT_INTERNAL if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
