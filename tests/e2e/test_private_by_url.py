"""A learner who is given the link to a private session reaches nothing: not the player, not
the media, not the transcript; the page says the recording is not available to them."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import ADMIN_PASSWORD, SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.server import admin_headers, running_server


def test_a_learner_cannot_reach_a_private_session_by_url(page: Page, tmp_path: Path) -> None:
    with running_server(tmp_path / "data") as base:
        admin = admin_headers(base)
        account = {"email": "learner@example.com", "password": ADMIN_PASSWORD, "roles": ["learner"]}
        assert (
            httpx.post(f"{base}/api/v1/users", json=account, headers=admin, timeout=60).status_code
            == 201
        )
        with (SPEECH / "jfk.flac").open("rb") as handle:
            recording = httpx.post(
                f"{base}/api/v1/recordings", files={"file": ("jfk.flac", handle)},
                data={"title": "Private session"}, headers=admin, timeout=60,
            ).json()["id"]  # fmt: skip
        link = f"{base}/#play={recording}&t=3"

        page.goto(link)
        sign_in(page, "learner@example.com")
        expect(page.locator("#player-title")).to_have_text("Recording not available")
        expect(page.locator("#player-message")).to_contain_text("your account may not see")
        expect(page.locator("#player")).to_be_hidden()
        expect(page.locator("#transcript-card")).to_be_hidden()
        expect(page.locator("#recordings li")).to_have_count(0)
        screenshot(page, "private-link-refused")
        for path in ("", "/media", "/transcript", "/export.txt"):
            answer = page.request.get(f"{base}/api/v1/recordings/{recording}{path}")
            assert answer.status == 404, (path, answer.status)
        hits = page.request.get(f"{base}/api/v1/search?q=ask+not+what+your+country").json()
        assert hits["hits"] == []

        # The same link opens for the admin, who may see it.
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        page.goto(link)
        sign_in(page)
        expect(page.locator("#player-title")).to_have_text("Private session")
        expect(page.locator("#player")).to_be_visible()
