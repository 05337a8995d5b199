"""Routes for one mentoring session: read, change, delete, and which recordings belong to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from baton.service.api.access import (
    IN_SESSION_PAIR,
    SIGNED_IN,
    WORKS_ON_RECORDING,
    is_staff,
    may_file_into,
)
from baton.service.api.callers import CallerDep
from baton.service.api.deps import QueueDep, RuntimeDep, in_transaction
from baton.service.api.paths import RecordingId
from baton.service.api.programme_schemas import SessionPublic
from baton.service.api.schemas import Problem, RecordingPublic
from baton.service.errors import not_found
from baton.service.payloads import sync_payloads
from baton.service.programme import sessions
from baton.service.programme.forms import Form, SessionChanges

router = APIRouter(prefix="/api/v1", tags=["programme"], dependencies=SIGNED_IN)

SessionId = Annotated[str, Path(max_length=36)]
_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}, 422: {"model": Problem}}


class SessionAssignment(Form):
    session_id: str | None = Field(description="The session it was recorded in; null: none.")


@router.get("/sessions/{session_id}", responses=_ERRORS, dependencies=IN_SESSION_PAIR)
async def get_session(session_id: SessionId, runtime: RuntimeDep) -> SessionPublic:
    return await in_transaction(
        runtime,
        lambda s: SessionPublic.of(
            sessions.get_session(s, session_id), sessions.session_recording_ids(s, session_id)
        ),
    )


@router.patch("/sessions/{session_id}", responses=_ERRORS, dependencies=IN_SESSION_PAIR)
async def update_session(
    session_id: SessionId, changes: SessionChanges, caller: CallerDep, runtime: RuntimeDep
) -> SessionPublic:
    def work(session: Session) -> SessionPublic:
        meeting = sessions.update_session(
            session, session_id, changes, actor=caller.email, curator=is_staff(caller)
        )
        session.flush()
        return SessionPublic.of(meeting, sessions.session_recording_ids(session, session_id))

    public = await in_transaction(runtime, work)
    # The date and the participants live on every passage for the filters.
    await run_in_threadpool(sync_payloads, runtime, public.recording_ids)
    return public


@router.delete(
    "/sessions/{session_id}",
    dependencies=IN_SESSION_PAIR,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_ERRORS,
    summary="Delete the session; its recordings stay in the library, standing alone.",
)
async def delete_session(session_id: SessionId, runtime: RuntimeDep, queue: QueueDep) -> Response:
    recording_ids = await in_transaction(runtime, lambda s: sessions.delete_session(s, session_id))
    queue.enqueue_retag(recording_ids)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/recordings/{recording_id}/session",
    dependencies=WORKS_ON_RECORDING,
    responses=_ERRORS,
    tags=["recordings"],
    summary="Put a recording into a session (or take it out); it is re-tagged to that pair.",
)
async def assign_session(
    recording_id: RecordingId,
    body: SessionAssignment,
    caller: CallerDep,
    runtime: RuntimeDep,
    queue: QueueDep,
) -> RecordingPublic:
    def work(session: Session) -> RecordingPublic:
        if body.session_id is not None and not may_file_into(session, caller, body.session_id):
            raise not_found("session", body.session_id)
        recording = sessions.assign_recording(
            session, recording_id, body.session_id, actor=caller.email
        )
        return RecordingPublic.of(recording)

    public = await in_transaction(runtime, work)
    # Its pair, participants and audiences (it may have just left the library) live on every
    # passage: now, not only once it is re-tagged.
    await run_in_threadpool(sync_payloads, runtime, [recording_id])
    queue.enqueue_retag([recording_id])
    return public
