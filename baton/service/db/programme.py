"""The mentoring programme: people, two-way pairs, the goals a pair set, and its sessions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baton.service.db.base import Base, utcnow


class Person(Base):
    """Someone in the programme: an expert, a new starter, a curator; skills go both ways."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    job_title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    site: Mapped[str | None] = mapped_column(String(200))
    skills_to_teach: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills_to_learn: Mapped[list[str]] = mapped_column(JSON, default=list)
    # For experts: the planned leaving or retirement date, which drives knowledge-at-risk.
    leaving_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Pair(Base):
    """Two people who mentor each other: each member both teaches and learns.

    ``cadence_days`` is how often they agreed to meet (every 14 days for 30 minutes, say);
    a pair whose last session is older than that is overdue.
    """

    __tablename__ = "pairs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_member_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    second_member_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    cadence_days: Mapped[int] = mapped_column(Integer)
    session_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goals: Mapped[list[Goal]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Goal.created_at"
    )

    @property
    def member_ids(self) -> tuple[str, str]:
        return (self.first_member_id, self.second_member_id)


class Goal(Base):
    """What one member of a pair teaches the other, with milestones on the way.

    ``milestones`` is a list of ``{"title", "due_date" (ISO date or null), "done"}``.
    """

    __tablename__ = "goals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    learner_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


session_participants = Table(
    "session_participants",
    Base.metadata,
    Column(
        "session_id",
        ForeignKey("mentoring_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
)


class MentoringSession(Base):
    """One meeting of a pair; its recordings point back at it (``Recording.session_id``)."""

    __tablename__ = "mentoring_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participants: Mapped[list[Person]] = relationship(
        secondary=session_participants, lazy="selectin", order_by="Person.name"
    )
