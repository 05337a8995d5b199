"""Two-way pairs: who is paired with whom, how often they meet, and whether they are overdue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from baton.service.db.lookup import get_or_refuse, lookup
from baton.service.db.programme import MentoringSession, Pair, Person
from baton.service.errors import Conflict, Invalid
from baton.service.programme.forms import PairChanges, PairFields
from baton.service.programme.people import get_person


@dataclass(frozen=True)
class PairState:
    """A pair with what is derived from its sessions."""

    pair: Pair
    last_session_on: date | None
    session_count: int
    next_due_on: date
    overdue: bool


def create_pair(session: Session, fields: PairFields) -> Pair:
    first, second = fields.member_ids
    if first == second:
        raise Invalid("member_ids: a pair needs two different people.")
    for person_id in fields.member_ids:
        get_person(session, person_id)
    pair = Pair(
        id=str(uuid.uuid4()),
        first_member_id=first,
        second_member_id=second,
        started_on=fields.started_on,
        cadence_days=fields.cadence_days,
        session_minutes=fields.session_minutes,
        status=fields.status,
    )
    session.add(pair)
    session.flush()
    return pair


def update_pair(session: Session, pair_id: str, changes: PairChanges) -> Pair:
    pair = get_pair(session, pair_id)
    for key, value in changes.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(pair, key, value)
    return pair


def delete_pair(session: Session, pair_id: str) -> None:
    """Delete a pair with no sessions; one with sessions should be ended, which keeps them."""
    pair = get_pair(session, pair_id)
    sessions = session.scalar(
        select(func.count())
        .select_from(MentoringSession)
        .where(MentoringSession.pair_id == pair_id)
    )
    if sessions:
        raise Conflict(
            f"This pair has {sessions} session(s). Set its status to 'ended' to keep them, or "
            "delete the sessions first."
        )
    session.delete(pair)


def pair_names(session: Session, pairs: list[Pair]) -> dict[str, str]:
    """Each pair as people know it: its two members' names, "Graham Pickering & Priya Nair"."""
    member_ids = {m for pair in pairs for m in pair.member_ids}
    names = lookup(session, select(Person.id, Person.name).where(Person.id.in_(member_ids)))
    return {pair.id: " & ".join(names.get(m, m) for m in pair.member_ids) for pair in pairs}


def get_pair(session: Session, pair_id: str) -> Pair:
    return get_or_refuse(session, Pair, pair_id, "pair")


def pair_states(
    session: Session, *, person_id: str | None = None, today: date | None = None
) -> list[PairState]:
    """Every pair (or those of one person), each with its last session and overdue flag."""
    query = select(Pair).order_by(Pair.started_on.desc(), Pair.id)
    if person_id:
        query = query.where(
            or_(Pair.first_member_id == person_id, Pair.second_member_id == person_id)
        )
    pairs = list(session.scalars(query))
    stats: dict[str, tuple[date | None, int]] = {
        pair_id: (last, count)
        for pair_id, last, count in session.execute(
            select(
                MentoringSession.pair_id,
                func.max(MentoringSession.held_on),
                func.count(),
            ).group_by(MentoringSession.pair_id)
        )
    }
    states = []
    for pair in pairs:
        last, count = stats.get(pair.id, (None, 0))
        states.append(pair_state(pair, last, count, today=today))
    return states


def pair_state(
    pair: Pair, last_session_on: date | None, session_count: int, today: date | None = None
) -> PairState:
    """A pair is overdue when it is active and its next session, by its cadence, has passed."""
    today = today or date.today()
    since = last_session_on or pair.started_on
    next_due = since + timedelta(days=pair.cadence_days)
    return PairState(
        pair=pair,
        last_session_on=last_session_on,
        session_count=session_count,
        next_due_on=next_due,
        overdue=pair.status == "active" and next_due < today,
    )


def get_pair_state(session: Session, pair_id: str, today: date | None = None) -> PairState:
    pair = get_pair(session, pair_id)
    last, count = session.execute(
        select(func.max(MentoringSession.held_on), func.count()).where(
            MentoringSession.pair_id == pair_id
        )
    ).one()
    return pair_state(pair, last, count, today=today)
