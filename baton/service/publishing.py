"""Consent and publishing: a recording enters the library only with the consent of everyone
heard or filmed in it, and leaves it the moment one of them withdraws.

Who that is does not follow the session's list as it is edited: everyone listed in the session
while the recording was filed there is kept with the recording (``recording_participants``), and
whoever is listed now is added. Changing the list or moving the recording can therefore only
add people; a change that adds someone who has not consented unpublishes at once, as a
withdrawal does. Only a curator's correction takes someone out (see ``forget_people_heard``).

Every change of consent is a row (who, when, given or withdrawn) and the latest per person
stands; publishing, unpublishing and consent changes also go to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.db.accounts import ConsentChange, recording_participants
from baton.service.db.base import utcnow
from baton.service.db.programme import MentoringSession, Person
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


def people_heard(session: Session, recording: Recording) -> list[Person]:
    """Whose consent publishing ``recording`` needs: everyone kept with it, and everyone its
    session lists now; by name."""
    everyone = _kept(session, recording) | _listed(session, recording)
    return list(
        session.scalars(select(Person).where(Person.id.in_(everyone)).order_by(Person.name))
    )


def remember_people_heard(session: Session, recording: Recording) -> None:
    """Keep everyone its session lists now with the recording, for good: call it before and
    after anything changes the list or the recording's session."""
    missing = _listed(session, recording) - _kept(session, recording)
    if missing:
        session.execute(
            insert(recording_participants),
            [{"recording_id": recording.id, "person_id": person} for person in sorted(missing)],
        )


def _kept(session: Session, recording: Recording) -> set[str]:
    return set(
        session.scalars(
            select(recording_participants.c.person_id).where(
                recording_participants.c.recording_id == recording.id
            )
        )
    )


def _listed(session: Session, recording: Recording) -> set[str]:
    meeting = session.get(MentoringSession, recording.session_id) if recording.session_id else None
    return {person.id for person in meeting.participants} if meeting else set()


def forget_people_heard(
    session: Session, recording: Recording, person_ids: Iterable[str], actor: str
) -> None:
    """A curator's correction: these people were listed by mistake and are not heard in the
    recording, so their consent is no longer needed (kept in the audit log)."""
    people = sorted(set(person_ids))
    if not people:
        return
    session.execute(
        delete(recording_participants).where(
            recording_participants.c.recording_id == recording.id,
            recording_participants.c.person_id.in_(people),
        )
    )
    audit(session, "consent.participants_removed", actor=actor, target=recording.id, people=people)


def recheck_publication(session: Session, recording: Recording, actor: str) -> None:
    """After the people heard changed: unpublish at once if someone's consent is missing."""
    if recording.published_at is not None and consent_state(session, recording.id).missing:
        _unpublish(session, recording, actor, reason="consent missing after a change of people")


def consent_state(session: Session, recording_id: str) -> ConsentState:
    recording = get_recording(session, recording_id)
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
        for person in people_heard(session, recording)
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
            "Nobody is known to take part in this recording, so nobody can consent to "
            "publishing it. Put it into its session first."
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
