"""Single sign-on routes (OpenID Connect), present when the settings name a provider.

``GET /api/v1/auth/sso`` always answers, so the page knows whether to offer the button. The
browser is sent to the provider by ``…/sso/start`` and comes back to ``…/sso/callback``, which
signs it in with the same session cookies as a password login. Every refusal sends the browser
back to the page with the reason in words (``/?sign_in_error=…``), never to an error page.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from baton.service.accounts import browser, sso
from baton.service.api.auth import set_session_cookies
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.errors import ServiceError

ATTEMPT_COOKIE = "baton_sso"
_ATTEMPT_SECONDS = 600

info_router = APIRouter(prefix="/api/v1/auth", tags=["accounts"])
router = APIRouter(prefix="/api/v1/auth/sso", tags=["accounts"])


class SsoInfo(BaseModel):
    enabled: bool
    name: str | None


@info_router.get("/sso", summary="Whether single sign-on is offered, and the provider's name.")
async def sso_info(runtime: RuntimeDep) -> SsoInfo:
    settings = runtime.settings
    on = sso.enabled(settings)
    return SsoInfo(enabled=on, name=settings.oidc_name if on else None)


@router.get("/start", summary="Go to the identity provider to sign in.")
async def start(request: Request, runtime: RuntimeDep) -> RedirectResponse:
    settings = runtime.settings
    try:
        provider = await sso.discover(settings)
    except ServiceError as refused:
        return _back_with(refused.detail)
    attempt = sso.Attempt.new()
    url = sso.authorization_url(settings, provider, attempt, str(request.url_for("sso_callback")))
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        ATTEMPT_COOKIE,
        attempt.cookie(),
        max_age=_ATTEMPT_SECONDS,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",  # sent on the provider's top-level redirect back
        path="/api/v1/auth/sso",
    )
    return response


@router.get("/callback", name="sso_callback", summary="Where the identity provider sends you back.")
async def callback(
    request: Request,
    runtime: RuntimeDep,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    error_description: str | None = None,
) -> RedirectResponse:
    settings = runtime.settings
    attempt = sso.Attempt.from_cookie(request.cookies.get(ATTEMPT_COOKIE))
    if error:
        return _back_with(f"The sign-in service refused: {error_description or error}.")
    if attempt is None or not state or state != attempt.state or not code:
        return _back_with(
            "This sign-in link is stale or was not started here. Click the sign-in button again."
        )
    try:
        provider = await sso.discover(settings)
        claims = await sso.verified_claims(
            settings, provider, attempt, code, str(request.url_for("sso_callback"))
        )

        def sign_in(session: Session) -> browser.StartedSession:
            user = sso.account_for(session, settings, claims)
            return browser.start_session(session, user, timedelta(days=settings.session_days))

        started = await in_transaction(runtime, sign_in)
    except ServiceError as refused:
        return _back_with(refused.detail)
    response = RedirectResponse("/", status_code=302)
    set_session_cookies(response, started, settings)
    response.delete_cookie(ATTEMPT_COOKIE, path="/api/v1/auth/sso")
    return response


def _back_with(reason: str) -> RedirectResponse:
    response = RedirectResponse("/?" + urlencode({"sign_in_error": reason}), status_code=302)
    response.delete_cookie(ATTEMPT_COOKIE, path="/api/v1/auth/sso")
    return response
