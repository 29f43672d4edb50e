"""GET /health: is the server up, and what does it hold."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RuntimeDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness and a count of documents")
async def health(runtime: RuntimeDep) -> Health:
    count = runtime.services.documents.count()
    return Health(documents=count, generation=runtime.read.generation, writes_enabled=runtime.writes_enabled)
