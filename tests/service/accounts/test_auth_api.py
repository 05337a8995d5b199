"""Accounts through the API: the first admin, the password flow, cookie sessions with CSRF,
personal tokens and their revocation, lockout after failed sign-ins, and admin-only routes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from baton.service.accounts import login
from baton.service.api.app import create_app
from baton.service.db.accounts import User
from baton.service.db.engine import transaction
from baton.service.runtime import ModelSet
from baton.service.settings import Settings
from tests.conftest import PROJECT_ROOT

ADMIN, ADMIN_PASSWORD = "admin@example.com", "correct horse battery staple"


@pytest.fixture
def app_client(tmp_path: Path, models: ModelSet) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data",
        admin_email=ADMIN,
        admin_password=ADMIN_PASSWORD,  # type: ignore[arg-type]
        embedded_workers=0,
    )
    # https, as a deployment would be: the session cookie is Secure.
    with TestClient(create_app(settings, models), base_url="https://testserver") as client:
        yield client


def bearer(client: TestClient, email: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 12 * 3600
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_the_first_start_creates_the_admin_from_the_settings(app_client: TestClient) -> None:
    me = app_client.get("/api/v1/auth/me", headers=bearer(app_client, ADMIN, ADMIN_PASSWORD))
    assert me.status_code == 200
    assert me.json()["email"] == ADMIN and me.json()["roles"] == ["admin"]


def test_a_wrong_password_is_refused_in_words_without_saying_which_part_was_wrong(
    app_client: TestClient,
) -> None:
    for username in (ADMIN, "nobody@example.com"):
        response = app_client.post(
            "/api/v1/auth/token", data={"username": username, "password": "not it at all"}
        )
        assert response.status_code == 401
        assert response.json()["detail"] == (
            "The email or password is wrong. Check both and try again."
        )
        assert response.headers["www-authenticate"] == "Bearer"


def test_repeated_failures_slow_down_then_lock_until_an_admin_resets_the_password(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(login, "LOCK_AFTER", 4)
    admin = bearer(app_client, ADMIN, ADMIN_PASSWORD)
    email, password = "josh@example.com", "a long enough password"
    created = app_client.post(
        "/api/v1/users", json={"email": email, "password": password, "roles": ["learner"]},
        headers=admin,
    )  # fmt: skip
    assert created.status_code == 201, created.text

    def attempt(secret: str) -> int:
        form = {"username": email, "password": secret}
        return app_client.post("/api/v1/auth/token", data=form).status_code

    assert [attempt("wrong password!") for _ in range(3)] == [401, 401, 401]
    # Now each attempt must wait: even the right password is not checked yet.
    waiting = app_client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert waiting.status_code == 429 and waiting.headers["retry-after"] == "2"
    assert "wait 2 seconds" in waiting.json()["detail"]
    time.sleep(2.1)
    assert attempt("wrong password!") == 401
    locked = app_client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert locked.status_code == 429 and "locked" in locked.json()["detail"]

    reset = app_client.post(
        f"/api/v1/users/{created.json()['id']}/password",
        json={"password": "another long password"},
        headers=admin,
    )
    assert reset.status_code == 200
    assert attempt("another long password") == 200


def test_guesses_from_one_address_neither_lock_out_another_nor_outlast_their_lock(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: six guesses locked any account, the only admin's included, for everyone, and
    one more guess after the lock locked it again."""
    monkeypatch.setattr(login, "LOCK_AFTER", 4)
    monkeypatch.setattr(login, "LOCK_FOR", timedelta(seconds=2))
    runtime = app_client.app.state.runtime  # type: ignore[attr-defined]
    attacker, owner = "203.0.113.9", "198.51.100.7"

    def attempt(password: str, source: str) -> int:
        with transaction(runtime.sessions) as session:
            answer = login.authenticate(session, ADMIN, password, source)
            return 200 if isinstance(answer, User) else answer.status

    assert [attempt("a wrong guess", attacker) for _ in range(4)] == [401, 401, 401, 429]
    time.sleep(2.1)
    assert attempt("a wrong guess", attacker) == 401  # the fourth: locked from there
    assert attempt(ADMIN_PASSWORD, attacker) == 429
    assert attempt(ADMIN_PASSWORD, owner) == 200, "the owner's own address is not locked"

    time.sleep(2.1)  # the lock runs out, and the count starts again
    assert [attempt("another guess", attacker) for _ in range(2)] == [401, 401]
    assert attempt(ADMIN_PASSWORD, attacker) == 200


def test_a_revoked_token_stops_working_at_once(app_client: TestClient) -> None:
    admin = bearer(app_client, ADMIN, ADMIN_PASSWORD)
    made = app_client.post("/api/v1/auth/tokens", json={"name": "laptop script"}, headers=admin)
    assert made.status_code == 201
    token = made.json()
    personal = {"Authorization": f"Bearer {token['token']}"}
    assert token["token"].startswith(token["prefix"])
    assert app_client.get("/api/v1/auth/me", headers=personal).status_code == 200
    listed = app_client.get("/api/v1/auth/tokens", headers=personal).json()
    assert "token" not in listed[-1] and listed[-1]["last_used_at"] is not None

    revoked = app_client.delete(f"/api/v1/auth/tokens/{token['id']}", headers=personal)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = app_client.get("/api/v1/auth/me", headers=personal)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_a_browser_session_needs_the_csrf_token_to_change_anything(
    app_client: TestClient,
) -> None:
    signed_in = app_client.post(
        "/api/v1/auth/login", json={"email": ADMIN, "password": ADMIN_PASSWORD}
    )
    assert signed_in.status_code == 200
    cookies = signed_in.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("baton_session="))
    assert "HttpOnly" in session_cookie and "Secure" in session_cookie
    assert "samesite=lax" in session_cookie.lower()
    csrf = signed_in.json()["csrf_token"]

    assert app_client.get("/api/v1/auth/me").status_code == 200  # reading needs no token
    forged = app_client.post("/api/v1/auth/tokens", json={"name": "forged"})
    assert forged.status_code == 403 and "X-CSRF-Token" in forged.json()["detail"]
    wrong = app_client.post(
        "/api/v1/auth/tokens", json={"name": "forged"}, headers={"X-CSRF-Token": "guess"}
    )
    assert wrong.status_code == 403
    made = app_client.post(
        "/api/v1/auth/tokens", json={"name": "from the page"}, headers={"X-CSRF-Token": csrf}
    )
    assert made.status_code == 201

    out = app_client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    assert app_client.get("/api/v1/auth/me").status_code == 401


def test_the_page_asks_who_is_signed_in_without_being_refused(app_client: TestClient) -> None:
    """The page asks on every load; a signed-out browser is an answer, not a 401 in its
    console."""
    signed_out = app_client.get("/api/v1/auth/session")
    assert signed_out.status_code == 200 and signed_out.json() == {"user": None}
    app_client.post("/api/v1/auth/login", json={"email": ADMIN, "password": ADMIN_PASSWORD})
    signed_in = app_client.get("/api/v1/auth/session")
    assert signed_in.status_code == 200 and signed_in.json()["user"]["email"] == ADMIN


def test_account_administration_is_for_admins_only(app_client: TestClient) -> None:
    admin = bearer(app_client, ADMIN, ADMIN_PASSWORD)
    body = {"email": "Maureen@Example.com", "password": "press setter P4 2027", "roles": ["mentor"]}
    assert app_client.post("/api/v1/users", json=body).status_code == 401
    created = app_client.post("/api/v1/users", json=body, headers=admin)
    assert created.status_code == 201 and created.json()["email"] == "maureen@example.com"
    assert app_client.post("/api/v1/users", json=body, headers=admin).status_code == 409
    mentor = bearer(app_client, "maureen@example.com", "press setter P4 2027")
    refused = app_client.get("/api/v1/users", headers=mentor)
    assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    short = {**body, "email": "x@example.com", "password": "short"}
    too_short = app_client.post("/api/v1/users", json=short, headers=admin)
    assert too_short.status_code == 422 and "at least 12 characters" in too_short.json()["detail"]
    unknown_role = {**body, "email": "y@example.com", "roles": ["owner"]}
    assert app_client.post("/api/v1/users", json=unknown_role, headers=admin).status_code == 422

    disabled = app_client.patch(
        f"/api/v1/users/{created.json()['id']}", json={"disabled": True}, headers=admin
    )
    assert disabled.status_code == 200
    assert app_client.get("/api/v1/auth/me", headers=mentor).status_code == 401


def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(app_client: TestClient) -> None:
    admin = bearer(app_client, ADMIN, ADMIN_PASSWORD)
    me = app_client.get("/api/v1/auth/me", headers=admin).json()
    for change in ({"disabled": True}, {"roles": ["curator"]}):
        refused = app_client.patch(f"/api/v1/users/{me['id']}", json=change, headers=admin)
        assert refused.status_code == 409, refused.text
        assert "no enabled admin" in refused.json()["detail"]
    # Refused whole: the token still works and the account is still an admin.
    assert app_client.get("/api/v1/auth/me", headers=admin).json()["roles"] == ["admin"]

    second = {"email": "second@example.com", "password": "a second admin 2027", "roles": ["admin"]}
    assert app_client.post("/api/v1/users", json=second, headers=admin).status_code == 201
    handed_over = app_client.patch(
        f"/api/v1/users/{me['id']}", json={"roles": ["curator"], "disabled": None}, headers=admin
    )
    assert handed_over.status_code == 200, handed_over.text
    assert handed_over.json()["roles"] == ["curator"] and not handed_over.json()["disabled"]


def test_baton_users_create_reads_the_password_from_stdin(tmp_path: Path) -> None:
    def baton(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "baton", "users", *args],
            cwd=PROJECT_ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "BATON_DATA_DIR": str(tmp_path / "data")},
        )

    made = baton(
        "create", "priya@example.com", "--role", "mentor", "--role", "learner",
        "--password-stdin", stdin="power bi dashboards\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Created priya@example.com (mentor, learner)" in made.stderr
    again = baton(
        "create", "priya@example.com", "--role", "mentor", "--password-stdin", stdin="x" * 20
    )
    assert again.returncode == 1 and "already exists" in again.stderr
    weak = baton("create", "j@example.com", "--role", "admin", "--password-stdin", stdin="short\n")
    assert weak.returncode == 1 and "at least 12 characters" in weak.stderr

    token = baton("token", "priya@example.com", "--name", "laptop", stdin="")
    assert token.returncode == 0, token.stderr
    assert token.stdout.startswith("bt_")
    nobody = baton("token", "nobody@example.com", stdin="")
    assert nobody.returncode == 1 and "No active account" in nobody.stderr


def test_a_first_start_without_admin_settings_leaves_a_password_only_the_server_can_read(
    tmp_path: Path, models: ModelSet
) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedded_workers=0)
    with TestClient(create_app(settings, models), base_url="https://testserver") as client:
        assert client.get("/api/v1/recordings").status_code == 401
        email, password = settings.first_admin_file.read_text().split()
        assert settings.first_admin_file.stat().st_mode & 0o777 == 0o600
        admin = bearer(client, email, password)
        assert client.get("/api/v1/auth/me", headers=admin).json()["roles"] == ["admin"]
    with TestClient(create_app(settings, models), base_url="https://testserver") as client:
        # A second start makes no second admin and keeps the first one's password.
        users = client.get("/api/v1/users", headers=bearer(client, email, password)).json()
        assert [u["email"] for u in users] == [email]
