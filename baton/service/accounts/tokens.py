"""Bearer tokens: personal ones a user creates, names and revokes, and the ones the OAuth2
password flow hands to scripts (which expire). Shown once, stored only as a digest."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.accounts.secrets import digest, new_secret
from baton.service.db.accounts import ApiToken, User
from baton.service.db.base import utcnow
from baton.service.errors import NotFound


def create_token(
    session: Session, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain token is returned this once and never again."""
    plain = new_secret("bt_")
    token = ApiToken(
        id=str(uuid.uuid4()),
        user_id=user.id,
        name=name.strip() or "token",
        digest=digest(plain),
        prefix=plain[:10],
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    audit(session, "token.created", actor=user.email, target=token.id, name=token.name)
    return token, plain


def user_for_token(session: Session, plain: str) -> User | None:
    """The live user a token belongs to, or None (unknown, revoked, expired, disabled)."""
    token = session.scalar(select(ApiToken).where(ApiToken.digest == digest(plain)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = session.get(User, token.user_id)
    if user is None or user.disabled:
        return None
    token.last_used_at = now
    return user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        )
    )


def revoke_token(session: Session, user: User, token_id: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"You have no token with the id {token_id!r}. List your tokens to see them.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit(session, "token.revoked", actor=user.email, target=token.id, name=token.name)
    return token


def revoke_every_token(session: Session, user_id: str) -> int:
    """End every bearer token of an account, personal and password-flow alike: what a password
    reset or a disabled account must end (a re-enabled account starts with none). How many."""
    ended = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(ended, "rowcount", 0) or 0)
