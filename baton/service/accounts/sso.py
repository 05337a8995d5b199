"""OpenID Connect single sign-on: the authorization code flow with PKCE, as an option.

Baton is the relying party. The browser goes to the identity provider with a fresh state, nonce
and PKCE verifier (kept in a short-lived httpOnly cookie); it comes back with a code, which Baton
exchanges for an ID token. The token's signature (the provider's published keys), issuer,
audience, expiry and nonce are checked before its email is trusted. Accounts are matched by
email: someone with no account is refused, unless the settings name a role for new accounts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.accounts.users import create_user, find_user
from baton.service.db.accounts import User
from baton.service.errors import ServiceError
from baton.service.settings import Settings

SCOPES = "openid email profile"
_SIGNING_ALGORITHMS = ["RS256", "ES256", "PS256"]


class SsoRefused(ServiceError):
    """Sign-on did not go through; the detail tells the person why, in words."""

    status = 400


@dataclass(frozen=True)
class Provider:
    """What the provider's discovery document says (RFC 8414 / OpenID Discovery)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Attempt:
    """One sign-on in flight: checked when the browser comes back."""

    state: str
    nonce: str
    verifier: str

    @classmethod
    def new(cls) -> Attempt:
        return cls(*(secrets.token_urlsafe(32) for _ in range(3)))

    def cookie(self) -> str:
        return f"{self.state}.{self.nonce}.{self.verifier}"

    @classmethod
    def from_cookie(cls, value: str | None) -> Attempt | None:
        parts = (value or "").split(".")
        return cls(*parts) if len(parts) == 3 and all(parts) else None


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


async def discover(settings: Settings) -> Provider:
    issuer = (settings.oidc_issuer or "").rstrip("/")
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            answer = await http.get(f"{issuer}/.well-known/openid-configuration")
            answer.raise_for_status()
            metadata: dict[str, Any] = answer.json()
    except (httpx.HTTPError, ValueError):
        raise SsoRefused(
            "The sign-in service could not be reached. Try again in a moment, or sign in with "
            "your email and password."
        ) from None
    if metadata.get("issuer", "").rstrip("/") != issuer:
        raise SsoRefused("The sign-in service names another issuer than Baton expects.")
    return Provider(
        issuer=metadata["issuer"],
        authorization_endpoint=metadata["authorization_endpoint"],
        token_endpoint=metadata["token_endpoint"],
        jwks_uri=metadata["jwks_uri"],
    )


def _client(settings: Settings, redirect_uri: str) -> AsyncOAuth2Client:
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    return AsyncOAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=secret,
        scope=SCOPES,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=10,
    )


def authorization_url(
    settings: Settings, provider: Provider, attempt: Attempt, redirect_uri: str
) -> str:
    url, _ = _client(settings, redirect_uri).create_authorization_url(
        provider.authorization_endpoint,
        state=attempt.state,
        nonce=attempt.nonce,
        code_verifier=attempt.verifier,
    )
    return str(url)


async def verified_claims(
    settings: Settings, provider: Provider, attempt: Attempt, code: str, redirect_uri: str
) -> dict[str, Any]:
    """Exchange the code, then check the ID token before believing a word of it."""
    try:
        async with _client(settings, redirect_uri) as client:
            token = await client.fetch_token(
                provider.token_endpoint, code=code, code_verifier=attempt.verifier
            )
            keys = (await client.get(provider.jwks_uri)).json()
        id_token = token["id_token"]
        decoded = jwt.decode(id_token, KeySet.import_key_set(keys), algorithms=_SIGNING_ALGORITHMS)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": settings.oidc_client_id or ""},
            nonce={"essential": True, "value": attempt.nonce},
            exp={"essential": True},
        ).validate(decoded.claims)
    except (httpx.HTTPError, KeyError, ValueError, JoseError) as error:
        raise SsoRefused(
            "The sign-in service's answer could not be verified, so you are not signed in. "
            f"Try again; if it keeps happening, tell an admin ({type(error).__name__})."
        ) from None
    return dict(decoded.claims)


def account_for(session: Session, settings: Settings, claims: dict[str, Any]) -> User:
    """The account whose email the provider vouches for (or a new one, if allowed)."""
    email = str(claims.get("email") or "")
    if not email or claims.get("email_verified") is False:
        raise SsoRefused(
            "The sign-in service did not vouch for an email address, which Baton needs to know "
            "who you are."
        )
    user = find_user(session, email)
    if user is None and settings.oidc_new_account_role:
        user = create_user(
            session, email, None, [settings.oidc_new_account_role], actor="single sign-on"
        )
    if user is None:
        raise SsoRefused(
            f"There is no Baton account for {email}. Ask an admin to add one, then sign in again."
        )
    if user.disabled:
        raise SsoRefused("This account is disabled. Ask an admin to enable it.")
    audit(session, "login.sso", actor=user.email, target=user.id, issuer=claims.get("iss"))
    return user
