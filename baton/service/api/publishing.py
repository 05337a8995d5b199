"""Consent and publishing routes: each participant gives or withdraws consent for themselves;
curators and the pair publish once everyone has consented. Signed-in callers only."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from baton.service import publishing
from baton.service.api.access import SEES_RECORDING, WORKS_ON_RECORDING
from baton.service.api.callers import CallerDep, Forbidden
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.paths import RecordingId
from baton.service.api.schemas import Problem
from baton.service.payloads import sync_payloads

router = APIRouter(prefix="/api/v1/recordings", tags=["consent"], dependencies=SEES_RECORDING)

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem},
    403: {"model": Problem},
    404: {"model": Problem},
    409: {"model": Problem},
}


class ConsentRequest(BaseModel):
    given: bool = Field(description="true: I consent to publishing; false: I withdraw it.")


class ParticipantConsentPublic(BaseModel):
    person_id: str
    name: str
    given: bool | None = Field(description="null while not answered.")
    at: datetime | None


class ConsentChangePublic(BaseModel):
    person_id: str
    given: bool
    changed_by: str
    at: datetime


class ConsentPublic(BaseModel):
    recording_id: str
    published: bool
    published_at: datetime | None
    participants: list[ParticipantConsentPublic]
    missing: list[str] = Field(description="Who has not consented yet.")
    history: list[ConsentChangePublic] = Field(description="Every change, newest first.")

    @classmethod
    def of(cls, state: publishing.ConsentState) -> ConsentPublic:
        return cls(
            recording_id=state.recording_id,
            published=state.published_at is not None,
            published_at=state.published_at,
            participants=[ParticipantConsentPublic(**p.__dict__) for p in state.participants],
            missing=state.missing,
            history=[
                ConsentChangePublic(
                    person_id=c.person_id, given=c.given, changed_by=c.changed_by, at=c.at
                )
                for c in state.history
            ],
        )


@router.get(
    "/{recording_id}/consent",
    dependencies=WORKS_ON_RECORDING,
    response_model=ConsentPublic,
    responses=_ERRORS,
    summary="Who has consented to publishing, the history of changes, and whether it is published.",
)
async def get_consent(recording_id: RecordingId, runtime: RuntimeDep) -> ConsentPublic:
    def read(session: Session) -> ConsentPublic:
        return ConsentPublic.of(publishing.consent_state(session, recording_id))

    return await in_transaction(runtime, read)


@router.put(
    "/{recording_id}/consent",
    response_model=ConsentPublic,
    responses=_ERRORS,
    summary="Give or withdraw your own consent; withdrawing unpublishes the recording at once.",
)
async def set_consent(
    recording_id: RecordingId, body: ConsentRequest, caller: CallerDep, runtime: RuntimeDep
) -> ConsentPublic:
    def change(session: Session) -> ConsentPublic:
        state = publishing.consent_state(session, recording_id)
        if caller.person_id not in {p.person_id for p in state.participants}:
            raise Forbidden(
                "Only the people who took part in this recording's session give or withdraw "
                "consent, each for themselves."
            )
        assert caller.person_id is not None
        return ConsentPublic.of(
            publishing.set_consent(
                session, recording_id, caller.person_id, body.given, caller.email
            )
        )

    result = await in_transaction(runtime, change)
    await run_in_threadpool(sync_payloads, runtime, [recording_id])
    return result


@router.post(
    "/{recording_id}/publish",
    dependencies=WORKS_ON_RECORDING,
    response_model=ConsentPublic,
    responses=_ERRORS,
    summary="Publish into the library (learners find it); needs every participant's consent.",
)
async def publish(
    recording_id: RecordingId, caller: CallerDep, runtime: RuntimeDep
) -> ConsentPublic:
    def change(session: Session) -> ConsentPublic:
        return ConsentPublic.of(publishing.publish(session, recording_id, caller.email))

    result = await in_transaction(runtime, change)
    await run_in_threadpool(sync_payloads, runtime, [recording_id])
    return result


@router.post(
    "/{recording_id}/unpublish",
    dependencies=WORKS_ON_RECORDING,
    response_model=ConsentPublic,
    responses=_ERRORS,
    summary="Take the recording out of the library (its pair and curators still see it).",
)
async def unpublish(
    recording_id: RecordingId, caller: CallerDep, runtime: RuntimeDep
) -> ConsentPublic:
    def change(session: Session) -> ConsentPublic:
        return ConsentPublic.of(publishing.unpublish(session, recording_id, caller.email))

    result = await in_transaction(runtime, change)
    await run_in_threadpool(sync_payloads, runtime, [recording_id])
    return result
