"""OpenID Connect single sign-on against a provider over real HTTP: an account is matched by
the email the provider vouches for, a stranger or a forged answer is turned away in words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from baton.service.api.app import create_app
from baton.service.runtime import ModelSet
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, admin_settings
from tests.support.api import bearer
from tests.support.identity_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    IdentityProvider,
    identity_provider,
)


@pytest.fixture
def app_and_provider(
    tmp_path: Path, models: ModelSet
) -> Iterator[tuple[TestClient, IdentityProvider]]:
    with identity_provider() as provider:
        settings = admin_settings(
            tmp_path / "data",
            embedded_workers=0,
            oidc_issuer=provider.issuer,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            oidc_name="Plant login",
        )
        with TestClient(create_app(settings, models), base_url="https://testserver") as client:
            yield client, provider


def sign_on(client: TestClient) -> str:
    """Click the button, let the provider sign in, come back; where the browser ends up."""
    started = client.get("/api/v1/auth/sso/start", follow_redirects=False)
    assert started.status_code == 302, started.text
    at_provider = httpx.get(started.headers["location"], follow_redirects=False)
    assert at_provider.status_code in (302, 307), at_provider.text
    back = client.get(at_provider.headers["location"], follow_redirects=False)
    assert back.status_code == 302
    return str(back.headers["location"])


def refusal(location: str) -> str:
    return parse_qs(urlsplit(location).query)["sign_in_error"][0]


def test_single_sign_on_signs_in_the_account_the_provider_vouches_for(
    app_and_provider: tuple[TestClient, IdentityProvider],
) -> None:
    client, provider = app_and_provider
    assert client.get("/api/v1/auth/sso").json() == {"enabled": True, "name": "Plant login"}

    provider.email = "priya@example.com"
    assert "no Baton account for priya@example.com" in refusal(sign_on(client))
    assert client.get("/api/v1/auth/me").status_code == 401

    admin = bearer(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    body = {"email": "priya@example.com", "roles": ["mentor"]}
    assert client.post("/api/v1/users", json=body, headers=admin).status_code == 201
    assert sign_on(client) == "/"
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["email"] == "priya@example.com"


def test_a_forged_or_stale_answer_signs_nobody_in(
    app_and_provider: tuple[TestClient, IdentityProvider],
) -> None:
    client, provider = app_and_provider
    provider.email = ADMIN_EMAIL
    provider.wrong_nonce = True
    assert "could not be verified" in refusal(sign_on(client))
    assert client.get("/api/v1/auth/me").status_code == 401

    provider.wrong_nonce = False
    started = client.get("/api/v1/auth/sso/start", follow_redirects=False)
    at_provider = httpx.get(started.headers["location"], follow_redirects=False)
    forged = at_provider.headers["location"].replace("state=", "state=forged")
    assert "stale" in refusal(client.get(forged, follow_redirects=False).headers["location"])
    assert client.get("/api/v1/auth/me").status_code == 401


def test_without_a_provider_there_is_no_single_sign_on(client: TestClient) -> None:
    assert client.get("/api/v1/auth/sso").json() == {"enabled": False, "name": None}
    assert client.get("/api/v1/auth/sso/start", follow_redirects=False).status_code == 404
