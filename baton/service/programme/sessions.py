"""Mentoring sessions of a pair, their participants, and the recordings made in them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.db.lookup import get_or_refuse
from baton.service.db.programme import MentoringSession, Pair, Person
from baton.service.db.tables import Recording
from baton.service.errors import Invalid, not_found
from baton.service.programme.forms import SessionChanges, SessionFields
from baton.service.programme.pairs import get_pair


def create_session(session: Session, pair_id: str, fields: SessionFields) -> MentoringSession:
    pair = get_pair(session, pair_id)
    meeting = MentoringSession(
        id=str(uuid.uuid4()),
        pair_id=pair.id,
        held_on=fields.held_on,
        title=fields.title,
        notes=fields.notes,
        participants=_participants(session, pair, fields.participant_ids),
    )
    session.add(meeting)
    session.flush()
    return meeting


def update_session(session: Session, session_id: str, changes: SessionChanges) -> MentoringSession:
    meeting = get_session(session, session_id)
    values = changes.model_dump(exclude_unset=True)
    for key in ("held_on", "title", "notes"):
        if values.get(key) is not None:
            setattr(meeting, key, values[key])
    if changes.participant_ids is not None:
        pair = get_pair(session, meeting.pair_id)
        meeting.participants = _participants(session, pair, changes.participant_ids)
    return meeting


def delete_session(session: Session, session_id: str) -> list[str]:
    """Delete the session; its recordings stay in the library, standing alone. Returns their
    ids, whose goal tags and index payloads must then be refreshed."""
    meeting = get_session(session, session_id)
    recording_ids = session_recording_ids(session, session_id)
    for recording in session.scalars(select(Recording).where(Recording.session_id == session_id)):
        recording.session_id = None
    session.delete(meeting)
    return recording_ids


def get_session(session: Session, session_id: str) -> MentoringSession:
    return get_or_refuse(session, MentoringSession, session_id, "session")


def list_sessions(session: Session, pair_id: str) -> list[MentoringSession]:
    get_pair(session, pair_id)
    return list(
        session.scalars(
            select(MentoringSession)
            .where(MentoringSession.pair_id == pair_id)
            .order_by(MentoringSession.held_on.desc())
        )
    )


def session_recording_ids(session: Session, session_id: str) -> list[str]:
    return list(session.scalars(select(Recording.id).where(Recording.session_id == session_id)))


def pair_recording_ids(session: Session, pair_id: str) -> list[str]:
    return list(
        session.scalars(
            select(Recording.id)
            .join(MentoringSession, Recording.session_id == MentoringSession.id)
            .where(MentoringSession.pair_id == pair_id)
        )
    )


def assign_recording(session: Session, recording_id: str, session_id: str | None) -> Recording:
    """Put a recording into a session (or take it out with None)."""
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    if session_id is not None:
        get_session(session, session_id)
    recording.session_id = session_id
    return recording


def _participants(session: Session, pair: Pair, person_ids: list[str] | None) -> list[Person]:
    wanted = list(dict.fromkeys(person_ids or pair.member_ids))
    people = list(session.scalars(select(Person).where(Person.id.in_(wanted))))
    missing = set(wanted) - {p.id for p in people}
    if missing:
        raise Invalid(f"participant_ids: no person has the id(s) {', '.join(sorted(missing))}.")
    return people
