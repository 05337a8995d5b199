"""Routes for pairs, and for creating and listing a pair's goals and sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlalchemy.orm import Session

from baton.service.accounts.audiences import member_pairs
from baton.service.api.access import IN_PAIR, SIGNED_IN, STAFF, is_staff
from baton.service.api.callers import CallerDep
from baton.service.api.deps import QueueDep, RuntimeDep, in_transaction
from baton.service.api.programme_schemas import (
    GoalList,
    GoalPublic,
    PairList,
    PairPublic,
    SessionList,
    SessionPublic,
)
from baton.service.api.schemas import Problem
from baton.service.programme import goals, pairs, sessions
from baton.service.programme.forms import GoalFields, PairChanges, PairFields, SessionFields
from baton.service.programme.pairs import PairState

router = APIRouter(prefix="/api/v1/pairs", tags=["programme"], dependencies=SIGNED_IN)

PairId = Annotated[str, Path(max_length=36)]
_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem},
    409: {"model": Problem},
    422: {"model": Problem},
}


def pair_public(session: Session, state: PairState) -> PairPublic:
    return pair_list(session, [state]).pairs[0]


def pair_list(session: Session, states: list[PairState]) -> PairList:
    names = pairs.pair_names(session, [state.pair for state in states])
    return PairList(pairs=[PairPublic.of(state, names[state.pair.id]) for state in states])


@router.post("", dependencies=STAFF, status_code=status.HTTP_201_CREATED, responses=_ERRORS)
async def create_pair(fields: PairFields, runtime: RuntimeDep) -> PairPublic:
    def work(session: Session) -> PairPublic:
        pair = pairs.create_pair(session, fields)
        return pair_public(session, pairs.pair_state(pair, None, 0))

    return await in_transaction(runtime, work)


@router.get("", summary="Every pair you may see (or one person's), with its overdue flag.")
async def list_pairs(
    runtime: RuntimeDep,
    caller: CallerDep,
    person_id: Annotated[str | None, Query(max_length=36)] = None,
    overdue: bool | None = None,
) -> PairList:
    def work(session: Session) -> PairList:
        states = pairs.pair_states(session, person_id=person_id)
        if not is_staff(caller):
            mine = set(member_pairs(session, caller))
            states = [s for s in states if s.pair.id in mine]
        if overdue is not None:
            states = [s for s in states if s.overdue == overdue]
        return pair_list(session, states)

    return await in_transaction(runtime, work)


@router.get("/{pair_id}", dependencies=IN_PAIR, responses=_ERRORS)
async def get_pair(pair_id: PairId, runtime: RuntimeDep) -> PairPublic:
    return await in_transaction(runtime, lambda s: pair_public(s, pairs.get_pair_state(s, pair_id)))


@router.patch(
    "/{pair_id}", dependencies=STAFF, responses=_ERRORS, summary="Change the fields the body names."
)
async def update_pair(pair_id: PairId, changes: PairChanges, runtime: RuntimeDep) -> PairPublic:
    def work(session: Session) -> PairPublic:
        pairs.update_pair(session, pair_id, changes)
        session.flush()
        return pair_public(session, pairs.get_pair_state(session, pair_id))

    return await in_transaction(runtime, work)


@router.delete(
    "/{pair_id}",
    dependencies=STAFF,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_ERRORS,
    summary="Delete a pair with no sessions (end it instead to keep its sessions).",
)
async def delete_pair(pair_id: PairId, runtime: RuntimeDep) -> Response:
    await in_transaction(runtime, lambda s: pairs.delete_pair(s, pair_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{pair_id}/goals",
    dependencies=IN_PAIR,
    status_code=status.HTTP_201_CREATED,
    responses=_ERRORS,
    summary="Add a goal; the pair's recordings are re-tagged against it in the background.",
)
async def create_goal(
    pair_id: PairId, fields: GoalFields, runtime: RuntimeDep, queue: QueueDep
) -> GoalPublic:
    def work(session: Session) -> tuple[GoalPublic, list[str]]:
        goal = goals.create_goal(session, pair_id, fields)
        return GoalPublic.of(goal), sessions.pair_recording_ids(session, pair_id)

    goal, recording_ids = await in_transaction(runtime, work)
    queue.enqueue_retag(recording_ids)
    return goal


@router.get(
    "/{pair_id}/goals",
    dependencies=IN_PAIR,
    responses=_ERRORS,
    summary="The pair's goals with progress.",
)
async def list_goals(pair_id: PairId, runtime: RuntimeDep) -> GoalList:
    return await in_transaction(
        runtime,
        lambda s: GoalList(
            goals=[
                GoalPublic.of(g, goals.goal_progress(s, g)) for g in goals.list_goals(s, pair_id)
            ]
        ),
    )


@router.post(
    "/{pair_id}/sessions",
    dependencies=IN_PAIR,
    status_code=status.HTTP_201_CREATED,
    responses=_ERRORS,
)
async def create_session(
    pair_id: PairId, fields: SessionFields, caller: CallerDep, runtime: RuntimeDep
) -> SessionPublic:
    def work(session: Session) -> SessionPublic:
        made = sessions.create_session(session, pair_id, fields, curator=is_staff(caller))
        return SessionPublic.of(made, [])

    return await in_transaction(runtime, work)


@router.get(
    "/{pair_id}/sessions",
    dependencies=IN_PAIR,
    responses=_ERRORS,
    summary="The pair's sessions, newest first.",
)
async def list_sessions(pair_id: PairId, runtime: RuntimeDep) -> SessionList:
    return await in_transaction(
        runtime,
        lambda s: SessionList(
            sessions=[
                SessionPublic.of(m, sessions.session_recording_ids(s, m.id))
                for m in sessions.list_sessions(s, pair_id)
            ]
        ),
    )
