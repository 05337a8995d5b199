"""Coverage: the goals and topics nothing recorded speaks to yet."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.db.curation import LIVE_TAG_STATUSES, Tag, Topic
from baton.service.db.lookup import lookup
from baton.service.db.programme import Goal, Pair, Person


@dataclass(frozen=True)
class Uncovered:
    kind: str  # "goal" or "topic"
    id: str
    name: str
    pair_id: str | None
    teacher: str | None
    owner: str | None


def coverage_gaps(session: Session) -> list[Uncovered]:
    """Goals (not dropped) and topics with no captured minutes: no live tag at all."""
    covered_goals = set(
        session.scalars(
            select(Tag.goal_id).where(Tag.goal_id.is_not(None), Tag.status.in_(LIVE_TAG_STATUSES))
        )
    )
    covered_topics = set(
        session.scalars(
            select(Tag.topic_id).where(Tag.topic_id.is_not(None), Tag.status.in_(LIVE_TAG_STATUSES))
        )
    )
    names = lookup(session, select(Person.id, Person.name))
    gaps = [
        Uncovered("goal", g.id, g.title, g.pair_id, names.get(g.teacher_id), None)
        for g in session.scalars(
            select(Goal).join(Pair).where(Goal.status != "dropped").order_by(Goal.title)
        )
        if g.id not in covered_goals
    ]
    gaps += [
        Uncovered("topic", t.id, t.name, None, None, names.get(t.owner_id or ""))
        for t in session.scalars(select(Topic).order_by(Topic.name))
        if t.id not in covered_topics
    ]
    return gaps
