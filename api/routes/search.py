"""GET /search (passages or decisions) and GET /decisions (agenda items with their conclusions)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from api.deps import ReadDep
from api.schemas import SearchResponse
from search.responses import MAX_LIMIT, MAX_OFFSET

router = APIRouter(tags=["search"])

Q = Annotated[
    str, Query(max_length=1000, description="search words; quotes for phrases, year:2024 type:referat")
]
Year = Annotated[str | None, Query(max_length=20, description="a year or a range: 2024, 2023-2024")]
DocType = Annotated[
    str | None, Query(alias="type", max_length=100, description="document type, e.g. referat")
]
Text = Annotated[str | None, Query(max_length=200)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="hits per page (documents with group=true)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="hits skipped (documents with group=true)")]
Sort = Annotated[
    Literal["relevance", "newest", "oldest"],
    Query(description="relevance (the best match first), newest or oldest (by the record's date)"),
]
Date = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=r"^\d{4}(-\d{2}){0,2}$",
        description="YYYY-MM-DD, YYYY-MM or YYYY; on the record's date: a decision's meeting, else its document's",
    ),
]
Group = Annotated[
    bool,
    Query(description="group the hits by document: `groups`, each a document with its best hits and `more`"),
]


class Filters:
    """The query parameters /search and /decisions share."""

    def __init__(
        self,
        q: Q = "",
        year: Year = None,
        doc_type: DocType = None,
        fellesskap: Text = None,
        committee: Text = None,
        entity: Annotated[str | None, Query(max_length=300, description="an entity id")] = None,
        entity_type: Text = None,
        limit: Limit = 10,
        offset: Offset = 0,
        sort: Sort = "relevance",
        date_from: Annotated[Date, Query(alias="from")] = None,
        date_to: Annotated[Date, Query(alias="to")] = None,
        group: Group = False,
    ) -> None:
        self.q = q
        self.filters = {
            "year": year,
            "doc_type": doc_type,
            "fellesskap": fellesskap,
            "committee": committee,
            "entity": entity,
            "entity_type": entity_type,
            "limit": limit,
            "offset": offset,
            "sort": sort,
            "date_from": date_from,
            "date_to": date_to,
            "group": group,
        }


FiltersDep = Annotated[Filters, Depends()]


@router.get(
    "/search",
    response_model=SearchResponse,
    summary="Full-text search with facets",
    description="`total` counts passages (decisions with kind=decision), `total_documents` and the "
    "facets count documents; neither depends on limit or offset. Committee facets are keyed by entity "
    "id, labelled in `facet_labels`.",
)
def search(
    read: ReadDep, params: FiltersDep, kind: Literal["passage", "decision"] = "passage"
) -> dict[str, Any]:
    return read.search(params.q, **params.filters, kind=kind)


@router.get(
    "/decisions",
    response_model=SearchResponse,
    summary="Search agenda items: number, title, conclusion, meeting (search with kind=decision)",
)
def decisions(read: ReadDep, params: FiltersDep) -> dict[str, Any]:
    return search(read, params, "decision")
