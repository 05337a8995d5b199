"""A recording's transcript in the database: segment rows to and from the workers' values.

Segments are replaced as a whole after transcription and again after speaker finding (which
may split them at speaker changes); corrections then edit single rows in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from baton.service.db.tables import Recording
from baton.service.db.tables import Segment as SegmentRow
from baton.workers.transcript import Segment, Transcript, Word


def words_json(words: Sequence[Word]) -> list[dict[str, Any]]:
    return [
        {"start": w.start, "end": w.end, "word": w.text, "probability": w.probability}
        for w in words
    ]


def words_from_json(words: Sequence[dict[str, Any]]) -> tuple[Word, ...]:
    return tuple(Word(w["start"], w["end"], w["word"], w["probability"]) for w in words)


def store_segments(session: Session, recording_id: str, segments: Sequence[Segment]) -> None:
    """Replace the recording's segments with these, in order."""
    session.execute(delete(SegmentRow).where(SegmentRow.recording_id == recording_id))
    session.add_all(
        SegmentRow(
            recording_id=recording_id,
            position=i,
            start=s.start,
            end=s.end,
            text=s.text,
            words=words_json(s.words),
            speaker=s.speaker,
        )
        for i, s in enumerate(segments)
    )


def segment_rows(session: Session, recording_id: str) -> list[SegmentRow]:
    return list(
        session.scalars(
            select(SegmentRow)
            .where(SegmentRow.recording_id == recording_id)
            .order_by(SegmentRow.position)
        )
    )


def to_segment(row: SegmentRow) -> Segment:
    return Segment(row.start, row.end, row.text, words_from_json(row.words), row.speaker)


def load_transcript(session: Session, recording_id: str) -> Transcript | None:
    """The stored transcript, or None when the recording has none yet."""
    recording = session.get(Recording, recording_id)
    rows = segment_rows(session, recording_id)
    if recording is None or not rows:
        return None
    return Transcript(
        recording.language or "en",
        1.0,
        recording.duration or 0.0,
        tuple(to_segment(row) for row in rows),
    )
