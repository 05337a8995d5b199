"""What curators keep: topics, the glossary, tags on passages with their evidence, and the
search log that the search-gaps report reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.service.db.base import Base, utcnow


class Topic(Base):
    """A curated subject ("Lockout-tagout"), nested at most one level under a parent."""

    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GlossaryTerm(Base):
    """One of the programme's own words (a machine, a part code, an acronym) and its synonyms.

    Terms prime transcription (Whisper hotwords) and expand search queries.
    """

    __tablename__ = "glossary_terms"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    term: Mapped[str] = mapped_column(String(200), unique=True)
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"
# Tags that count as captured knowledge: a person confirmed them, or nobody has judged them yet.
LIVE_TAG_STATUSES = (SUGGESTED, CONFIRMED)


class Tag(Base):
    """A passage tagged to a goal or a topic, with the evidence that suggested it.

    Exactly one of ``goal_id`` and ``topic_id`` is set. ``status`` is ``suggested`` until a
    person confirms or rejects it. The passage's span is kept beside its id, so a rejection
    still holds after re-processing cuts the recording into different passages.
    """

    __tablename__ = "tags"
    __table_args__ = (
        UniqueConstraint("passage_id", "goal_id", name="uq_tags_passage_goal"),
        UniqueConstraint("passage_id", "topic_id", name="uq_tags_passage_topic"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    passage_id: Mapped[str] = mapped_column(String(36), index=True)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    goal_id: Mapped[str | None] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[str | None] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    similarity: Mapped[float] = mapped_column(Float)
    matched_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="suggested", index=True)
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchLogEntry(Base):
    """One search as asked, with how well the library could answer it."""

    __tablename__ = "search_log"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    query: Mapped[str] = mapped_column(String(500))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    hit_count: Mapped[int] = mapped_column(Integer)
    # The best meaning-match in the library for the query (cosine similarity, -1..1).
    best_similarity: Mapped[float | None] = mapped_column(Float)
    marked_unanswered: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
