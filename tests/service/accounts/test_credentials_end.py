"""What a password reset or a disabled account ends: every credential issued before it, browser
sessions and bearer tokens alike; and signing in costs the same whether the email has an account
or not, so that neither answers nor timing tell which accounts exist."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from baton.service.accounts import passwords
from baton.service.runtime import ModelSet
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, admin_settings
from tests.support.api import bearer

EMAIL, PASSWORD = "josh@example.com", "a long enough password"


@pytest.fixture
def app_client(tmp_path: Path, models: ModelSet) -> Iterator[TestClient]:
    from baton.service.api.app import create_app

    settings = admin_settings(tmp_path / "data", embedded_workers=0)
    with TestClient(create_app(settings, models)) as client:
        yield client


def _account(client: TestClient) -> tuple[dict[str, str], str]:
    admin = bearer(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    created = client.post(
        "/api/v1/users", json={"email": EMAIL, "password": PASSWORD, "roles": ["learner"]},
        headers=admin,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return admin, str(created.json()["id"])


def _credentials(client: TestClient) -> list[dict[str, str]]:
    """A password-flow token and a personal token of the account."""
    flow = bearer(client, EMAIL, PASSWORD)
    personal = client.post("/api/v1/auth/tokens", json={"name": "script"}, headers=flow)
    assert personal.status_code == 201
    return [flow, {"Authorization": f"Bearer {personal.json()['token']}"}]


def _works(client: TestClient, headers: dict[str, str]) -> bool:
    return client.get("/api/v1/auth/me", headers=headers).status_code == 200


def test_a_password_reset_ends_every_token_issued_before_it(app_client: TestClient) -> None:
    admin, user_id = _account(app_client)
    before = _credentials(app_client)
    assert all(_works(app_client, headers) for headers in before)

    new_password = "another long password"
    reset = app_client.post(
        f"/api/v1/users/{user_id}/password", json={"password": new_password}, headers=admin
    )
    assert reset.status_code == 200

    assert not any(_works(app_client, headers) for headers in before)
    assert _works(app_client, bearer(app_client, EMAIL, new_password))


def test_re_enabling_an_account_brings_none_of_its_old_tokens_back(
    app_client: TestClient,
) -> None:
    admin, user_id = _account(app_client)
    before = _credentials(app_client)
    for disabled in (True, False):
        changed = app_client.patch(
            f"/api/v1/users/{user_id}", json={"disabled": disabled}, headers=admin
        )
        assert changed.status_code == 200, changed.text

    assert not any(_works(app_client, headers) for headers in before)
    assert _works(app_client, bearer(app_client, EMAIL, PASSWORD))


def test_an_unknown_email_costs_what_a_wrong_password_costs(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _account(app_client)
    hashes_checked: list[str | bytes] = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            hashes_checked.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "_HASHER", CountingHasher())

    def sign_in(email: str) -> float:
        started = time.perf_counter()
        answer = app_client.post(
            "/api/v1/auth/token", data={"username": email, "password": "not the password"}
        )
        assert answer.status_code == 401
        return time.perf_counter() - started

    # Two tries each: a third wrong password would make the account wait (a 429).
    unknown = [sign_in("nobody@example.com") for _ in range(2)]
    assert len(hashes_checked) == 2, "an unknown email must be checked against a hash too"
    known = [sign_in(EMAIL) for _ in range(2)]
    assert len(hashes_checked) == 4
    # Both run one argon2 check (~0.1-0.4 s); before, an unknown email answered ~9x faster.
    assert statistics.median(unknown) > 0.5 * statistics.median(known)
