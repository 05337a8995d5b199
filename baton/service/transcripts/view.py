"""The transcript as people read it: segments with their ids and named speakers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from baton.service.speakers.names import SpeakerName, name_of, speaker_names
from baton.service.transcripts.store import segment_rows


@dataclass(frozen=True)
class SegmentView:
    id: int
    start: float
    end: float
    text: str
    words: list[dict[str, Any]]
    speaker: SpeakerName | None


@dataclass(frozen=True)
class TranscriptView:
    recording_id: str
    segments: list[SegmentView]
    speakers: dict[str, SpeakerName]


def transcript_view(session: Session, recording_id: str) -> TranscriptView:
    names = speaker_names(session, [recording_id])[recording_id]
    segments = [
        SegmentView(
            id=row.id,
            start=row.start,
            end=row.end,
            text=row.text,
            words=list(row.words),
            speaker=name_of(row.speaker, names),
        )
        for row in segment_rows(session, recording_id)
    ]
    return TranscriptView(recording_id, segments, names)
