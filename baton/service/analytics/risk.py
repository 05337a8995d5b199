"""Knowledge at risk: experts leaving soon, ranked by how little of what they teach is captured.

For each person leaving within the horizon:

    urgency  = 1 - days_left / horizon_days           (1 today, 0 at the horizon)
    captured = min(1, minutes_captured / (MINUTES_PER_GOAL * goals_taught))
    risk     = urgency * (1 - captured), or urgency alone when they teach no goal yet

``minutes_captured`` is the recorded time tagged (suggested or confirmed) to goals they
teach. An expert leaving next month with nothing captured scores near 1 and tops the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baton.service.db.curation import LIVE_TAG_STATUSES, Tag, Topic
from baton.service.db.programme import Goal, Person, session_participants
from baton.service.db.tables import Recording

# Recorded minutes per taught goal at which that goal counts as captured.
MINUTES_PER_GOAL = 30.0


@dataclass(frozen=True)
class ExpertAtRisk:
    person_id: str
    name: str
    job_title: str | None
    leaving_date: date
    days_left: int
    goals: list[str]
    topics: list[str]
    minutes_captured: float
    passages_approved: int
    risk: float


def knowledge_at_risk(
    session: Session, months: int = 12, today: date | None = None
) -> list[ExpertAtRisk]:
    today = today or date.today()
    horizon = today + timedelta(days=round(months * 30.44))
    horizon_days = max((horizon - today).days, 1)
    leaving = session.scalars(
        select(Person).where(Person.leaving_date >= today, Person.leaving_date <= horizon)
    )
    found = []
    for person in leaving:
        assert person.leaving_date is not None
        goals = list(session.scalars(select(Goal).where(Goal.teacher_id == person.id)))
        goal_ids = [g.id for g in goals]
        seconds = session.scalar(
            select(func.coalesce(func.sum(Tag.end - Tag.start), 0.0)).where(
                Tag.goal_id.in_(goal_ids), Tag.status.in_(LIVE_TAG_STATUSES)
            )
        )
        recordings = (
            select(Recording.id)
            .join(session_participants, session_participants.c.session_id == Recording.session_id)
            .where(session_participants.c.person_id == person.id)
        )
        topic_rows = session.execute(
            select(Topic.name, func.count())
            .join(Tag, Tag.topic_id == Topic.id)
            .where(Tag.recording_id.in_(recordings), Tag.status.in_(LIVE_TAG_STATUSES))
            .group_by(Topic.name)
        ).all()
        owned = session.scalars(select(Topic.name).where(Topic.owner_id == person.id))
        approved = session.scalar(
            select(func.count()).where(
                Tag.status == "confirmed",
                (Tag.goal_id.in_(goal_ids))
                | (Tag.topic_id.is_not(None) & Tag.recording_id.in_(recordings)),
            )
        )
        minutes = float(seconds or 0) / 60
        days_left = (person.leaving_date - today).days
        urgency = max(0.0, 1 - days_left / horizon_days)
        captured = min(1.0, minutes / (MINUTES_PER_GOAL * len(goals))) if goals else 0.0
        found.append(
            ExpertAtRisk(
                person_id=person.id,
                name=person.name,
                job_title=person.job_title,
                leaving_date=person.leaving_date,
                days_left=days_left,
                goals=[g.title for g in goals],
                topics=sorted({name for name, _ in topic_rows} | set(owned)),
                minutes_captured=round(minutes, 1),
                passages_approved=int(approved or 0),
                risk=round(urgency * (1 - captured), 4),
            )
        )
    found.sort(key=lambda e: (-e.risk, e.days_left))
    return found
