"""Browser sessions: a random id in an httpOnly cookie, and a CSRF token the page sends back.

The session cookie proves who the browser is; the CSRF token proves the request came from
Baton's own page (another site can make the browser send the cookie, but cannot read the
token to put it in a header).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from baton.service.accounts.secrets import digest, new_secret
from baton.service.db.accounts import BrowserSession, User
from baton.service.db.base import utcnow


@dataclass(frozen=True)
class StartedSession:
    cookie: str
    csrf_token: str
    expires_at: datetime


def start_session(session: Session, user: User, lifetime: timedelta) -> StartedSession:
    cookie, csrf = new_secret("bs_"), new_secret("")
    now = utcnow()
    expires = now + lifetime
    # The user's sessions that ran out are of no use to anyone: tidy them on the way in.
    session.execute(
        delete(BrowserSession).where(
            BrowserSession.user_id == user.id, BrowserSession.expires_at <= now
        )
    )
    session.add(
        BrowserSession(digest=digest(cookie), user_id=user.id, csrf_token=csrf, expires_at=expires)
    )
    return StartedSession(cookie, csrf, expires)


def find_session(session: Session, cookie: str) -> tuple[BrowserSession, User] | None:
    row = session.get(BrowserSession, digest(cookie))
    if row is None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    return row, user


def csrf_matches(row: BrowserSession, sent: str | None) -> bool:
    return sent is not None and hmac.compare_digest(row.csrf_token, sent)


def end_session(session: Session, cookie: str) -> None:
    session.execute(delete(BrowserSession).where(BrowserSession.digest == digest(cookie)))


def sign_out_everywhere(session: Session, user_id: str) -> None:
    session.execute(delete(BrowserSession).where(BrowserSession.user_id == user_id))
