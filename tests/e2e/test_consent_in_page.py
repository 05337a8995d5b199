"""Consent in the page: each participant of a session gives consent for themselves, the
recording can be published once both have, and a learner finds it only then."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import ADMIN_PASSWORD, SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.server import admin_headers, running_server


def programme(base: str) -> dict[str, Any]:
    """Two mentors in a pair, their session, its recording, and a learner: made by the admin."""
    admin = admin_headers(base)

    def post(path: str, body: dict[str, Any]) -> Any:
        answer = httpx.post(f"{base}/api/v1{path}", json=body, headers=admin, timeout=30)
        assert answer.status_code == 201, answer.text
        return answer.json()

    people = {
        name: post("/people", {"name": name, "email": f"{name.lower()}@example.com"})["id"]
        for name in ("Graham", "Priya")
    }
    pair = post("/pairs", {"member_ids": list(people.values()), "started_on": "2026-01-05"})
    meeting = post(f"/pairs/{pair['id']}/sessions", {"held_on": "2026-03-10", "title": "Ladles"})
    for name, person_id in people.items():
        post("/users", {"email": f"{name.lower()}@example.com", "password": ADMIN_PASSWORD,
                        "roles": ["mentor"], "person_id": person_id})  # fmt: skip
    post("/users", {"email": "learner@example.com", "password": ADMIN_PASSWORD,
                    "roles": ["learner"]})  # fmt: skip
    with (SPEECH / "jfk.flac").open("rb") as handle:
        recording = httpx.post(
            f"{base}/api/v1/recordings", files={"file": ("jfk.flac", handle)},
            data={"session_id": meeting["id"], "title": "Inaugural"}, headers=admin, timeout=60,
        ).json()  # fmt: skip
    return {"recording": recording["id"]}


def open_recording(page: Page) -> None:
    item = page.locator("#recordings li[data-status='ready']")
    expect(item).to_have_count(1, timeout=120_000)
    item.get_by_role("button", name=re.compile("^Play")).click()
    expect(page.get_by_role("heading", name="Publishing to the library")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Baton")).to_be_visible()


def test_both_participants_consent_in_the_page_before_a_learner_can_find_it(
    page: Page, tmp_path: Path
) -> None:
    with running_server(tmp_path / "data", ready=True) as base:
        programme(base)
        page.goto(base)
        sign_in(page, "learner@example.com")
        expect(page.locator("#library-empty")).to_be_visible()
        sign_out(page)

        sign_in(page, "graham@example.com")
        open_recording(page)
        state = page.locator("#consent-state")
        expect(state).to_contain_text("waiting for Graham and Priya")
        expect(page.get_by_role("button", name="Publish to the library")).to_be_hidden()
        page.get_by_role("button", name="Give my consent").click()
        expect(state).to_contain_text("waiting for Priya")
        expect(page.get_by_role("button", name="Withdraw my consent")).to_be_visible()
        screenshot(page, "consent-one-of-two")
        sign_out(page)

        sign_in(page, "priya@example.com")
        open_recording(page)
        page.get_by_role("button", name="Give my consent").click()
        expect(state).to_contain_text("Everyone has consented")
        page.get_by_role("button", name="Publish to the library").click()
        expect(state).to_contain_text("Published")
        screenshot(page, "consent-published")
        sign_out(page)

        sign_in(page, "learner@example.com")
        item = page.locator("#recordings li[data-status='ready']")
        expect(item).to_have_count(1, timeout=30_000)
        item.get_by_role("button", name=re.compile("^Play")).click()
        expect(page.locator("#segments li.segment").first).to_be_visible(timeout=30_000)
        # A learner reads and plays the library; consent is not theirs to see or change.
        expect(page.locator("#consent")).to_be_hidden()
