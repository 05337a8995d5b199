"""Journey 3: a mentor films a session in the page with Chromium's fake camera and a microphone
that plays real speech, asks both people for consent, pauses and resumes, stops, and the
recording ingests. A tab closed mid-recording keeps what was sent."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import screenshot, sign_in
from tests.support.server import admin_headers, running_server

SPEECH_WORDS = ("country", "americans", "fellow", "ask not")


def start_filming(page: Page, title: str) -> None:
    page.get_by_role("link", name="Film a session").click()
    expect(page.get_by_role("heading", name="Film a session")).to_be_visible()
    page.get_by_role("button", name="Turn on camera and microphone").click()
    expect(page.locator("#film-message")).to_contain_text("Name everyone on camera")
    # The microphone plays speech: the level meter moves.
    page.wait_for_function("() => document.querySelector('#film-level').value > 0.01")
    view = page.locator("#view-film")
    view.get_by_label("Title").fill(title)
    start = view.get_by_role("button", name="Start recording")
    view.get_by_label("Person 1").fill("Maria Lopez")
    view.get_by_label("Person 2").fill("Tom Baker")
    page.locator("#film-people li").nth(0).get_by_label("agrees to be filmed").check()
    expect(start).to_be_disabled()  # Tom has not agreed yet
    page.locator("#film-people li").nth(1).get_by_label("agrees to be filmed").check()
    expect(start).to_be_enabled()
    start.click()
    expect(page.locator("#film-message")).to_contain_text("Recording", timeout=10_000)


def seconds_on_clock(page: Page) -> int:
    minutes, seconds = page.locator("#film-clock").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_a_mentor_films_a_session_and_it_ingests(page: Page, tmp_path: Path) -> None:
    with running_server(tmp_path / "data", ready=True) as base:
        page.goto(base)
        sign_in(page)
        start_filming(page, "Ladle preheat, filmed")
        expect(page.locator("#film-message")).to_contain_text(
            "safely on the server", timeout=15_000
        )
        screenshot(page, "film-recording")

        page.get_by_role("button", name="Pause").click()
        paused_at = seconds_on_clock(page)
        time.sleep(2)
        assert seconds_on_clock(page) == paused_at
        page.get_by_role("button", name="Resume").click()
        page.wait_for_function(
            "() => document.querySelector('#film-clock').textContent >= '00:12'", timeout=30_000
        )
        page.get_by_role("button", name="Stop and save").click()
        expect(page.locator("#film-message")).to_contain_text("Saved", timeout=30_000)

        page.get_by_role("link", name="Sessions").click()
        item = page.locator("#recordings li", has_text="Ladle preheat, filmed")
        expect(item).to_contain_text("Ready", timeout=180_000)

        headers = admin_headers(base)
        recordings = httpx.get(f"{base}/api/v1/recordings", headers=headers, timeout=60).json()[
            "recordings"
        ]
        (filmed,) = recordings
        assert 10 <= filmed["duration"] <= 20, filmed
        segments = httpx.get(
            f"{base}/api/v1/recordings/{filmed['id']}/transcript", headers=headers, timeout=60
        ).json()["segments"]
        said = " ".join(segment["text"] for segment in segments).lower()
        assert any(word in said for word in SPEECH_WORDS), said


def test_a_tab_closed_while_filming_keeps_what_was_sent(browser: Browser, tmp_path: Path) -> None:
    quiet = {"BATON_BROWSER_RECORDING_IDLE_SECONDS": "3"}
    with running_server(tmp_path / "data", settings=quiet) as base:
        context = browser.new_context(viewport={"width": 800, "height": 1000})
        page = context.new_page()
        page.goto(base)
        sign_in(page)
        start_filming(page, "Cut short")
        page.wait_for_function(
            "() => document.querySelector('#film-clock').textContent >= '00:07'", timeout=30_000
        )
        page.close()
        context.close()

        headers = admin_headers(base)
        deadline = time.monotonic() + 180
        while True:
            found = httpx.get(f"{base}/api/v1/recordings", headers=headers, timeout=60).json()[
                "recordings"
            ]
            if found and found[0]["status"] in ("ready", "failed"):
                break
            assert time.monotonic() < deadline, found
            time.sleep(1)
        (kept,) = found
        assert kept["status"] == "ready" and kept["title"] == "Cut short", kept
        assert kept["duration"] >= 4, kept
