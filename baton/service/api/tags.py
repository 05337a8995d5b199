"""Routes for the review queue: suggested tags with their evidence, and decisions on them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from baton.service.api.access import STAFF
from baton.service.api.curation_schemas import TagList, TagPublic
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.paths import RowNumber
from baton.service.api.schemas import Problem
from baton.service.curation import tags
from baton.service.curation.forms import TagDecision, TagStatus
from baton.service.payloads import sync_payloads

router = APIRouter(prefix="/api/v1/tags", tags=["curation"], dependencies=STAFF)

Id = Annotated[str | None, Query(max_length=36)]


@router.get("", summary="Tags with their evidence, strongest first: the review queue.")
async def list_tags(
    runtime: RuntimeDep,
    kind: Literal["goal", "topic"] | None = None,
    status: TagStatus | None = None,
    goal_id: Id = None,
    topic_id: Id = None,
    recording_id: Id = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TagList:
    query = tags.TagQuery(kind, status, goal_id, topic_id, recording_id, limit, offset)

    def work(session: Session) -> TagList:
        views, total = tags.list_tags(session, query)
        return TagList(tags=[TagPublic.of(v) for v in views], total=total)

    return await in_transaction(runtime, work)


@router.patch(
    "/{tag_id}",
    responses={404: {"model": Problem}, 422: {"model": Problem}},
    summary="Confirm or reject a tag (or undo with 'suggested'); a rejection survives "
    "re-processing.",
)
async def decide_tag(tag_id: RowNumber, decision: TagDecision, runtime: RuntimeDep) -> TagPublic:
    public = await in_transaction(
        runtime, lambda s: TagPublic.of(tags.decide(s, tag_id, decision.status))
    )
    await run_in_threadpool(sync_payloads, runtime, [public.recording_id])
    return public
