"""The read commands: documents, document, search, ask, entities, entity and export.

Each gets what it prints from :class:`api.reads.Reads` (the stores, or the server that owns them) and
prints it as JSON or as text for people.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from api.cli.output import EXIT_NOT_FOUND, EXIT_OK, clipped, print_json, print_table, terminal_text
from api.reads import Reads
from ingest.errors import NotFound
from ingest.segment.passages import reading_text
from kinds import registry
from search.schema import period_label

SUGGESTIONS = 5

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
    period = period_label(doc.get("period_start"), doc.get("period_end"))
    if period:
        print(f"Periode: {period}")
    if doc.get("adopted"):
        by = f" av {doc['adopted_by']}" if doc.get("adopted_by") else ""
        print(f"Vedtatt: {doc['adopted']}{by}")  # ISO, as the CLI writes every date
    for meeting in doc["meetings"]:
        _print_meeting(meeting)
    print(f"\n{len(doc['passages'])} passasjer")


def _when(doc: dict[str, Any]) -> str:
    """When a document is from: a plan's period (not the day it was adopted), else its date, else its year."""
    return (
        period_label(doc.get("period_start"), doc.get("period_end")) or doc["date"] or str(doc["year"] or "–")
    )


def _print_documents(rows: list[dict[str, Any]]) -> None:
    """The documents' table, a plan under the years it covers (2023–2024) in the date column where
    it has no date but the day it was adopted (an annual report for 2023 keeps its 2024-02-29)."""
    print_table([{**row, "date": _when(row) if _undated(row) else row["date"]} for row in rows])


def _undated(doc: dict[str, Any]) -> bool:
    """A plan whose only date is the day it was adopted, or none."""
    return doc.get("period_start") is not None and doc["date"] in (None, doc.get("adopted"))


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


def _hit_when(hit: dict[str, Any]) -> str:
    """A plan's period and its date, said to be the adoption where it is ("2023 · vedtatt 2022-10-07"),
    else the date, else the year."""
    date = hit.get("date") or ""
    if hit.get("period"):
        said = f"vedtatt {date}" if date and date == hit.get("adopted") else date
        return " · ".join(x for x in (hit["period"], said) if x)
    return date or str(hit.get("year") or "")


def _print_hit(hit: dict[str, Any], indent: str = "", titled: bool = True) -> None:
    """A hit: its title (under a document's heading only a decision's), doc_id, where, snippet."""
    where = " · ".join(
        str(x)
        for x in (
            hit.get("doc_type"),
            _hit_when(hit),
            f"s. {hit.get('page')}",
        )
        if x
    )
    title = hit.get("title")
    if hit.get("number"):
        title = f"Sak {hit['number']} {title} ({hit.get('document_title')})"
    heading = f"\n{indent}{title}" if titled else ""
    print(f"{heading}\n{indent}  {hit['doc_id']} · {where} · {hit.get('section') or ''}")
    print(f"{indent}  " + clipped(terminal_text(hit.get("snippet")).replace("\n", " "), 400))
    if hit.get("conclusion"):
        print(f"{indent}  Konklusjon: {clipped(' '.join(hit['conclusion'].split()), 300)}")


def _kind_label(name: str | None) -> str:
    """The registry's Norwegian label of an answer's type or value kind ("number" -> "antall")."""
    kinds = registry()
    if name in kinds.values:
        return kinds.values[name].labels["nb"].lower()
    if name in kinds.types:
        return kinds.type_label(name).lower()
    return "tekst" if name == "text" else (name or "ukjent type")


def _print_answers(response: dict[str, Any]) -> None:
    print(f"Spørsmålet er lest som: {response['interpretation']}")
    for answer in response["answers"]:
        print(f"\n• {answer['label']} ({_kind_label(answer['type'])})")
        for evidence in answer["evidence"][:2]:
            text = clipped(" ".join((evidence.get("text") or "").split()), 220)
            print(f"    {evidence.get('title')}, s. {evidence.get('page')}: {text}")
    if not response["answers"] and response["hits"]:
        print("\nIngen svar i kunnskapsgrafen – søketreff:")
        for hit in response["hits"]:
            snippet = clipped(terminal_text(hit.get("snippet")), 240)
            print(f"\n- {hit.get('title')}, s. {hit.get('page')}: {snippet}")


def _print_entities(found: dict[str, Any]) -> None:
    for item in found["entities"]:
        print(f"{_kind_label(item['type']):<16} {item['label']:<60} {item['mentions']:>4}  {item['id']}")
    print(f"\n{found['total']} oppføringer")


def _print_entity(data: dict[str, Any]) -> None:
    """The entity, its relations read in the registry's words (the inverse label for one that points
    at it: "Vestfold omfatter Fagutvalg …") and its timeline."""
    print(f"{data['label']} ({_kind_label(data['type'])})")
    kinds = registry()
    for relation in data["relations"]:
        said = kinds.predicate_label(relation["predicate"], relation["direction"])
        print(f"  {said} {relation['label']} ({_kind_label(relation['type'])})")
    print("\nTidslinje:")
    for entry in data["timeline"]:
        print(f"  {entry['date'] or entry['year'] or '–'}  {entry['title']}")


def _entity(reads: Reads, args: argparse.Namespace) -> dict[str, Any]:
    return reads.entity(args.entity_id)


def cmd_entity(reads: Reads, args: argparse.Namespace) -> int:
    """One entity; an id that names none gets the closest ids and names, as a search's "did you mean"."""
    try:
        return shown(_entity, _print_entity)(reads, args)
    except NotFound as exc:
        print(f"hfkg: {exc}", file=sys.stderr)
        found = closest(args.entity_id, reads.entities(None, None, 100_000)["entities"])
        if found:
            print("Mente du:", file=sys.stderr)
            for item in found:
                print(f"  {item['id']}  ({item['label']}, {_kind_label(item['type'])})", file=sys.stderr)
        return EXIT_NOT_FOUND


def closest(wanted: str, items: list[dict[str, Any]], limit: int = SUGGESTIONS) -> list[dict[str, Any]]:
    """The entities whose id or name contains ``wanted`` (most mentioned first), else those whose id's
    last part or name is nearest to it in spelling."""
    needle = wanted.strip().lower()
    if not needle:
        return []
    containing = [i for i in items if needle in i["id"].lower() or needle in i["label"].lower()]
    if containing:
        return containing[:limit]
    names: dict[str, dict[str, Any]] = {}
    for item in items:
        names.setdefault(item["id"].rsplit("/", 1)[-1].lower(), item)
        names.setdefault(item["label"].lower(), item)
    near = difflib.get_close_matches(needle.rsplit("/", 1)[-1], list(names), n=limit * 2, cutoff=0.7)
    out: list[dict[str, Any]] = []
    for name in near:
        if names[name] not in out:
            out.append(names[name])
    return out[:limit]


def cmd_export(reads: Reads, args: argparse.Namespace) -> int:
    text = reads.export(args.format)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


COMMANDS: dict[str, Callable[[Reads, argparse.Namespace], int]] = {
    "documents": shown(lambda reads, args: reads.documents(), _print_documents),
    "document": shown(lambda reads, args: reads.document(args.doc_id), _print_document),
    "search": shown(_search, _print_search),
    "ask": shown(lambda reads, args: reads.ask(args.question), _print_answers),
    "entities": shown(
        lambda reads, args: reads.entities(args.entity_type, args.q, args.limit), _print_entities
    ),
    "entity": cmd_entity,
    "export": cmd_export,
}
