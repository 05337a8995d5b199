"""Helpers for driving the real app in tests: sign in, upload, wait for a status, overlap."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from baton.service.api.app import create_app
from baton.service.runtime import ModelSet
from baton.service.settings import Settings

SETTLED = ("ready", "failed")


def bearer(client: TestClient, email: str, password: str) -> dict[str, str]:
    """Sign in with the OAuth2 password flow; the header a script would send."""
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@contextmanager
def signed_in_client(
    settings: Settings, models: ModelSet, *, base_url: str = "http://testserver"
) -> Iterator[TestClient]:
    """The real app, with every request signed in as the first admin (``settings`` names it);
    a test acting as someone else passes their own Authorization header."""
    assert settings.admin_email and settings.admin_password, "settings must name the admin"
    with TestClient(create_app(settings, models), base_url=base_url) as client:
        password = settings.admin_password.get_secret_value()
        client.headers.update(bearer(client, settings.admin_email, password))
        yield client


def upload(
    client: TestClient,
    path: Path,
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """A form upload of ``path``, as the client's account or as whoever ``headers`` sign in."""
    with path.open("rb") as handle:
        data = {"title": title} if title else {}
        response = client.post(
            "/api/v1/recordings", files={"file": (path.name, handle)}, data=data, headers=headers
        )
    return response


def wait_until_settled(client: TestClient, recording_id: str, timeout: float = 600) -> Any:
    """Poll the recording until it is ready or failed, and not being refined (a second pass
    with a more accurate model); fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/recordings/{recording_id}").json()
        if body["status"] in SETTLED and not body.get("refining"):
            return body
        time.sleep(0.5)
    raise AssertionError(f"recording {recording_id} did not settle in {timeout}s: {body}")


def overlaps(hit: dict[str, Any], turn: dict[str, Any]) -> bool:
    return bool(hit["start"] < turn["end"] and turn["start"] < hit["end"])
