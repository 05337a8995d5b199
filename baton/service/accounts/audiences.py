"""Audiences: who may see a recording's passages, as labels on its index points.

A passage carries the audiences that may see it; a caller holds audiences too; a search
matches only passages sharing one, inside the index query. Curators see everything; a pair's
members see their pair's recordings; whoever uploaded a recording sees it; everyone signed in
sees the published library. Database reads that list or count passages apply the same rule in
SQL (``visible_recording_ids``).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from baton.service.db.programme import MentoringSession, Pair
from baton.service.db.tables import Recording

LIBRARY = "library"
CURATORS = "curators"
STAFF_ROLES = frozenset({"admin", "curator"})
"""Roles that see every recording: curators keep the library, admins keep the house."""


class Viewer(Protocol):
    """Whoever is looking: the API's signed-in caller, or a test's stand-in."""

    @property
    def user_id(self) -> str: ...

    @property
    def roles(self) -> frozenset[str]: ...

    @property
    def person_id(self) -> str | None: ...


def pair_audience(pair_id: str) -> str:
    return f"pair:{pair_id}"


def uploader_audience(user_id: str) -> str:
    return f"user:{user_id}"


def recording_audiences(
    pair_id: str | None, published: bool, uploaded_by: str | None = None
) -> list[str]:
    audiences = [CURATORS]
    if pair_id:
        audiences.append(pair_audience(pair_id))
    if uploaded_by:
        audiences.append(uploader_audience(uploaded_by))
    if published:
        audiences.append(LIBRARY)
    return audiences


def member_pairs(session: Session, viewer: Viewer) -> list[str]:
    """The pairs whose recordings a viewer sees as a member (mentors linked to a person)."""
    if not viewer.person_id or "mentor" not in viewer.roles:
        return []
    person_id = viewer.person_id
    return list(
        session.scalars(
            select(Pair.id).where(
                or_(Pair.first_member_id == person_id, Pair.second_member_id == person_id)
            )
        )
    )


def caller_audiences(session: Session, viewer: Viewer) -> list[str]:
    audiences = [LIBRARY, uploader_audience(viewer.user_id)]
    if viewer.roles & STAFF_ROLES:
        audiences.append(CURATORS)
    audiences += [pair_audience(p) for p in member_pairs(session, viewer)]
    return audiences


def audiences_of(session: Session, recording: Recording) -> list[str]:
    meeting = session.get(MentoringSession, recording.session_id) if recording.session_id else None
    return recording_audiences(
        meeting.pair_id if meeting else None,
        recording.published_at is not None,
        recording.uploaded_by,
    )


def may_see(session: Session, viewer: Viewer, recording: Recording) -> bool:
    """Whether a viewer's audiences meet the recording's (the rule search applies, per item)."""
    return bool(set(audiences_of(session, recording)) & set(caller_audiences(session, viewer)))


def visible_recording_ids(session: Session, viewer: Viewer) -> Select[str] | None:
    """The recordings a viewer may see, as a subquery for database reads that list or count
    passages (topics, packs, analytics); ``None`` when they may see all of them."""
    if viewer.roles & STAFF_ROLES:
        return None
    pairs = member_pairs(session, viewer)
    return (
        select(Recording.id)
        .outerjoin(MentoringSession, MentoringSession.id == Recording.session_id)
        .where(
            or_(
                Recording.published_at.is_not(None),
                Recording.uploaded_by == viewer.user_id,
                MentoringSession.pair_id.in_(pairs),
            )
        )
    )
