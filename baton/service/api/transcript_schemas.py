"""Shapes of the transcript routes: segments with speakers, corrections, versions, speakers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator

from baton.service.curation.tags import TagView
from baton.service.db.speakers import RecordingSpeaker, SegmentEdit, TranscriptVersion
from baton.service.speakers.names import SpeakerName
from baton.service.transcripts.view import SegmentView


class WordPublic(BaseModel):
    start: float
    end: float
    word: str
    probability: float


class SpeakerPublic(BaseModel):
    label: str = Field(description="The voice's label in this recording: S1, S2…")
    name: str = Field(description="The person's name, or 'Speaker 1' while unnamed.")
    person_id: str | None = None
    named_by: str | None = Field(
        None, description="'person' (a mentor chose) or 'voice_print' (matched automatically)."
    )
    confidence: float | None = Field(
        None, description="For an automatic name: how similar the voice is to the person's print."
    )

    @classmethod
    def of(cls, name: SpeakerName) -> SpeakerPublic:
        return cls(
            label=name.label,
            name=name.name,
            person_id=name.person_id,
            named_by=name.named_by,
            confidence=name.confidence,
        )


class SegmentPublic(BaseModel):
    id: int = Field(description="Use it to correct the segment.")
    start: float
    end: float
    text: str
    speaker: SpeakerPublic | None
    words: list[WordPublic]

    @classmethod
    def of(cls, segment: SegmentView) -> SegmentPublic:
        return cls(
            id=segment.id,
            start=segment.start,
            end=segment.end,
            text=segment.text,
            speaker=SpeakerPublic.of(segment.speaker) if segment.speaker else None,
            words=[WordPublic(**w) for w in segment.words],
        )


class PassageTagPublic(BaseModel):
    kind: str = Field(description="goal or topic")
    id: str = Field(description="The goal's or the topic's id.")
    name: str
    start: float = Field(description="Where the tagged passage starts, in seconds.")
    end: float
    status: str = Field(description="confirmed, or suggested (shown to those who work on it)")

    @classmethod
    def of(cls, view: TagView) -> PassageTagPublic:
        tag = view.tag
        target = tag.goal_id if view.kind == "goal" else tag.topic_id
        return cls(
            kind=view.kind,
            id=target or "",
            name=view.target_name,
            start=tag.start,
            end=tag.end,
            status=tag.status,
        )


class TranscriptPublic(BaseModel):
    recording_id: str
    language: str | None
    version: int
    speakers: list[SpeakerPublic]
    segments: list[SegmentPublic]
    tags: list[PassageTagPublic] = Field(
        default_factory=list,
        description="The goals and topics of the recording's passages, in time order: confirmed "
        "ones for everyone, suggested ones too for curators and the recording's pair.",
    )


class RecordingSpeakerPublic(SpeakerPublic):
    seconds: float = Field(description="How long this voice speaks in the recording.")

    @classmethod
    def of_row(cls, row: RecordingSpeaker, name: SpeakerName) -> RecordingSpeakerPublic:
        return cls(**SpeakerPublic.of(name).model_dump(), seconds=row.seconds)


class NameSpeakerRequest(BaseModel):
    person_id: str | None = Field(
        max_length=36, description="The person this voice belongs to; null to unname it."
    )


class SegmentEditRequest(BaseModel):
    text: str | None = Field(None, max_length=10_000, description="The corrected words.")
    speaker: str | None = Field(None, max_length=16, description="A speaker label (S1…).")
    person_id: str | None = Field(None, max_length=36, description="Or the person who spoke.")

    @model_validator(mode="after")
    def something_to_change(self) -> SegmentEditRequest:
        if self.text is None and self.speaker is None and self.person_id is None:
            raise ValueError("Give the corrected text, a speaker, or a person_id.")
        if self.speaker is not None and self.person_id is not None:
            raise ValueError("Give either a speaker label or a person_id, not both.")
        return self


class EditPublic(BaseModel):
    id: int
    segment_id: int | None
    version: int
    start: float
    end: float
    field: str
    before: Any
    after: Any
    edited_by: str
    edited_at: datetime
    reverts_id: int | None
    carried_from_id: int | None
    reverted_at: datetime | None
    reverted_by: str | None

    @classmethod
    def of(cls, edit: SegmentEdit) -> EditPublic:
        before, after = edit.before, edit.after
        if edit.field == "text":
            # The word timings stay in the database; people compare the words.
            before, after = before["text"], after["text"]
        return cls(
            id=edit.id,
            segment_id=edit.segment_id,
            version=edit.version,
            start=edit.start,
            end=edit.end,
            field=edit.field,
            before=before,
            after=after,
            edited_by=edit.edited_by,
            edited_at=edit.edited_at,
            reverts_id=edit.reverts_id,
            carried_from_id=edit.carried_from_id,
            reverted_at=edit.reverted_at,
            reverted_by=edit.reverted_by,
        )


class SegmentEdited(BaseModel):
    segment: SegmentPublic
    edits: list[EditPublic]
    reindexed_passages: int = Field(description="Passages re-embedded because of this change.")


class VersionPublic(BaseModel):
    number: int
    model: str
    created_at: datetime
    superseded_at: datetime | None
    current: bool
    note: str | None

    @classmethod
    def of(cls, version: TranscriptVersion) -> VersionPublic:
        return cls(
            number=version.number,
            model=version.model,
            created_at=version.created_at,
            superseded_at=version.superseded_at,
            current=version.superseded_at is None,
            note=version.note,
        )


class ArchivedSegment(BaseModel):
    start: float
    end: float
    text: str
    speaker: str | None


class VersionTranscript(VersionPublic):
    segments: list[ArchivedSegment]
