"""Voice prints and naming on a real database (SQLite, and PostgreSQL when it runs)."""

from __future__ import annotations

import uuid
from datetime import date

import numpy as np
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from baton.service.db import schema  # noqa: F401 - every table mapped
from baton.service.db.programme import MentoringSession, Pair, Person
from baton.service.db.speakers import RecordingSpeaker, VoicePrint
from baton.service.db.tables import Recording
from baton.service.speakers.naming import label_for_person, name_automatically, name_speaker


def _unit(*values: float) -> list[float]:
    vector = np.zeros(256)
    vector[: len(values)] = values
    return list(vector / np.linalg.norm(vector))


def _recording(session: Session, meeting: MentoringSession, voices: dict[str, list[float]]) -> str:
    recording = Recording(
        id=str(uuid.uuid4()),
        title="t",
        original_filename="t.wav",
        size_bytes=1,
        sha256=uuid.uuid4().hex,
        session_id=meeting.id,
    )
    session.add(recording)
    session.flush()
    for label, voice in voices.items():
        session.add(
            RecordingSpeaker(recording_id=recording.id, label=label, seconds=60.0, voice=voice)
        )
    session.flush()
    return recording.id


def test_a_print_names_the_next_session_and_a_hand_made_label_does_not_break_it(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    with Session(engine) as session:
        a = Person(id=str(uuid.uuid4()), name="A", email="a@x.test")
        b = Person(id=str(uuid.uuid4()), name="B", email="b@x.test")
        session.add_all([a, b])
        session.flush()
        pair = Pair(
            id=str(uuid.uuid4()),
            first_member_id=a.id,
            second_member_id=b.id,
            started_on=date(2026, 1, 1),
            cadence_days=14,
            session_minutes=30,
        )
        session.add(pair)
        session.flush()
        meeting = MentoringSession(
            id=str(uuid.uuid4()), pair_id=pair.id, held_on=date(2026, 2, 1), participants=[a, b]
        )
        session.add(meeting)
        session.flush()
        first = _recording(session, meeting, {"S1": _unit(1, 0.1), "S2": _unit(0.1, 1)})
        # A correction gave B a label of its own before anyone named a voice.
        assert label_for_person(session, first, b.id) == "S3"
        name_speaker(session, first, "S1", a.id)
        name_speaker(session, first, "S2", b.id)
        prints = {p.person_id: p for p in session.query(VoicePrint)}
        assert set(prints) == {a.id, b.id} and prints[b.id].recordings == 1

        second = _recording(session, meeting, {"S1": _unit(0.12, 1), "S2": _unit(1, 0.08)})
        assert name_automatically(session, second, 0.8)
        named = {s.label: s for s in session.query(RecordingSpeaker).filter_by(recording_id=second)}
        assert (named["S1"].person_id, named["S2"].person_id) == (b.id, a.id)
        assert named["S1"].named_by == "voice_print" and named["S1"].confidence > 0.99
        # Unnaming the only voice named after A removes A's print.
        name_speaker(session, first, "S1", None)
        assert session.get(VoicePrint, a.id) is None
    engine.dispose()
