"""Redaction routes: a curator or the pair takes a stretch out of a recording everywhere."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from baton.service import redaction
from baton.service.api.access import WORKS_ON_RECORDING
from baton.service.api.callers import CallerDep
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.paths import RecordingId
from baton.service.api.schemas import Problem
from baton.service.db.accounts import Redaction

router = APIRouter(prefix="/api/v1/recordings", tags=["consent"], dependencies=WORKS_ON_RECORDING)

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem},
    403: {"model": Problem},
    404: {"model": Problem},
    409: {"model": Problem},
    422: {"model": Problem},
}


class RedactionRequest(BaseModel):
    start: float = Field(ge=0, description="Seconds into the recording.")
    end: float = Field(gt=0)
    reason: str = Field("", max_length=300, description="Why; never the words themselves.")


class RedactionPublic(BaseModel):
    id: int
    start: float
    end: float
    reason: str
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, row: Redaction) -> RedactionPublic:
        return cls(
            id=row.id,
            start=row.start,
            end=row.end,
            reason=row.reason,
            created_by=row.created_by,
            created_at=row.created_at,
        )


@router.post(
    "/{recording_id}/redactions",
    status_code=status.HTTP_201_CREATED,
    response_model=RedactionPublic,
    responses=_ERRORS,
    summary=(
        "Redact a span: its words leave the transcript, the index and every export, and the "
        "media is silent over it. It cannot be undone."
    ),
)
async def redact(
    recording_id: RecordingId, body: RedactionRequest, caller: CallerDep, runtime: RuntimeDep
) -> RedactionPublic:
    span = redaction.SpanRequest(body.start, body.end, body.reason)
    row = await run_in_threadpool(redaction.redact, runtime, recording_id, span, caller.email)
    return RedactionPublic.of(row)


@router.get(
    "/{recording_id}/redactions",
    response_model=list[RedactionPublic],
    responses=_ERRORS,
    summary="The spans taken out of the recording, with who and why.",
)
async def list_redactions(recording_id: RecordingId, runtime: RuntimeDep) -> list[RedactionPublic]:
    def read(session: Session) -> list[RedactionPublic]:
        return [RedactionPublic.of(r) for r in redaction.list_redactions(session, recording_id)]

    return await in_transaction(runtime, read)
