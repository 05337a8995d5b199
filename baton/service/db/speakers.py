"""Who spoke, and how people corrected what was heard.

``RecordingSpeaker`` holds each voice found in a recording (``S1``, ``S2``…) and the person it
was named after, by a mentor or automatically from that person's ``VoicePrint``.
``SegmentEdit`` keeps every correction of a segment's words or speaker with who and when, so
that any edit can be reverted; ``TranscriptVersion`` keeps each transcription of a recording,
so re-transcribing with another model never throws the previous one away.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.service.db.base import Base, utcnow

NAMED_BY_PERSON = "person"
NAMED_AUTOMATICALLY = "voice_print"


class RecordingSpeaker(Base):
    """One voice in one recording, with its mean voice vector and whom it belongs to."""

    __tablename__ = "recording_speakers"
    __table_args__ = (UniqueConstraint("recording_id", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(16))
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    voice: Mapped[list[float]] = mapped_column(JSON, default=list)
    person_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    named_by: Mapped[str | None] = mapped_column(String(20))
    """``person`` (a mentor chose) or ``voice_print`` (matched automatically)."""
    confidence: Mapped[float | None] = mapped_column(Float)
    """For an automatic name: the cosine similarity of this voice to the person's print."""


class VoicePrint(Base):
    """A person's voice: the mean of the voices mentors named after them, weighted by seconds."""

    __tablename__ = "voice_prints"

    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    voice: Mapped[list[float]] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float)
    recordings: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SegmentEdit(Base):
    """One correction of one segment: the field, its value before and after, who and when."""

    __tablename__ = "segment_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("segments.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    """The transcript version the edit was made on (or carried over to)."""
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    field: Mapped[str] = mapped_column(String(16))
    """``text`` or ``speaker``."""
    before: Mapped[Any] = mapped_column(JSON)
    after: Mapped[Any] = mapped_column(JSON)
    edited_by: Mapped[str] = mapped_column(String(200))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("segment_edits.id"))
    """Set on an edit that undoes an earlier one."""
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("segment_edits.id"))
    """Set on an edit re-applied to a new transcription of the same recording."""
    reverted_at: Mapped[datetime | None] = mapped_column()
    reverted_by: Mapped[str | None] = mapped_column(String(200))


class TranscriptVersion(Base):
    """One transcription of a recording. Superseded versions keep their segments as JSON."""

    __tablename__ = "transcript_versions"
    __table_args__ = (UniqueConstraint("recording_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(300))
    job_id: Mapped[str | None] = mapped_column(String(36))
    """The ingest job that made it (a resumed job keeps its version)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column()
    segments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """Filled when superseded: the segments as they read then, edits included."""
    note: Mapped[str | None] = mapped_column(Text)
