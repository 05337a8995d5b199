"""A small OpenID Connect provider for the single sign-on tests, served over real HTTP.

Baton's side of sign-on is what the tests are about; the provider is the outside system. It
follows the code flow with PKCE as the specification asks: discovery, an authorization endpoint
that signs in whoever the test names, a token endpoint that checks the client secret, the
redirect URI and the PKCE verifier, RS256-signed ID tokens, and its public keys.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Form, Header, HTTPException, Query
from fastapi.responses import RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.support.server import free_port

CLIENT_ID, CLIENT_SECRET = "baton", "a client secret for tests"


@dataclass
class IdentityProvider:
    issuer: str
    email: str = "someone@example.com"
    """Who signs in at the provider next."""
    wrong_nonce: bool = False
    """Sign the next ID token with another nonce, as a replayed token would carry."""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
    )


def _app(provider: IdentityProvider) -> FastAPI:
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        return {
            "issuer": provider.issuer,
            "authorization_endpoint": f"{provider.issuer}/authorize",
            "token_endpoint": f"{provider.issuer}/token",
            "jwks_uri": f"{provider.issuer}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    @app.get("/authorize")
    def authorize(
        client_id: str,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_challenge: str,
        response_type: str = "code",
        code_challenge_method: Annotated[str, Query()] = "plain",
    ) -> RedirectResponse:
        if client_id != CLIENT_ID or response_type != "code" or code_challenge_method != "S256":
            raise HTTPException(400, "bad authorization request")
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {
            "redirect_uri": redirect_uri, "nonce": nonce, "challenge": code_challenge,
            "email": provider.email,
        }  # fmt: skip
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    @app.post("/token")
    def token(
        code: Annotated[str, Form()],
        redirect_uri: Annotated[str, Form()],
        code_verifier: Annotated[str, Form()],
        authorization: Annotated[str, Header()] = "",
    ) -> dict[str, Any]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        grant = provider.codes.pop(code, None)
        if authorization != f"Basic {expected}" or grant is None:
            raise HTTPException(400, "invalid_grant")
        digest = hashlib.sha256(code_verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if challenge != grant["challenge"] or redirect_uri != grant["redirect_uri"]:
            raise HTTPException(400, "invalid_grant")
        now = int(time.time())
        claims = {
            "iss": provider.issuer, "sub": grant["email"], "aud": CLIENT_ID, "iat": now,
            "exp": now + 300, "email": grant["email"], "email_verified": True,
            "nonce": "another nonce" if provider.wrong_nonce else grant["nonce"],
        }  # fmt: skip
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, provider.key)
        return {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                "expires_in": 300, "id_token": id_token}  # fmt: skip

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return KeySet([provider.key]).as_dict(private=False)

    return app


@contextmanager
def identity_provider() -> Iterator[IdentityProvider]:
    port = free_port()
    provider = IdentityProvider(issuer=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(
        uvicorn.Config(_app(provider), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the identity provider did not start"
        time.sleep(0.05)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)
