"""Goals of a pair: who teaches whom what, with milestones, and how much of it is captured."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baton.service.db.curation import LIVE_TAG_STATUSES, Tag
from baton.service.db.lookup import get_or_refuse
from baton.service.db.programme import Goal, MentoringSession, Pair
from baton.service.db.tables import Passage, Recording
from baton.service.errors import Invalid
from baton.service.programme.forms import GoalChanges, GoalFields
from baton.service.programme.pairs import get_pair
from baton.service.speakers.names import speaker_names, unnamed


@dataclass(frozen=True)
class GoalProgress:
    """How much of a goal the recordings hold so far."""

    minutes_captured: float
    passages: int
    confirmed_passages: int
    last_session_id: str | None
    last_session_on: date | None
    milestones_done: int
    milestones_total: int
    spoken: list[SpokenShare] = field(default_factory=list)
    """Who did the talking in the goal's passages: in a goal taught by A to B, mostly A."""


@dataclass(frozen=True)
class SpokenShare:
    person_id: str | None
    name: str
    minutes: float


def create_goal(session: Session, pair_id: str, fields: GoalFields) -> Goal:
    pair = get_pair(session, pair_id)
    goal = Goal(
        id=str(uuid.uuid4()),
        pair_id=pair.id,
        teacher_id=fields.teacher_id,
        learner_id=_learner(pair, fields.teacher_id),
        title=fields.title,
        description=fields.description,
        milestones=[m.model_dump(mode="json") for m in fields.milestones],
        status=fields.status,
    )
    session.add(goal)
    session.flush()
    return goal


def update_goal(session: Session, goal_id: str, changes: GoalChanges) -> Goal:
    goal = get_goal(session, goal_id)
    values = changes.model_dump(exclude_unset=True)
    if values.get("teacher_id") is not None:
        goal.learner_id = _learner(get_pair(session, goal.pair_id), values["teacher_id"])
        goal.teacher_id = values["teacher_id"]
    for key in ("title", "description", "status"):
        if values.get(key) is not None:
            setattr(goal, key, values[key])
    if changes.milestones is not None:
        goal.milestones = [m.model_dump(mode="json") for m in changes.milestones]
    return goal


def delete_goal(session: Session, goal_id: str) -> Goal:
    goal = get_goal(session, goal_id)
    session.delete(goal)
    return goal


def get_goal(session: Session, goal_id: str) -> Goal:
    return get_or_refuse(session, Goal, goal_id, "goal")


def list_goals(session: Session, pair_id: str) -> list[Goal]:
    get_pair(session, pair_id)
    return list(
        session.scalars(select(Goal).where(Goal.pair_id == pair_id).order_by(Goal.created_at))
    )


def goal_progress(session: Session, goal: Goal) -> GoalProgress:
    """Minutes and passages tagged to the goal, its latest session, and its milestones."""
    minutes, passages = session.execute(
        select(func.coalesce(func.sum(Tag.end - Tag.start), 0.0), func.count()).where(
            Tag.goal_id == goal.id, Tag.status.in_(LIVE_TAG_STATUSES)
        )
    ).one()
    confirmed = session.scalar(
        select(func.count()).where(Tag.goal_id == goal.id, Tag.status == "confirmed")
    )
    last = session.execute(
        select(MentoringSession.id, MentoringSession.held_on)
        .join(Recording, Recording.session_id == MentoringSession.id)
        .join(Tag, Tag.recording_id == Recording.id)
        .where(Tag.goal_id == goal.id, Tag.status.in_(LIVE_TAG_STATUSES))
        .order_by(MentoringSession.held_on.desc())
        .limit(1)
    ).first()
    return GoalProgress(
        minutes_captured=round(float(minutes) / 60, 2),
        passages=int(passages),
        confirmed_passages=int(confirmed or 0),
        last_session_id=last[0] if last else None,
        last_session_on=last[1] if last else None,
        milestones_done=sum(1 for m in goal.milestones if m.get("done")),
        milestones_total=len(goal.milestones),
        spoken=_spoken(session, goal),
    )


def _spoken(session: Session, goal: Goal) -> list[SpokenShare]:
    """Minutes each speaker talks in the passages tagged to the goal, most first."""
    rows = session.execute(
        select(Passage.recording_id, Passage.speakers)
        .join(Tag, Tag.passage_id == Passage.id)
        .where(Tag.goal_id == goal.id, Tag.status.in_(LIVE_TAG_STATUSES))
    ).all()
    names = speaker_names(session, {recording_id for recording_id, _ in rows})
    seconds: dict[tuple[str | None, str], float] = {}
    for recording_id, shares in rows:
        for label, spoken in (shares or {}).items():
            who = names[recording_id].get(label) or unnamed(label)
            key = (who.person_id, who.name)
            seconds[key] = seconds.get(key, 0.0) + spoken
    return [
        SpokenShare(person_id, name, round(total / 60, 2))
        for (person_id, name), total in sorted(seconds.items(), key=lambda item: -item[1])
    ]


def _learner(pair: Pair, teacher_id: str) -> str:
    """The other member: in a two-way pair the goal's direction is fixed by its teacher."""
    if teacher_id not in pair.member_ids:
        raise Invalid(
            "teacher_id: the teacher must be one of the pair's two members "
            f"({pair.first_member_id} or {pair.second_member_id})."
        )
    first, second = pair.member_ids
    return second if teacher_id == first else first
