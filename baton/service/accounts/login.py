"""Signing in with email and password, slowed down and then locked after repeated failures.

Failures are counted per account *and* network address. After three in a row from one address
each further attempt from there must wait, twice as long each time (2 s, 4 s…); after the sixth
the account is locked for fifteen minutes from that address. Attempts made while waiting are
refused without checking the password, so guessing cannot go faster than the clock; and since
the count belongs to the address, someone guessing elsewhere cannot lock the owner (or the only
admin) out. A lock that has run out starts the count again; a success clears the address's
count, an admin's password reset (or ``baton users reset-password`` on the server) every count.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.accounts.passwords import verify_password
from baton.service.accounts.users import find_user
from baton.service.db.accounts import SignInFailures, User
from baton.service.db.base import utcnow
from baton.service.errors import ServiceError

FREE_FAILURES = 3
LOCK_AFTER = 6
LOCK_FOR = timedelta(minutes=15)


class LoginRefused(ServiceError):
    """Wrong email or password (401), or too many attempts for now (429, ``retry_after``)."""

    def __init__(self, detail: str, status: int = 401, retry_after: int | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        super().__init__(detail, headers)
        self.status = status


def authenticate(session: Session, email: str, password: str, source: str) -> User | LoginRefused:
    """The user with this email and password, or the refusal saying why not, in words;
    ``source`` is the network address the attempt came from.

    The refusal is returned, not raised, so that the caller commits the failure count (and
    the audit entry) before answering.
    """
    user = find_user(session, email)
    now = utcnow()
    failures = session.get(SignInFailures, (user.id, source[:64])) if user is not None else None
    if failures is not None and failures.next_attempt_at is not None:
        if failures.next_attempt_at > now:
            assert user is not None
            return _waiting(session, user, failures, now)
        if failures.count >= LOCK_AFTER:  # the lock has run out: a fresh start
            failures.count, failures.next_attempt_at = 0, None
    # The hash is checked whatever the account: an unknown email (checked against a dummy
    # hash) costs what a wrong password costs, so timing does not tell which accounts exist.
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or user.disabled or not matches:
        if user is not None:
            _count_failure(session, failures or SignInFailures(user_id=user.id, source=source[:64]))
        audit(session, "login.failed", actor=email.strip().lower()[:320], source=source)
        return LoginRefused("The email or password is wrong. Check both and try again.")
    if failures is not None:
        session.delete(failures)
    audit(session, "login.succeeded", actor=user.email, source=source)
    return user


def _waiting(session: Session, user: User, failures: SignInFailures, now: datetime) -> LoginRefused:
    assert failures.next_attempt_at is not None
    wait = math.ceil((failures.next_attempt_at - now).total_seconds())
    locked = failures.count >= LOCK_AFTER
    audit(session, "login.refused_waiting", actor=user.email, wait_seconds=wait)
    return LoginRefused(
        (
            f"This account is locked here after {failures.count} failed sign-ins. Try again "
            f"in {math.ceil(wait / 60)} minutes, or ask an admin to reset the password."
        )
        if locked
        else f"Too many failed sign-ins: wait {wait} seconds before trying again.",
        status=429,
        retry_after=wait,
    )


def _count_failure(session: Session, failures: SignInFailures) -> None:
    failures.count = (failures.count or 0) + 1
    if failures.count >= LOCK_AFTER:
        failures.next_attempt_at = utcnow() + LOCK_FOR
    elif failures.count >= FREE_FAILURES:
        failures.next_attempt_at = utcnow() + timedelta(seconds=2 ** (failures.count - 2))
    session.add(failures)
