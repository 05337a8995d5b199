"""Programme health: active and overdue pairs, sessions per month, hours captured."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baton.service.db.programme import MentoringSession
from baton.service.db.tables import Job, Recording
from baton.service.programme.pairs import pair_states


@dataclass(frozen=True)
class ProgrammeHealth:
    pairs: int
    active_pairs: int
    overdue_pairs: list[str]
    sessions: int
    sessions_per_month: dict[str, int]
    recordings_ready: int
    hours_captured: float


def programme_health(session: Session, today: date | None = None) -> ProgrammeHealth:
    states = pair_states(session, today=today)
    months = Counter(
        day.strftime("%Y-%m") for day in session.scalars(select(MentoringSession.held_on))
    )
    ready = select(Recording.duration).where(
        Recording.id.in_(select(Job.recording_id).where(Job.status == "ready"))
    )
    durations = [d or 0.0 for d in session.scalars(ready)]
    return ProgrammeHealth(
        pairs=len(states),
        active_pairs=sum(1 for s in states if s.pair.status == "active"),
        overdue_pairs=[s.pair.id for s in states if s.overdue],
        sessions=int(session.scalar(select(func.count()).select_from(MentoringSession)) or 0),
        sessions_per_month=dict(sorted(months.items())),
        recordings_ready=len(durations),
        hours_captured=round(sum(durations) / 3600, 2),
    )
