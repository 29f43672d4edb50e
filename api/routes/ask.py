"""GET /ask: a plain question answered from the graph, each answer with its evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ReadDep
from api.schemas import AskResponse

router = APIRouter(tags=["ask"])


@router.get("/ask", response_model=AskResponse, summary="Ask a question in Norwegian or English")
def ask(
    read: ReadDep,
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=500, description="e.g. Hvilke tiltak retter seg mot skrøpelige eldre?"
        ),
    ],
) -> dict[str, Any]:
    return read.ask(q)
