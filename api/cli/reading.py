"""The read commands: documents, document, search, ask, entities, entity and export.

Each gets what it prints from :class:`api.reads.Reads` (the stores, or the server that owns them) and
prints it as JSON or as text for people.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from api.cli.output import EXIT_OK, print_json, print_table
from api.reads import Reads
from ingest.segment.passages import reading_text

Fetch = Callable[[Reads, argparse.Namespace], Any]
Show = Callable[[Any], None]


def shown(fetch: Fetch, show: Show) -> Callable[[Reads, argparse.Namespace], int]:
    """A read command: what ``fetch`` reads, printed as JSON with --json, else by ``show`` for people."""

    def command(reads: Reads, args: argparse.Namespace) -> int:
        value = fetch(reads, args)
        if args.json:
            print_json(value)
        else:
            show(value)
        return EXIT_OK

    return command


def _print_document(doc: dict[str, Any]) -> None:
    title = doc["title"]
    print(f"{title}\n{'=' * len(title)}")
    print(
        f"{doc['doc_type']} · {doc['fellesskap'] or '–'} · {doc['date'] or doc['year'] or '–'} · {doc['source']}"
    )
    for meeting in doc["meetings"]:
        _print_meeting(meeting)
    print(f"\n{len(doc['passages'])} passasjer")


def _print_meeting(meeting: dict[str, Any]) -> None:
    print(f"\nMøte: {meeting['body'] or '–'} {meeting['date'] or ''} {meeting['place'] or ''}".rstrip())
    if meeting["chair"]:
        print(f"  Møteleder: {meeting['chair']}")
    if meeting["minute_taker"]:
        print(f"  Referent: {meeting['minute_taker']}")
    for item in meeting["agenda_items"]:
        print(f"  Sak {item['number'] or '–'}: {item['title']} [{item['kind'] or '–'}]")
        if item["conclusion"]:
            print(_wrapped(f"{item['conclusion_label']}: {item['conclusion']}", indent="    "))


def _wrapped(text: str, indent: str, width: int = 100) -> str:
    """A conclusion whole (a decision cut mid-sentence misleads), each of its lines wrapped to the
    terminal's width, the ones after the first indented under it, list markers as bullets."""
    lines = [line for line in reading_text(text).split("\n") if line.strip()]
    out = [
        textwrap.fill(
            " ".join(line.split()),
            width,
            initial_indent=indent if n == 0 else indent + "  ",
            subsequent_indent=indent + "  ",
        )
        for n, line in enumerate(lines)
    ]
    return "\n".join(out)


def _search(reads: Reads, args: argparse.Namespace) -> dict[str, Any]:
    return reads.search(
        args.query,
        year=args.year,
        doc_type=args.doc_type,
        fellesskap=args.fellesskap,
        committee=args.committee,
        limit=args.limit,
        offset=args.offset,
        kind="decision" if args.decisions else "passage",
        sort="newest" if args.sort == "date" else args.sort,
        date_from=args.date_from,
        date_to=args.date_to,
        group=args.group,
    )


def _print_search(result: dict[str, Any]) -> None:
    if result.get("did_you_mean"):
        print(f"Mente du: {result['did_you_mean']}?")
    unit = "saker" if result.get("kind") == "decision" else "passasjer"
    documents = result.get("total_documents")
    in_documents = f" i {documents} dokumenter" if documents is not None else ""
    print(f"{result['total']} treff ({unit}){in_documents}")
    if result.get("groups") is not None:
        for group in result["groups"]:
            print(f"\n{group['title']}  [{group['doc_id']}]")
            for hit in group["hits"]:
                _print_hit(hit, indent="  ", titled=hit.get("kind") == "decision")
            if group["more"]:
                print(f"\n  … {group['more']} flere i dette dokumentet")
        return
    for hit in result["hits"]:
        _print_hit(hit)


def _print_hit(hit: dict[str, Any], indent: str = "", titled: bool = True) -> None:
    """A hit: its title (under a document's heading only a decision's), doc_id, where, snippet."""
    where = " · ".join(
        str(x)
        for x in (hit.get("doc_type"), hit.get("date") or hit.get("year"), f"s. {hit.get('page')}")
        if x
    )
    title = hit.get("title")
    if hit.get("number"):
        title = f"Sak {hit['number']} {title} ({hit.get('document_title')})"
    heading = f"\n{indent}{title}" if titled else ""
    print(f"{heading}\n{indent}  {hit['doc_id']} · {where} · {hit.get('section') or ''}")
    snippet = re.sub(r"</?mark>", "*", hit.get("snippet") or "")
    print(f"{indent}  " + snippet.replace("\n", " ")[:400])
    if hit.get("conclusion"):
        print(f"{indent}  Konklusjon: {hit['conclusion'][:300]}")


def _kind_label(name: str) -> str:
    """The registry's Norwegian label of an answer's type or value kind ("number" -> "antall")."""
    from kinds import registry

    kinds = registry()
    if name in kinds.values:
        return kinds.values[name].labels["nb"].lower()
    return kinds.type_label(name).lower() if name in kinds.types else "tekst" if name == "text" else name


def _print_answers(response: dict[str, Any]) -> None:
    print(f"Tolket som: {response['interpretation']}")
    for answer in response["answers"]:
        print(f"\n• {answer['label']} ({_kind_label(answer['type'])})")
        for evidence in answer["evidence"][:2]:
            text = " ".join((evidence.get("text") or "").split())[:220]
            print(f"    {evidence.get('title')}, s. {evidence.get('page')}: {text}")
    if not response["answers"]:
        for hit in response["hits"]:
            print(f"\n- {hit.get('title')} s. {hit.get('page')}: {hit.get('snippet', '')[:200]}")


def _print_entities(found: dict[str, Any]) -> None:
    for item in found["entities"]:
        print(f"{item['type']:<16} {item['label']:<60} {item['mentions']:>4}  {item['id']}")
    print(f"\n{found['total']} entities")


def _print_entity(data: dict[str, Any]) -> None:
    print(f"{data['label']} ({data['type']})")
    for relation in data["relations"]:
        arrow = "->" if relation["direction"] == "out" else "<-"
        print(f"  {relation['predicate']:<14} {arrow} {relation['label']} ({relation['type']})")
    print("\nTidslinje:")
    for entry in data["timeline"]:
        print(f"  {entry['date'] or entry['year'] or '–'}  {entry['title']}")


def cmd_export(reads: Reads, args: argparse.Namespace) -> int:
    text = reads.export(args.format)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


COMMANDS: dict[str, Callable[[Reads, argparse.Namespace], int]] = {
    "documents": shown(lambda reads, args: reads.documents(), print_table),
    "document": shown(lambda reads, args: reads.document(args.doc_id), _print_document),
    "search": shown(_search, _print_search),
    "ask": shown(lambda reads, args: reads.ask(args.question), _print_answers),
    "entities": shown(
        lambda reads, args: reads.entities(args.entity_type, args.q, args.limit), _print_entities
    ),
    "entity": shown(lambda reads, args: reads.entity(args.entity_id), _print_entity),
    "export": cmd_export,
}
