"""What the `hfkg` read commands print, as JSON-ready data, and where they read it from.

Two sources offer :class:`Reads`: the stores of the data directory, opened by the command itself when no
server owns them (api/cli/stores.py), and a running `hfkg serve`, asked over HTTP (api/cli/client.py,
answered by api/routes/command_line.py). Both build their answers with the functions here, so a command
prints the same either way.
"""

from __future__ import annotations

from typing import Any, Protocol

from ingest.model import Document

# What `hfkg documents` shows of each document (the manifest's summaries hold more), and `hfkg document`
# of the document itself and of its agenda items.
DOCUMENT_FIELDS = "doc_id title doc_type fellesskap date year period_start period_end adopted source pages passages agenda_items duplicate_of"
DOCUMENT_HEAD = "doc_id title doc_type fellesskap_name fellesskap date year years period_start period_end adopted adopted_by source pages page_start duplicate_of"
AGENDA_ITEM_FIELDS = "number title kind conclusion conclusion_label responsible page passage_id"
PASSAGE_FIELDS = ("passage_id", "page", "section", "kind", "text", "start", "end")


class Reads(Protocol):
    """Where the read commands get what they print."""

    def documents(self) -> list[dict[str, Any]]: ...

    def document(self, doc_id: str) -> dict[str, Any]: ...

    def search(self, query: str, **filters: Any) -> dict[str, Any]: ...

    def ask(self, question: str) -> dict[str, Any]: ...

    def entities(self, entity_type: str | None, q: str | None, limit: int) -> dict[str, Any]: ...

    def entity(self, entity_id: str) -> dict[str, Any]: ...

    def export(self, fmt: str) -> str: ...

    def check(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


def document_rows(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The manifest's summaries as `hfkg documents` lists them."""
    return [{k: d.get(k) for k in DOCUMENT_FIELDS.split()} for d in summaries]


def document_view(doc: Document) -> dict[str, Any]:
    """One document as `hfkg document --json` prints it: its meetings with their agenda items, its
    headings and passages, and all its agenda items again at the end."""
    data = doc.to_dict()
    out = {
        **{k: data[k] for k in DOCUMENT_HEAD.split()},
        "meetings": [
            {
                **{k: v for k, v in m.items() if k != "agenda_items"},
                "agenda_items": [{k: i[k] for k in AGENDA_ITEM_FIELDS.split()} for i in m["agenda_items"]],
            }
            for m in data["meetings"]
        ],
        "headings": data["headings"],
        "passages": [{k: p[k] for k in PASSAGE_FIELDS} for p in data["passages"]],
    }
    # The name where the manifest's summaries have it, and the id after everything else.
    out["fellesskap"], out["fellesskap_id"] = out.pop("fellesskap_name"), out["fellesskap"]
    out["agenda_items"] = [item for m in out["meetings"] for item in m["agenda_items"]]
    return out


def entity_view(entity: dict[str, Any], timeline: list[dict[str, Any]]) -> dict[str, Any]:
    """One entity with its relations (``entity``, as the graph queries give it) and its timeline."""
    return {**entity, "timeline": timeline}
