"""Who may use Baton: user accounts, their API tokens and browser sessions, and the audit log.

Secrets are never stored: passwords as argon2 hashes, tokens and session ids as SHA-256 digests
(they are long random strings, so a fast hash is enough and lookups stay one indexed query).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from baton.service.db.base import Base, utcnow


class User(Base):
    """Someone who signs in; ``roles`` holds any of admin, curator, mentor, learner."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """None for an account that signs in only through single sign-on."""
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    person_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    """The programme's person this account is (a mentor's pairs come from there)."""
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    next_login_at: Mapped[datetime | None] = mapped_column()
    """Unused since migration 0011: failures are counted per account and source
    (``SignInFailures``), so that guesses from one place cannot lock everyone out."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token: personal ones a user names and revokes, and the password flow's."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    """The token's first characters, so a person can tell their tokens apart."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class BrowserSession(Base):
    """A signed-in browser: the cookie holds the id, the page echoes ``csrf_token``."""

    __tablename__ = "browser_sessions"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class SignInFailures(Base):
    """Failed sign-ins in a row to one account from one network address, and the moment the
    next attempt from there may be checked (see ``accounts.login``)."""

    __tablename__ = "sign_in_failures"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()


class AuditEntry(Base):
    """Who did what to what, and when: sign-ins, tokens, accounts, deletions, later views."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(320))
    """The user's email, or None for an anonymous request."""
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConsentChange(Base):
    """A participant gives or withdraws consent to publish a recording; the latest one stands."""

    __tablename__ = "consent_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    given: Mapped[bool] = mapped_column(Boolean)
    changed_by: Mapped[str] = mapped_column(String(320))
    """The account that made the change (the participant's own)."""
    at: Mapped[datetime] = mapped_column(default=utcnow)


recording_participants = Table(
    "recording_participants",
    Base.metadata,
    Column("recording_id", ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
)
"""Everyone listed in a recording's session while the recording was filed there: the people
heard or filmed, whose consent publishing needs. It only grows, so that changing the session's
list or moving the recording never needs fewer people (a curator's correction aside)."""


class Redaction(Base):
    """A stretch of a recording taken out for privacy: its words are gone from the transcript,
    the index and every export, and its audio is silent. The reason never repeats the words."""

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
