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
from baton.service.publishing import (
    forget_people_heard,
    recheck_publication,
    remember_people_heard,
)


def create_session(
    session: Session, pair_id: str, fields: SessionFields, *, curator: bool
) -> MentoringSession:
    """A meeting of the pair; a mentor lists only the pair's members (a curator anyone)."""
    pair = get_pair(session, pair_id)
    meeting = MentoringSession(
        id=str(uuid.uuid4()),
        pair_id=pair.id,
        held_on=fields.held_on,
        title=fields.title,
        notes=fields.notes,
        participants=_participants(session, pair, fields.participant_ids, curator=curator),
    )
    session.add(meeting)
    session.flush()
    return meeting


def update_session(
    session: Session, session_id: str, changes: SessionChanges, *, actor: str, curator: bool
) -> MentoringSession:
    """Change the date, title, notes or who took part.

    A mentor may list the pair's members and keep whoever is listed already; anyone else is
    added by a curator. Taking someone off the list never takes them out of the recordings
    already filed here (their consent is still needed, see ``publishing``), except as a
    curator's correction; a recording left without someone's consent is unpublished at once.
    """
    meeting = get_session(session, session_id)
    values = changes.model_dump(exclude_unset=True)
    for key in ("held_on", "title", "notes"):
        if values.get(key) is not None:
            setattr(meeting, key, values[key])
    if changes.participant_ids is not None:
        pair = get_pair(session, meeting.pair_id)
        before = {person.id for person in meeting.participants}
        recordings = list(
            session.scalars(select(Recording).where(Recording.session_id == session_id))
        )
        for recording in recordings:
            remember_people_heard(session, recording)
        meeting.participants = _participants(
            session, pair, changes.participant_ids, curator=curator, listed=before
        )
        session.flush()
        removed = before - {person.id for person in meeting.participants}
        for recording in recordings:
            remember_people_heard(session, recording)
            if curator:
                forget_people_heard(session, recording, removed, actor)
            recheck_publication(session, recording, actor)
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


def assign_recording(
    session: Session, recording_id: str, session_id: str | None, *, actor: str
) -> Recording:
    """Put a recording into a session (or take it out with None). The people of the session it
    leaves stay people heard in it; those of the one it joins are added, and a published
    recording one of them has not consented to is unpublished at once."""
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    if session_id is not None:
        get_session(session, session_id)
    remember_people_heard(session, recording)
    recording.session_id = session_id
    session.flush()
    remember_people_heard(session, recording)
    recheck_publication(session, recording, actor)
    return recording


def _participants(
    session: Session,
    pair: Pair,
    person_ids: list[str] | None,
    *,
    curator: bool,
    listed: set[str] | None = None,
) -> list[Person]:
    wanted = list(dict.fromkeys(person_ids or pair.member_ids))
    outsiders = set(wanted) - set(pair.member_ids) - (listed or set())
    if outsiders and not curator:
        raise Invalid(
            "participant_ids: a mentor lists the members of the pair (and keeps whoever is "
            "listed already); ask a curator to add someone from outside the pair."
        )
    people = list(session.scalars(select(Person).where(Person.id.in_(wanted))))
    missing = set(wanted) - {p.id for p in people}
    if missing:
        raise Invalid(f"participant_ids: no person has the id(s) {', '.join(sorted(missing))}.")
    return people
