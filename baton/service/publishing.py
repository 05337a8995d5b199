"""Consent and publishing: a recording enters the library only with every participant's
consent, and leaves it the moment one of them withdraws.

Every change of consent is a row (who, when, given or withdrawn) and the latest per person
stands; publishing, unpublishing and consent changes also go to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.db.accounts import ConsentChange
from baton.service.db.base import utcnow
from baton.service.db.programme import MentoringSession
from baton.service.db.tables import Recording
from baton.service.errors import Conflict, not_found


@dataclass(frozen=True)
class ParticipantConsent:
    person_id: str
    name: str
    given: bool | None
    """None: not asked yet (or never answered)."""
    at: datetime | None


@dataclass(frozen=True)
class ConsentState:
    recording_id: str
    published_at: datetime | None
    participants: list[ParticipantConsent]
    history: list[ConsentChange]

    @property
    def missing(self) -> list[str]:
        return [p.name for p in self.participants if p.given is not True]


def get_recording(session: Session, recording_id: str) -> Recording:
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    return recording


def consent_state(session: Session, recording_id: str) -> ConsentState:
    recording = get_recording(session, recording_id)
    meeting = session.get(MentoringSession, recording.session_id) if recording.session_id else None
    history = list(
        session.scalars(
            select(ConsentChange)
            .where(ConsentChange.recording_id == recording_id)
            .order_by(ConsentChange.id)
        )
    )
    latest = {change.person_id: change for change in history}
    participants = [
        ParticipantConsent(
            person.id,
            person.name,
            latest[person.id].given if person.id in latest else None,
            latest[person.id].at if person.id in latest else None,
        )
        for person in (meeting.participants if meeting else [])
    ]
    return ConsentState(recording_id, recording.published_at, participants, history[::-1])


def set_consent(
    session: Session, recording_id: str, person_id: str, given: bool, actor: str
) -> ConsentState:
    """The participant's own consent; withdrawing it unpublishes the recording at once."""
    recording = get_recording(session, recording_id)
    session.add(
        ConsentChange(recording_id=recording_id, person_id=person_id, given=given, changed_by=actor)
    )
    audit(
        session,
        "consent.given" if given else "consent.withdrawn",
        actor=actor,
        target=recording_id,
        person_id=person_id,
    )
    if not given and recording.published_at is not None:
        _unpublish(session, recording, actor, reason="consent withdrawn")
    session.flush()
    return consent_state(session, recording_id)


def publish(session: Session, recording_id: str, actor: str) -> ConsentState:
    state = consent_state(session, recording_id)
    if not state.participants:
        raise Conflict(
            "This recording is in no mentoring session, so nobody can consent to publishing "
            "it. Put it into its session first."
        )
    if state.missing:
        raise Conflict(
            "Publishing needs the consent of every participant; still missing: "
            f"{', '.join(state.missing)}."
        )
    recording = get_recording(session, recording_id)
    if recording.published_at is None:
        recording.published_at, recording.published_by = utcnow(), actor
        audit(session, "recording.published", actor=actor, target=recording_id)
    session.flush()
    return consent_state(session, recording_id)


def unpublish(session: Session, recording_id: str, actor: str) -> ConsentState:
    recording = get_recording(session, recording_id)
    if recording.published_at is not None:
        _unpublish(session, recording, actor, reason="taken out")
    session.flush()
    return consent_state(session, recording_id)


def _unpublish(session: Session, recording: Recording, actor: str, reason: str) -> None:
    recording.published_at, recording.published_by = None, None
    audit(session, "recording.unpublished", actor=actor, target=recording.id, reason=reason)
