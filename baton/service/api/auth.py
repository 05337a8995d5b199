"""Signing in and out: the OAuth2 password flow for scripts, cookie sessions for the web page,
and the personal API tokens a user creates and revokes."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from baton.service.accounts import browser, tokens
from baton.service.accounts.audit import audit
from baton.service.accounts.login import LoginRefused, authenticate
from baton.service.accounts.users import get_user
from baton.service.api.account_schemas import (
    AccessToken,
    BrowserSession,
    Credentials,
    NewToken,
    SignedIn,
    TokenPublic,
    TokenRequest,
    UserPublic,
)
from baton.service.api.callers import CSRF_COOKIE, SESSION_COOKIE, CallerDep, MaybeCallerDep
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.schemas import Problem
from baton.service.db.base import utcnow
from baton.service.settings import Settings

router = APIRouter(prefix="/api/v1/auth", tags=["accounts"])
_REFUSALS: dict[int | str, dict[str, object]] = {401: {"model": Problem}, 429: {"model": Problem}}


@router.post(
    "/token",
    response_model=AccessToken,
    responses=_REFUSALS,
    summary="OAuth2 password flow: form fields username and password give a bearer token.",
)
async def password_flow(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, runtime: RuntimeDep
) -> AccessToken:
    hours = runtime.settings.oauth_token_hours

    def sign_in(session: Session) -> AccessToken | LoginRefused:
        user = authenticate(session, form.username, form.password, _source(request))
        if isinstance(user, LoginRefused):
            return user
        _, plain = tokens.create_token(
            session, user, "password flow", utcnow() + timedelta(hours=hours)
        )
        return AccessToken(access_token=plain, expires_in=hours * 3600)

    result = await in_transaction(runtime, sign_in)
    if isinstance(result, LoginRefused):
        raise result
    return result


@router.post(
    "/login",
    response_model=SignedIn,
    responses=_REFUSALS,
    summary="Sign a browser in: sets the session cookie (httpOnly) and the CSRF cookie.",
)
async def login(
    body: Credentials, request: Request, response: Response, runtime: RuntimeDep
) -> SignedIn:
    settings = runtime.settings

    def sign_in(session: Session) -> tuple[SignedIn, browser.StartedSession] | LoginRefused:
        user = authenticate(session, body.email, body.password, _source(request))
        if isinstance(user, LoginRefused):
            return user
        started = browser.start_session(session, user, timedelta(days=settings.session_days))
        return SignedIn(user=UserPublic.of(user), csrf_token=started.csrf_token), started

    result = await in_transaction(runtime, sign_in)
    if isinstance(result, LoginRefused):
        raise result
    signed_in, started = result
    set_session_cookies(response, started, settings)
    return signed_in


def _source(request: Request) -> str:
    """The address a sign-in came from, which failed sign-ins are counted by."""
    return request.client.host if request.client else "unknown"


def set_session_cookies(
    response: Response, started: browser.StartedSession, settings: Settings
) -> None:
    """The session cookie (httpOnly, so no script reads it) and the CSRF cookie beside it."""
    max_age = settings.session_days * 86400
    response.set_cookie(
        SESSION_COOKIE,
        started.cookie,
        max_age=max_age,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
    )
    # Readable by the page (not httpOnly): it sends the value back in a header.
    response.set_cookie(
        CSRF_COOKIE, started.csrf_token, max_age=max_age, secure=settings.cookie_secure,
        samesite="lax",
    )  # fmt: skip


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign this browser out (the session ends on the server too).",
)
async def logout(request: Request, caller: CallerDep, runtime: RuntimeDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)

    def sign_out(session: Session) -> None:
        if cookie:
            browser.end_session(session, cookie)
        audit(session, "logout", actor=caller.email)

    await in_transaction(runtime, sign_out)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get(
    "/session",
    response_model=BrowserSession,
    summary="Who this browser is signed in as, if anyone (never 401: the page asks on load).",
)
async def browser_session(caller: MaybeCallerDep, runtime: RuntimeDep) -> BrowserSession:
    if caller is None:
        return BrowserSession(user=None)
    return BrowserSession(
        user=await in_transaction(runtime, lambda s: UserPublic.of(get_user(s, caller.user_id)))
    )


@router.get("/me", response_model=UserPublic, summary="The signed-in account.")
async def me(caller: CallerDep, runtime: RuntimeDep) -> UserPublic:
    return await in_transaction(runtime, lambda s: UserPublic.of(get_user(s, caller.user_id)))


@router.get("/tokens", response_model=list[TokenPublic], summary="Your API tokens.")
async def list_tokens(caller: CallerDep, runtime: RuntimeDep) -> list[TokenPublic]:
    def read(session: Session) -> list[TokenPublic]:
        user = get_user(session, caller.user_id)
        return [TokenPublic.of(t) for t in tokens.list_tokens(session, user)]

    return await in_transaction(runtime, read)


@router.post(
    "/tokens",
    status_code=status.HTTP_201_CREATED,
    response_model=NewToken,
    summary="Create a personal API token (shown once): send it as 'Authorization: Bearer …'.",
)
async def create_token(body: TokenRequest, caller: CallerDep, runtime: RuntimeDep) -> NewToken:
    def create(session: Session) -> NewToken:
        token, plain = tokens.create_token(session, get_user(session, caller.user_id), body.name)
        return NewToken(**TokenPublic.of(token).model_dump(), token=plain)

    return await in_transaction(runtime, create)


@router.delete(
    "/tokens/{token_id}",
    response_model=TokenPublic,
    responses={404: {"model": Problem}},
    summary="Revoke one of your tokens: it stops working at once.",
)
async def revoke_token(token_id: str, caller: CallerDep, runtime: RuntimeDep) -> TokenPublic:
    def revoke(session: Session) -> TokenPublic:
        user = get_user(session, caller.user_id)
        return TokenPublic.of(tokens.revoke_token(session, user, token_id[:36]))

    return await in_transaction(runtime, revoke)
