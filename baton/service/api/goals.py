"""Routes for one goal: read it with its progress, change it, delete it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from sqlalchemy.orm import Session

from baton.service.api.access import IN_GOAL_PAIR
from baton.service.api.deps import QueueDep, RuntimeDep, in_transaction
from baton.service.api.programme_schemas import GoalPublic
from baton.service.api.schemas import Problem
from baton.service.programme import goals, sessions
from baton.service.programme.forms import GoalChanges

router = APIRouter(prefix="/api/v1/goals", tags=["programme"], dependencies=IN_GOAL_PAIR)

GoalId = Annotated[str, Path(max_length=36)]
_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}, 422: {"model": Problem}}


@router.get("/{goal_id}", responses=_ERRORS, summary="A goal with minutes, passages, milestones.")
async def get_goal(goal_id: GoalId, runtime: RuntimeDep) -> GoalPublic:
    def work(session: Session) -> GoalPublic:
        goal = goals.get_goal(session, goal_id)
        return GoalPublic.of(goal, goals.goal_progress(session, goal))

    return await in_transaction(runtime, work)


@router.patch(
    "/{goal_id}",
    responses=_ERRORS,
    summary="Change the fields the body names; milestones are replaced as a whole list.",
)
async def update_goal(
    goal_id: GoalId, changes: GoalChanges, runtime: RuntimeDep, queue: QueueDep
) -> GoalPublic:
    def work(session: Session) -> tuple[GoalPublic, list[str]]:
        goal = goals.update_goal(session, goal_id, changes)
        session.flush()
        public = GoalPublic.of(goal, goals.goal_progress(session, goal))
        return public, sessions.pair_recording_ids(session, goal.pair_id)

    goal, recording_ids = await in_transaction(runtime, work)
    if changes.title is not None or changes.description is not None or changes.status:
        queue.enqueue_retag(recording_ids)
    return goal


@router.delete("/{goal_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_ERRORS)
async def delete_goal(goal_id: GoalId, runtime: RuntimeDep, queue: QueueDep) -> Response:
    def work(session: Session) -> list[str]:
        goal = goals.delete_goal(session, goal_id)
        return sessions.pair_recording_ids(session, goal.pair_id)

    queue.enqueue_retag(await in_transaction(runtime, work))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
