"""Routes for the topic taxonomy and the glossary, kept by curators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.accounts.audiences import visible_recording_ids
from baton.service.api.access import SIGNED_IN, STAFF
from baton.service.api.callers import CallerDep
from baton.service.api.curation_schemas import (
    GlossaryList,
    GlossaryTermPublic,
    TopicList,
    TopicPassagePublic,
    TopicPassages,
    TopicPublic,
)
from baton.service.api.deps import QueueDep, RuntimeDep, in_transaction
from baton.service.api.schemas import Problem
from baton.service.curation import glossary, topics
from baton.service.curation.forms import (
    GlossaryChanges,
    GlossaryFields,
    TopicChanges,
    TopicFields,
    TopicMerge,
)
from baton.service.db.tables import Recording

router = APIRouter(prefix="/api/v1", tags=["curation"], dependencies=SIGNED_IN)

ItemId = Annotated[str, Path(max_length=36)]
_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem},
    409: {"model": Problem},
    422: {"model": Problem},
}


def _all_recordings(session: Session) -> list[str]:
    return list(session.scalars(select(Recording.id)))


@router.post(
    "/topics",
    dependencies=STAFF,
    status_code=status.HTTP_201_CREATED,
    responses=_ERRORS,
    summary="Create a topic; passages of every session are scored against it in the background.",
)
async def create_topic(fields: TopicFields, runtime: RuntimeDep, queue: QueueDep) -> TopicPublic:
    def work(session: Session) -> tuple[TopicPublic, list[str]]:
        return TopicPublic.of(topics.create_topic(session, fields)), _all_recordings(session)

    topic, recording_ids = await in_transaction(runtime, work)
    queue.enqueue_retag(recording_ids)
    return topic


@router.get("/topics", summary="The taxonomy, with approved and suggested passages per topic.")
async def list_topics(caller: CallerDep, runtime: RuntimeDep) -> TopicList:
    def work(session: Session) -> TopicList:
        counts = topics.topic_counts(session, visible_recording_ids(session, caller))
        return TopicList(
            topics=[TopicPublic.of(t, counts.get(t.id)) for t in topics.list_topics(session)]
        )

    return await in_transaction(runtime, work)


@router.get("/topics/{topic_id}", responses=_ERRORS)
async def get_topic(topic_id: ItemId, caller: CallerDep, runtime: RuntimeDep) -> TopicPublic:
    def work(session: Session) -> TopicPublic:
        topic = topics.get_topic(session, topic_id)
        counts = topics.topic_counts(session, visible_recording_ids(session, caller))
        return TopicPublic.of(topic, counts.get(topic_id))

    return await in_transaction(runtime, work)


@router.patch(
    "/topics/{topic_id}",
    dependencies=STAFF,
    responses=_ERRORS,
    summary="Rename, describe, nest, re-own.",
)
async def update_topic(
    topic_id: ItemId, changes: TopicChanges, runtime: RuntimeDep, queue: QueueDep
) -> TopicPublic:
    def work(session: Session) -> tuple[TopicPublic, list[str]]:
        topic = topics.update_topic(session, topic_id, changes)
        counts = topics.topic_counts(session).get(topic_id)
        return TopicPublic.of(topic, counts), _all_recordings(session)

    topic, recording_ids = await in_transaction(runtime, work)
    queue.enqueue_retag(recording_ids)
    return topic


@router.delete(
    "/topics/{topic_id}",
    dependencies=STAFF,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_ERRORS,
)
async def delete_topic(topic_id: ItemId, runtime: RuntimeDep, queue: QueueDep) -> Response:
    queue.enqueue_retag(await in_transaction(runtime, lambda s: topics.delete_topic(s, topic_id)))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/topics/{topic_id}/merge",
    dependencies=STAFF,
    responses=_ERRORS,
    summary="Merge this topic into another, which keeps every passage and takes its name as a "
    "synonym.",
)
async def merge_topic(
    topic_id: ItemId, merge: TopicMerge, runtime: RuntimeDep, queue: QueueDep
) -> TopicPublic:
    def work(session: Session) -> tuple[TopicPublic, list[str]]:
        target, recording_ids = topics.merge_topics(session, topic_id, merge.into_id)
        session.flush()
        return TopicPublic.of(target, topics.topic_counts(session).get(target.id)), recording_ids

    topic, recording_ids = await in_transaction(runtime, work)
    queue.enqueue_retag(recording_ids)
    return topic


@router.get(
    "/topics/{topic_id}/passages",
    responses=_ERRORS,
    summary="The approved passages of a topic and its children, with timestamps and speakers.",
)
async def topic_passages(topic_id: ItemId, caller: CallerDep, runtime: RuntimeDep) -> TopicPassages:
    def read(session: Session) -> TopicPassages:
        visible = visible_recording_ids(session, caller)
        found = topics.topic_passages(session, topic_id, visible)
        return TopicPassages(topic_id=topic_id, passages=[TopicPassagePublic.of(p) for p in found])

    return await in_transaction(runtime, read)


@router.post(
    "/glossary", dependencies=STAFF, status_code=status.HTTP_201_CREATED, responses=_ERRORS
)
async def create_term(fields: GlossaryFields, runtime: RuntimeDep) -> GlossaryTermPublic:
    return await in_transaction(
        runtime, lambda s: GlossaryTermPublic.of(glossary.create_term(s, fields))
    )


@router.get("/glossary", summary="The programme's own words, used by transcription and search.")
async def list_terms(runtime: RuntimeDep) -> GlossaryList:
    return await in_transaction(
        runtime,
        lambda s: GlossaryList(terms=[GlossaryTermPublic.of(t) for t in glossary.list_terms(s)]),
    )


@router.patch("/glossary/{term_id}", dependencies=STAFF, responses=_ERRORS)
async def update_term(
    term_id: ItemId, changes: GlossaryChanges, runtime: RuntimeDep
) -> GlossaryTermPublic:
    return await in_transaction(
        runtime, lambda s: GlossaryTermPublic.of(glossary.update_term(s, term_id, changes))
    )


@router.delete(
    "/glossary/{term_id}",
    dependencies=STAFF,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_ERRORS,
)
async def delete_term(term_id: ItemId, runtime: RuntimeDep) -> Response:
    await in_transaction(runtime, lambda s: glossary.delete_term(s, term_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
