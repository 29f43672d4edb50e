"""Entities of the graph: list and filter, one with its relations, its timeline, its neighbourhood."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api.deps import ReadDep
from api.schemas import EntityDetail, EntityList, ErrorResponse, Neighborhood, Timeline
from kinds import ENTITY_TYPE_NAMES

router = APIRouter(prefix="/entities", tags=["entities"])

# The registry's entity type names (Literal of a tuple is Literal of its items: the same
# validation, error and OpenAPI enum as the names written out).
EntityType = Literal[ENTITY_TYPE_NAMES]  # type: ignore[valid-type]
# Entity ids hold slashes: committee/vestfold/ssu, municipality/3907.
EntityId = Annotated[str, Path(description="e.g. initiative/vestfold/vitality", max_length=300)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}}


@router.get("", response_model=EntityList, summary="Entities, most mentioned first; filter by type and text")
def list_entities(
    read: ReadDep,
    type: Annotated[EntityType | None, Query(description="entity type")] = None,
    q: Annotated[str | None, Query(max_length=200, description="part of the name or id")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    total, items = read.entities(type, q, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "entities": items}


# The sub-resources come first: {entity_id:path} would otherwise swallow '/timeline'.
@router.get(
    "/{entity_id:path}/timeline",
    response_model=Timeline,
    responses=NOT_FOUND,
    summary="Documents naming the entity, in time order, with the passages that do",
)
def entity_timeline(read: ReadDep, entity_id: EntityId) -> dict[str, Any]:
    entries = read.timeline(entity_id)
    return {"id": entity_id, "label": read.queries.label(read.queries.iri(entity_id)), "entries": entries}


@router.get(
    "/{entity_id:path}/neighbors",
    response_model=Neighborhood,
    responses=NOT_FOUND,
    summary="The entities related to this one (depth 1 or 2)",
)
def entity_neighbors(
    read: ReadDep, entity_id: EntityId, depth: Annotated[int, Query(ge=1, le=2)] = 1
) -> dict[str, Any]:
    return read.neighbors(entity_id, depth)


@router.get(
    "/{entity_id:path}",
    response_model=EntityDetail,
    responses=NOT_FOUND,
    summary="One entity with its attributes, aliases and relations",
)
def get_entity(read: ReadDep, entity_id: EntityId) -> dict[str, Any]:
    return read.entity(entity_id)
