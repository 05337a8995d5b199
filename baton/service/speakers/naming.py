"""Name a recording's voices after people: by a mentor's choice, or from people's voice prints.

A mentor names a session's speakers once; each naming adds that voice to the person's print
(the seconds-weighted mean of every voice named after them). Recordings of later sessions are
matched against the prints of the session's participants only, one voice to one person, and a
match is kept when the voices are similar enough; its similarity is shown as its confidence.
Names a person chose are never overwritten by a match.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from baton.service.db.programme import Person, session_participants
from baton.service.db.speakers import (
    NAMED_AUTOMATICALLY,
    NAMED_BY_PERSON,
    RecordingSpeaker,
    VoicePrint,
)
from baton.service.db.tables import Recording
from baton.service.errors import Invalid, NotFound, not_found
from baton.service.publishing import people_heard
from baton.workers.speakers import Speakers

log = logging.getLogger(__name__)


def store_speakers(session: Session, recording_id: str, speakers: Speakers) -> None:
    """Replace the recording's voices with those just found (names come after, by matching)."""
    session.execute(delete(RecordingSpeaker).where(RecordingSpeaker.recording_id == recording_id))
    session.add_all(
        RecordingSpeaker(
            recording_id=recording_id,
            label=voice.speaker,
            seconds=voice.seconds,
            voice=list(voice.vector),
        )
        for voice in speakers.voices
    )
    session.flush()


def recording_speakers(session: Session, recording_id: str) -> list[RecordingSpeaker]:
    return list(
        session.scalars(
            select(RecordingSpeaker)
            .where(RecordingSpeaker.recording_id == recording_id)
            .order_by(RecordingSpeaker.label)
        )
    )


def name_speaker(
    session: Session,
    recording_id: str,
    label: str,
    person_id: str | None,
    known_outside_sessions: Collection[str] | None = None,
) -> RecordingSpeaker:
    """A mentor says who a voice is (or, with None, that it is nobody known).

    Only someone heard in the recording may be named (their voice print learns from it). A
    recording never filed in a session has nobody listed: then ``known_outside_sessions`` says
    whom the caller may name (a mentor: the people of their own pairs), None meaning anyone (a
    curator).
    """
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    speaker = session.scalar(
        select(RecordingSpeaker).where(
            RecordingSpeaker.recording_id == recording_id, RecordingSpeaker.label == label
        )
    )
    if speaker is None:
        raise NotFound(f"This recording has no speaker {label!r}. List its speakers to see theirs.")
    if person_id is not None:
        if session.get(Person, person_id) is None:
            raise not_found("person", person_id)
        heard = participants(session, recording)
        if heard or known_outside_sessions is not None:
            allowed = heard or set(known_outside_sessions or ())
        else:
            allowed = {person_id}
        if person_id not in allowed:
            raise Invalid(
                "That person did not take part in this recording's session, and only the "
                "people heard in a recording can be named in it (their voice print learns "
                "from it). Put the recording into its session, or add them to the session."
            )
    previous = speaker.person_id
    speaker.person_id = person_id
    speaker.named_by = NAMED_BY_PERSON if person_id else None
    speaker.confidence = None
    session.flush()
    for changed in {previous, person_id} - {None}:
        assert changed is not None
        refresh_voice_print(session, changed)
    session.flush()
    log.info("recording=%s speaker=%s named person=%s", recording_id, label, person_id)
    return speaker


def name_and_follow(
    session: Session,
    recording_id: str,
    label: str,
    person_id: str | None,
    min_similarity: float,
    known_outside_sessions: Collection[str] | None = None,
) -> list[str]:
    """Name a voice (see ``name_speaker``), then name again the other recordings whose prints
    just changed; returns every recording whose names may differ now (their index payloads
    need refreshing)."""
    previous = next(
        (s.person_id for s in recording_speakers(session, recording_id) if s.label == label), None
    )
    name_speaker(session, recording_id, label, person_id, known_outside_sessions)
    touched = {recording_id}
    for person in {previous, person_id} - {None}:
        assert person is not None
        for other in recordings_to_rename(session, person):
            if other != recording_id and name_automatically(session, other, min_similarity):
                touched.add(other)
    return sorted(touched)


def refresh_voice_print(session: Session, person_id: str) -> None:
    """Rebuild a person's print from every voice a mentor named after them."""
    named = session.scalars(
        select(RecordingSpeaker).where(
            RecordingSpeaker.person_id == person_id,
            RecordingSpeaker.named_by == NAMED_BY_PERSON,
        )
    ).all()
    # A label made by hand for a correction has no voice of its own to learn from.
    named = [s for s in named if s.voice]
    existing = session.get(VoicePrint, person_id)
    if not named:
        if existing is not None:
            session.delete(existing)
        return
    weights = np.array([max(s.seconds, 1e-3) for s in named])
    mean = (np.array([s.voice for s in named]) * weights[:, None]).sum(axis=0)
    mean /= np.linalg.norm(mean) or 1.0
    voice = [round(float(v), 6) for v in mean]
    seconds = float(weights.sum())
    recordings = len({s.recording_id for s in named})
    if existing is None:
        session.add(
            VoicePrint(person_id=person_id, voice=voice, seconds=seconds, recordings=recordings)
        )
    else:
        existing.voice, existing.seconds, existing.recordings = voice, seconds, recordings


def participants(session: Session, recording: Recording) -> set[str]:
    """The people heard in the recording (see ``publishing.people_heard``): empty for a
    recording that was never in a session."""
    return {person.id for person in people_heard(session, recording)}


def name_automatically(session: Session, recording_id: str, min_similarity: float) -> bool:
    """Match the recording's unnamed voices to its participants' prints; True if names changed."""
    recording = session.get(Recording, recording_id)
    if recording is None:
        return False
    speakers = recording_speakers(session, recording_id)
    chosen = {s.person_id for s in speakers if s.named_by == NAMED_BY_PERSON}
    open_speakers = [s for s in speakers if s.named_by != NAMED_BY_PERSON and s.voice]
    prints = _prints(session, participants(session, recording) - chosen)
    before = {s.label: (s.person_id, s.confidence) for s in open_speakers}
    for speaker in open_speakers:
        speaker.person_id, speaker.named_by, speaker.confidence = None, None, None
    if open_speakers and prints:
        people = list(prints)
        voices = np.array([s.voice for s in open_speakers])
        similarity = voices @ np.array([prints[p] for p in people]).T
        rows, cols = linear_sum_assignment(similarity, maximize=True)
        for r, c in zip(rows, cols, strict=True):
            if similarity[r, c] >= min_similarity:
                speaker = open_speakers[r]
                speaker.person_id = people[c]
                speaker.named_by = NAMED_AUTOMATICALLY
                speaker.confidence = round(float(similarity[r, c]), 3)
    session.flush()
    after = {s.label: (s.person_id, s.confidence) for s in open_speakers}
    if after != before:
        log.info("recording=%s speakers named from voice prints: %s", recording_id, after)
    return after != before


def _prints(session: Session, people: Iterable[str]) -> dict[str, np.ndarray]:
    wanted = set(people)
    if not wanted:
        return {}
    rows = session.scalars(select(VoicePrint).where(VoicePrint.person_id.in_(wanted)))
    return {row.person_id: np.array(row.voice) for row in rows}


def recordings_to_rename(session: Session, person_id: str) -> list[str]:
    """Recordings of the sessions a person took part in: their names may follow a new print."""
    return list(
        session.scalars(
            select(Recording.id)
            .join(
                session_participants,
                session_participants.c.session_id == Recording.session_id,
            )
            .where(session_participants.c.person_id == person_id)
        )
    )


def speaker_value(session: Session, recording_id: str, label: str | None) -> dict[str, Any]:
    """A speaker as an edit remembers it: the label and, if named, the person."""
    speaker = session.scalar(
        select(RecordingSpeaker).where(
            RecordingSpeaker.recording_id == recording_id, RecordingSpeaker.label == label
        )
    )
    return {"label": label, "person_id": speaker.person_id if speaker else None}


def label_for_person(session: Session, recording_id: str, person_id: str) -> str:
    """The label of the recording's voice named after the person; a new label if none is."""
    speakers = recording_speakers(session, recording_id)
    for speaker in speakers:
        if speaker.person_id == person_id:
            return speaker.label
    numbers = [int(s.label[1:]) for s in speakers if s.label[1:].isdigit()]
    label = f"S{max(numbers, default=0) + 1}"
    session.add(
        RecordingSpeaker(
            recording_id=recording_id,
            label=label,
            seconds=0.0,
            voice=[],
            person_id=person_id,
            named_by=NAMED_BY_PERSON,
        )
    )
    session.flush()
    return label
