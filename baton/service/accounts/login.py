"""Signing in with email and password, slowed down and then locked after repeated failures.

After three failures in a row each further attempt must wait, twice as long each time (2 s,
4 s…); after the sixth the account is locked for fifteen minutes. Attempts made while waiting
are refused without checking the password, so guessing cannot go faster than the clock. A
success, or an admin's password reset, clears the count.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.accounts.passwords import verify_password
from baton.service.accounts.users import find_user
from baton.service.db.accounts import User
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


def authenticate(session: Session, email: str, password: str) -> User | LoginRefused:
    """The user with this email and password, or the refusal saying why not, in words.

    The refusal is returned, not raised, so that the caller commits the failure count (and
    the audit entry) before answering.
    """
    user = find_user(session, email)
    now = utcnow()
    if user is not None and user.next_login_at is not None and user.next_login_at > now:
        wait = math.ceil((user.next_login_at - now).total_seconds())
        locked = user.failed_logins >= LOCK_AFTER
        audit(session, "login.refused_waiting", actor=user.email, wait_seconds=wait)
        return LoginRefused(
            (
                f"This account is locked after {user.failed_logins} failed sign-ins. Try again "
                f"in {math.ceil(wait / 60)} minutes, or ask an admin to reset the password."
            )
            if locked
            else f"Too many failed sign-ins: wait {wait} seconds before trying again.",
            status=429,
            retry_after=wait,
        )
    # The hash is checked whatever the account: an unknown email (checked against a dummy
    # hash) costs what a wrong password costs, so timing does not tell which accounts exist.
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or user.disabled or not matches:
        if user is not None:
            _count_failure(user)
        audit(session, "login.failed", actor=email.strip().lower()[:320])
        return LoginRefused("The email or password is wrong. Check both and try again.")
    user.failed_logins, user.next_login_at = 0, None
    audit(session, "login.succeeded", actor=user.email)
    return user


def _count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= LOCK_AFTER:
        user.next_login_at = utcnow() + LOCK_FOR
    elif user.failed_logins >= FREE_FAILURES:
        user.next_login_at = utcnow() + timedelta(seconds=2 ** (user.failed_logins - 2))
