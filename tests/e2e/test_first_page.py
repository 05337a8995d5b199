"""The first page, end to end in a real browser: upload, watch it become ready, search, play."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.media import speech_after_silence
from tests.support.server import running_server


def test_upload_watch_search_and_play_from_the_hit(page: Page, tmp_path: Path) -> None:
    recording = speech_after_silence(tmp_path / "late-start.wav", SPEECH / "jfk.flac", 20)
    with running_server(tmp_path / "data", ready=True) as base:
        page.goto(base)
        sign_in(page)
        page.set_input_files("#file-input", str(recording))
        page.fill("#title-input", "Inaugural address")
        page.click("#upload-button")
        item = page.locator("#recordings li[data-status='ready']")
        expect(item).to_have_count(1, timeout=120_000)
        expect(item).to_contain_text("Inaugural address")
        screenshot(page, "first-page-library")

        page.fill("#search-input", "what you can do for your country")
        page.click("#search-button")
        hit = page.locator("#hits li.hit").first
        expect(hit).to_be_visible(timeout=30_000)
        expect(hit.locator("mark").first).to_be_visible()
        # The sentence that answers comes first; the whole passage is a click away.
        expect(hit.locator(".hit__answer")).to_contain_text("country")
        expect(hit.locator(".hit__context .hit__text")).to_be_hidden()
        hit.locator(".hit__context summary").click()
        expect(hit.locator(".hit__context .hit__text")).to_be_visible()
        expect(page.locator("#player-card")).to_be_hidden()  # reading on is not playing
        start = float(hit.get_attribute("data-start") or "nan")
        assert start >= 15, "the answer is spoken after 20 s of silence"
        hit.locator("button").first.click()

        player = page.locator("#player")
        expect(player).to_be_visible()
        # A function, not an expression: the page's CSP forbids evaluating strings.
        page.wait_for_function(
            "() => document.querySelector('#player').readyState >= 1", timeout=30_000
        )
        current = float(player.evaluate("el => el.currentTime"))
        assert abs(current - start) <= 2.0, (current, start)
        screenshot(page, "first-page-search-and-player")


def test_a_refused_upload_shows_the_reason_in_words(page: Page, tmp_path: Path) -> None:
    fake = tmp_path / "minutes.mp3"
    fake.write_text("Not a recording.\n" * 100)
    with running_server(tmp_path / "data") as base:
        page.goto(base)
        sign_in(page)
        page.set_input_files("#file-input", str(fake))
        page.click("#upload-button")
        expect(page.locator("#upload-message")).to_contain_text(
            "not an audio or video recording", timeout=30_000
        )
        expect(page.locator("#recordings li")).to_have_count(0)
        screenshot(page, "first-page-refused-upload")
