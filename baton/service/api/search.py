"""The search route: a question in plain words, the moments that answer it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from baton.service import search as search_service
from baton.service.api.deps import RuntimeDep
from baton.service.api.schemas import HitPublic, SearchResults

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", response_model=SearchResults, summary="Hybrid (dense + BM25) search.")
async def search(
    runtime: RuntimeDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=search_service.MAX_QUERY_CHARS, description="The question."),
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchResults:
    query = q.strip()
    if not query:
        return SearchResults(query=q, hits=[])
    hits = await run_in_threadpool(search_service.search, runtime, query, limit)
    return SearchResults(
        query=query,
        hits=[HitPublic(**hit.__dict__) for hit in hits],
    )
