"""Read what an export needs from the database: a recording's transcript, a topic's passages.

Access rules arrive with accounts (issue 5); every export goes through these two functions,
so that is where the same rule as search will narrow what a person gets.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select
from sqlalchemy.orm import Session

from baton.service.curation.topics import get_topic, topic_passages
from baton.service.db.programme import MentoringSession, Pair, Person
from baton.service.db.tables import Recording
from baton.service.errors import not_found
from baton.service.exports.documents import (
    ExportLine,
    PackPassage,
    RecordingDocument,
    TopicPack,
)
from baton.service.programme.pairs import pair_names
from baton.service.transcripts.view import transcript_view


def moment_link(base_url: str, recording_id: str) -> str:
    """The web app's address of a recording; ``&t=<seconds>`` opens it at a moment."""
    return f"{base_url.rstrip('/')}/#play={recording_id}"


def recording_document(session: Session, recording_id: str, base_url: str) -> RecordingDocument:
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    meeting = session.get(MentoringSession, recording.session_id) if recording.session_id else None
    pair = session.get(Pair, meeting.pair_id) if meeting else None
    view = transcript_view(session, recording_id)
    return RecordingDocument(
        recording_id=recording.id,
        title=recording.title,
        duration=recording.duration or 0.0,
        language=recording.language,
        held_on=meeting.held_on if meeting else recording.created_at.date(),
        pair=pair_names(session, [pair])[pair.id] if pair else None,
        link=moment_link(base_url, recording.id),
        lines=tuple(
            ExportLine(s.start, s.end, s.text, s.speaker.name if s.speaker else None)
            for s in view.segments
            if s.text.strip()
        ),
    )


def topic_pack(
    session: Session, topic_id: str, base_url: str, visible: Select[str] | None = None
) -> TopicPack:
    """The topic's approved passages; only those of the recordings in ``visible`` when given."""
    topic = get_topic(session, topic_id)
    owner = session.get(Person, topic.owner_id) if topic.owner_id else None
    passages = sorted(
        topic_passages(session, topic_id, visible),
        key=lambda p: (p.held_on or datetime.min.date(), p.recording_title, p.start),
    )
    return TopicPack(
        topic_id=topic.id,
        name=topic.name,
        description=topic.description or None,
        keywords=tuple(topic.keywords or ()),
        owner=owner.name if owner else None,
        generated_at=datetime.now(UTC),
        passages=tuple(
            PackPassage(
                recording_id=p.recording_id,
                recording_title=p.recording_title,
                held_on=p.held_on,
                start=p.start,
                end=p.end,
                text=p.text,
                speakers=tuple(p.speakers),
                link=f"{moment_link(base_url, p.recording_id)}&t={int(p.start)}",
            )
            for p in passages
        ),
    )
