"""Audiences: who may see a recording's passages, as labels on its index points.

A passage carries the audiences that may see it; a caller holds audiences too; a search
matches only passages sharing one, inside the index query. Curators see everything; a pair's
members see their pair's recordings; everyone signed in sees the published library.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from baton.service.db.programme import MentoringSession, Pair
from baton.service.db.tables import Recording

LIBRARY = "library"
CURATORS = "curators"


def pair_audience(pair_id: str) -> str:
    return f"pair:{pair_id}"


def recording_audiences(pair_id: str | None, published: bool) -> list[str]:
    audiences = [CURATORS]
    if pair_id:
        audiences.append(pair_audience(pair_id))
    if published:
        audiences.append(LIBRARY)
    return audiences


def caller_audiences(session: Session, roles: frozenset[str], person_id: str | None) -> list[str]:
    audiences = [LIBRARY]
    if roles & {"admin", "curator"}:
        audiences.append(CURATORS)
    if person_id and "mentor" in roles:
        pairs = session.scalars(
            select(Pair.id).where(
                or_(Pair.first_member_id == person_id, Pair.second_member_id == person_id)
            )
        )
        audiences += [pair_audience(p) for p in pairs]
    return audiences


def may_see(
    session: Session, roles: frozenset[str], person_id: str | None, recording: Recording
) -> bool:
    """Whether a caller's audiences meet the recording's (the rule search applies, per item)."""
    meeting = session.get(MentoringSession, recording.session_id) if recording.session_id else None
    theirs = recording_audiences(
        meeting.pair_id if meeting else None, recording.published_at is not None
    )
    return bool(set(theirs) & set(caller_audiences(session, roles, person_id)))
