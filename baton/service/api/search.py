"""The search route: a question in plain words, the moments that answer it, narrowed by the
programme's filters; and feedback when it did not answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import (
    APIRouter,
    BackgroundTasks,
    HTTPException,
    Path,
    Query,
    Response,
    status,
)
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from baton.service import search as search_service
from baton.service.accounts.audiences import caller_audiences
from baton.service.api.access import SIGNED_IN
from baton.service.api.callers import CallerDep
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.schemas import FacetValue, HitPublic, Problem, SearchResults
from baton.service.programme.forms import Form

router = APIRouter(prefix="/api/v1", tags=["search"], dependencies=SIGNED_IN)

Ids = Annotated[list[str] | None, Query(max_length=50)]


class SearchFeedback(Form):
    answered: bool = Field(description="false: this search did not answer my question.")
    comment: str | None = Field(None, max_length=2000)


@router.get(
    "/search",
    response_model=SearchResults,
    responses={422: {"model": Problem}},
    summary="Hybrid (dense + BM25) search, filtered inside the index, with facet counts.",
)
async def search(
    runtime: RuntimeDep,
    background: BackgroundTasks,
    caller: CallerDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=search_service.MAX_QUERY_CHARS, description="The question."),
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    pair_id: Ids = None,
    goal_id: Ids = None,
    topic_id: Ids = None,
    person_id: Ids = None,
    said_by: Annotated[
        list[str] | None,
        Query(max_length=50, description="People who say the passage (their voice, named)."),
    ] = None,
    date_from: Annotated[date | None, Query(description="Sessions on or after this day.")] = None,
    date_to: Annotated[date | None, Query(description="Sessions on or before this day.")] = None,
) -> SearchResults:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, "date_from is after date_to: swap them or widen the range.")
    query = q.strip()
    if not query:
        return SearchResults(search_id="", query=q, hits=[])
    filters = search_service.SearchFilters(
        pair_ids=tuple(pair_id or ()),
        goal_ids=tuple(goal_id or ()),
        topic_ids=tuple(topic_id or ()),
        person_ids=tuple(person_id or ()),
        said_by=tuple(said_by or ()),
        audiences=tuple(await in_transaction(runtime, lambda s: caller_audiences(s, caller))),
        date_from=date_from,
        date_to=date_to,
    )
    outcome = await run_in_threadpool(search_service.search, runtime, query, limit, filters)
    # Logged after the answer has gone out: the person does not wait for the write.
    background.add_task(search_service.record_search, runtime, outcome)
    return SearchResults(
        search_id=outcome.search_id,
        query=query,
        hits=[HitPublic.of(hit) for hit in outcome.hits],
        facets={
            kind: [FacetValue(**value.__dict__) for value in values]
            for kind, values in outcome.facets.items()
        },
        best_similarity=outcome.best_similarity,
    )


@router.post(
    "/search/{search_id}/feedback",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"model": Problem}},
    summary="Say whether a search answered the question; unanswered ones feed search gaps.",
)
async def search_feedback(
    search_id: Annotated[str, Path(max_length=36)], feedback: SearchFeedback, runtime: RuntimeDep
) -> Response:
    if not feedback.answered:
        found = await run_in_threadpool(
            search_service.mark_unanswered, runtime, search_id, feedback.comment
        )
        if not found:
            raise HTTPException(404, "No search has this id: send the search_id a search returned.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
