"""The capture tables: recordings, their ingest jobs, transcript segments and passages.

Alembic migrations under ``migrations/versions`` create exactly the tables of ``schema.py``
(this module, ``programme.py`` and ``curation.py``); a test checks that the two never drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baton.service.db.base import Base, utcnow


class Recording(Base):
    """One uploaded media file; its processing state lives on its latest ``Job``."""

    __tablename__ = "recordings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    original_filename: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    """The file's SHA-256, by which the same upload is recognised; for a copy of a file already
    in the library that its uploader may not see, the SHA-256 of that and the uploader's id
    (``library._same_file``)."""
    container: Mapped[str | None] = mapped_column(String(100))
    has_video: Mapped[bool] = mapped_column(default=False)
    duration: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The mentoring session it was recorded in; a recording may also stand alone.
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("mentoring_sessions.id", ondelete="SET NULL", name="fk_recordings_session_id"),
        index=True,
    )

    published_at: Mapped[datetime | None] = mapped_column()
    """Set while the recording is in the library, for learners to find; needs every
    participant's consent, and a withdrawal takes it out at once."""
    published_by: Mapped[str | None] = mapped_column(String(320))
    uploaded_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", name="fk_recordings_uploaded_by")
    )
    """The account that brought it in, which always sees it (a stand-alone upload has no pair
    whose members would)."""

    jobs: Mapped[list[Job]] = relationship(
        back_populates="recording",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Job.created_at",
        lazy="selectin",
    )
    segments: Mapped[list[Segment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )
    passages: Mapped[list[Passage]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )

    @property
    def latest_job(self) -> Job | None:
        return self.jobs[-1] if self.jobs else None

    @property
    def status_job(self) -> Job | None:
        """The job the recording's status comes from: the latest one that is not a refining
        pass (a recording being refined is ready, and stays ready if refining fails)."""
        return next((job for job in reversed(self.jobs) if not job.refine), self.latest_job)

    @property
    def refining(self) -> bool:
        job = self.latest_job
        return job is not None and job.refine and job.status in ("queued", "processing")


class Job(Base):
    """One run of the ingest pipeline over a recording.

    ``completed_stages`` counts the stages finished so far, so that a job interrupted by a
    crash resumes after the last stage whose output was stored. ``lease_expires_at`` marks a
    job as owned by a live worker; an expired lease means the worker died.
    """

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    stage: Mapped[str | None] = mapped_column(String(30))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    completed_stages: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_expires_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    stage_seconds: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    whisper_model: Mapped[str | None] = mapped_column(String(300))
    """A model other than the configured one, for a re-transcription someone asked for."""
    refine: Mapped[bool] = mapped_column(default=False, server_default=false())
    """The automatic second pass with the more accurate model (``whisper_refine_model``):
    the recording stays ready and searchable on its first transcript meanwhile."""

    recording: Mapped[Recording] = relationship(back_populates="jobs")


class Segment(Base):
    """A stretch of speech as the recogniser returned it, with word timings."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    speaker: Mapped[str | None] = mapped_column(String(16))
    """The recording's speaker label (``S1``…); ``RecordingSpeaker`` says who that is."""


class Passage(Base):
    """A searchable stretch of a recording; its id is also its point id in the index."""

    __tablename__ = "passages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    word_count: Mapped[int] = mapped_column(Integer)
    speakers: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    """Seconds of speech per speaker label, the main speaker first."""
    phase: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """0 for the passages proper, which tags, goals and topics use; 1 and up for the shifted
    cuts search also ranks (``workers/passages.py``), which overlap them."""


class Sentence(Base):
    """One sentence of a recording's transcript with a vector of its own, by which search
    finds the part of a hit that answers the question (``service/answers.py``)."""

    __tablename__ = "sentences"
    # Search reads the sentences of a few hits by recording and a range of starts.
    __table_args__ = (Index("ix_sentences_recording_start", "recording_id", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    turn_start: Mapped[float] = mapped_column(Float)
    """Where the turn of the person saying it began."""
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    """The dense embedding, unit length, as float16 (768 bytes for MiniLM's 384 dimensions)."""
