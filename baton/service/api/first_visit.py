"""The route behind a new starter's first look: what the library holds for them."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from baton.service import first_visit
from baton.service.api.access import SIGNED_IN
from baton.service.api.callers import CallerDep
from baton.service.api.deps import RuntimeDep, in_transaction

router = APIRouter(prefix="/api/v1", tags=["search"], dependencies=SIGNED_IN)


class TopicHeld(BaseModel):
    id: str
    name: str
    passages: int


class LatestSession(BaseModel):
    recording_id: str
    title: str
    held_on: str | None
    duration_seconds: float | None
    published_at: datetime | None


class AnsweredQuestion(BaseModel):
    question: str
    times_asked: int


class FirstVisit(BaseModel):
    """Topics with what this person may see of them, the latest published sessions, and
    questions the published library answers."""

    topics: list[TopicHeld]
    latest: list[LatestSession]
    answered: list[AnsweredQuestion]


def _answered_questions(request: Request) -> first_visit.AnsweredQuestions:
    """One cache per app: a test process runs many apps, each on its own library."""
    state = request.app.state
    if not hasattr(state, "answered_questions"):
        state.answered_questions = first_visit.AnsweredQuestions()
    cache: first_visit.AnsweredQuestions = state.answered_questions
    return cache


@router.get("/start", summary="Topics, latest sessions and answered questions.")
async def start(request: Request, caller: CallerDep, runtime: RuntimeDep) -> FirstVisit:
    answered = await run_in_threadpool(_answered_questions(request).get, runtime)

    def read(session: Session) -> FirstVisit:
        found = first_visit.first_visit(session, caller, answered)
        return FirstVisit(
            topics=[TopicHeld(**t.__dict__) for t in found.topics],
            latest=[LatestSession(**s.__dict__) for s in found.latest],
            answered=[AnsweredQuestion(**a.__dict__) for a in found.answered],
        )

    return await in_transaction(runtime, read)
