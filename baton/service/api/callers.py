"""Who is calling: a bearer token (personal or from the password flow) or a browser session.

A browser session is a cookie, which another site can make the browser send; so a request that
changes something must also carry the session's CSRF token in the ``X-CSRF-Token`` header.
Tokens are not sent by browsers on their own and need no such proof.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from baton.service.accounts import browser, tokens
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.db.accounts import User
from baton.service.errors import ServiceError

SESSION_COOKIE = "baton_session"
CSRF_COOKIE = "baton_csrf"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class NotSignedIn(ServiceError):
    status = 401

    def __init__(self, detail: str) -> None:
        super().__init__(detail, {"WWW-Authenticate": "Bearer"})


class Forbidden(ServiceError):
    status = 403


@dataclass(frozen=True)
class Caller:
    """The signed-in user as routes see them (a plain value, usable after the session closes)."""

    user_id: str
    email: str
    roles: frozenset[str]
    person_id: str | None
    via: str
    """``token`` or ``session``."""

    @classmethod
    def of(cls, user: User, via: str) -> Caller:
        return cls(user.id, user.email, frozenset(user.roles), user.person_id, via)


async def optional_caller(request: Request, runtime: RuntimeDep) -> Caller | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, credential = authorization.partition(" ")
    if scheme.lower() == "bearer" and credential.strip():

        def by_token(session: Session) -> Caller | None:
            user = tokens.user_for_token(session, credential.strip())
            return Caller.of(user, "token") if user else None

        caller = await in_transaction(runtime, by_token)
        if caller is None:
            raise NotSignedIn(
                "This token is not valid: it may have been revoked or have expired. "
                "Create a new one, or sign in again."
            )
        return caller
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    sent_csrf = request.headers.get(CSRF_HEADER)

    def by_cookie(session: Session) -> Caller | None:
        found = browser.find_session(session, cookie)
        if found is None:
            return None
        row, user = found
        if request.method not in _SAFE_METHODS and not browser.csrf_matches(row, sent_csrf):
            raise Forbidden(
                f"This request lacks the page's {CSRF_HEADER} header, so it may not come from "
                "Baton's own page. Reload the page and try again."
            )
        return Caller.of(user, "session")

    return await in_transaction(runtime, by_cookie)


async def required_caller(
    caller: Annotated[Caller | None, Depends(optional_caller)],
) -> Caller:
    if caller is None:
        raise NotSignedIn("Sign in first: this needs an account (a session or a bearer token).")
    return caller


CallerDep = Annotated[Caller, Depends(required_caller)]
MaybeCallerDep = Annotated[Caller | None, Depends(optional_caller)]


def with_role(*roles: str) -> Callable[[Caller], Awaitable[Caller]]:
    """A dependency that lets through only callers holding one of ``roles``."""

    async def check(caller: CallerDep) -> Caller:
        if not caller.roles.intersection(roles):
            named = " or ".join(f"{'an' if r[0] in 'aeiou' else 'a'} {r}" for r in roles)
            raise Forbidden(f"Only {named} may do this.")
        return caller

    return check


AdminDep = Annotated[Caller, Depends(with_role("admin"))]
