"""The transcript beside the player, end to end: read it, correct a line, find the correction
by search, and revert it from the history."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.server import admin_headers, headers_for, running_server

OTHER_EDITOR = "priya@example.com"


def test_a_corrected_line_is_searchable_and_reverts_from_the_history(
    page: Page, tmp_path: Path
) -> None:
    with running_server(tmp_path / "data", ready=True) as base:
        page.goto(base)
        sign_in(page)
        page.set_input_files("#file-input", str(SPEECH / "jfk.flac"))
        page.click("#upload-button")
        item = page.locator("#recordings li[data-status='ready']")
        expect(item).to_have_count(1, timeout=120_000)
        recording_id = item.get_attribute("data-id")
        item.get_by_role("button", name=re.compile("^Play")).click()

        lines = page.locator("#segments li.segment")
        expect(lines.first).to_be_visible(timeout=30_000)
        first = lines.first
        expect(first.locator(".segment__speaker")).to_have_text(re.compile(r"^Speaker \d"))
        original = first.locator(".segment__text").inner_text()
        expect(page.get_by_role("link", name="SRT")).to_have_attribute(
            "href", f"/api/v1/recordings/{recording_id}/export.srt"
        )
        screenshot(page, "transcript-panel")

        # Escape closes the editor and gives the focus back to the line's Edit button.
        first.get_by_role("button", name=re.compile("^Edit the line")).click()
        expect(first.get_by_label(re.compile("^Words at"))).to_be_focused()
        page.keyboard.press("Escape")
        expect(first.locator("textarea")).to_have_count(0)
        expect(first.get_by_role("button", name=re.compile("^Edit the line"))).to_be_focused()

        # Enter in the words adds a line break, not a submit; Save keeps who saved it.
        first.get_by_role("button", name=re.compile("^Edit the line")).click()
        words = first.get_by_label(re.compile("^Words at"))
        words.fill(f"{original} The quernstone turns slowly.")
        words.press("Enter")
        expect(first.locator("textarea")).to_have_count(1)
        expect(first.get_by_role("alert")).to_have_text("")
        screenshot(page, "transcript-editor")
        first.get_by_role("button", name="Save").click()
        expect(first.locator(".segment__text")).to_contain_text("The quernstone turns slowly.")
        expect(page.locator("#transcript-message")).to_contain_text("updated for search")
        screenshot(page, "transcript-edited")

        page.fill("#search-input", "quernstone")
        page.click("#search-button")
        hit = page.locator("#hits li.hit").first
        expect(hit).to_contain_text("quernstone", timeout=30_000)

        page.get_by_text("History of corrections").click()
        entry = page.locator("#edits li.edit").first
        expect(entry).to_contain_text(ADMIN_EMAIL)
        expect(entry.locator(".edit__after")).to_contain_text("quernstone")

        # Someone else corrects the line meanwhile: this page's Revert is refused, in words.
        segment_id = first.get_attribute("data-id")
        other = httpx.patch(
            f"{base}/api/v1/recordings/{recording_id}/segments/{segment_id}",
            json={"text": f"{original} The quernstone turns."},
            headers=curator_headers(base),
            timeout=60,
        )
        assert other.status_code == 200, other.text
        entry.get_by_role("button", name=re.compile("^Revert")).click()
        expect(entry.get_by_role("alert")).to_contain_text("changed after edit")

        # Reopened, the history lists both; reverting newest first brings the words back.
        page.get_by_text("History of corrections").click()
        page.get_by_text("History of corrections").click()
        edits = page.locator("#edits li.edit")
        expect(edits).to_have_count(2)
        expect(edits.first).to_contain_text(OTHER_EDITOR)
        edits.first.get_by_role("button", name=re.compile("^Revert")).click()
        expect(first.locator(".segment__text")).to_have_text(
            f"{original} The quernstone turns slowly."
        )
        expect(edits).to_have_count(3)
        edits.nth(2).get_by_role("button", name=re.compile("^Revert")).click()
        expect(lines.first.locator(".segment__text")).to_have_text(original)
        expect(edits).to_have_count(4)
        expect(page.locator("#edits .edit__revert")).to_have_count(0)
        page.click("#search-button")
        expect(page.locator("#search-message")).not_to_have_text("Searching…")
        expect(page.locator("#hits li.hit", has_text="quernstone")).to_have_count(0)
        # The player card is sticky: from the top, the full-page picture shows it in place.
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "transcript-reverted")

        # At tablet width nothing runs off the side of the page.
        page.set_viewport_size({"width": 768, "height": 1024})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 768, width
        screenshot(page, "transcript-tablet")


def test_a_mentor_names_a_voice_and_the_transcript_shows_the_name(
    page: Page, tmp_path: Path
) -> None:
    with running_server(tmp_path / "data", ready=True) as base:
        person = httpx.post(
            f"{base}/api/v1/people",
            json={"name": "John Kennedy", "email": "jfk@example.com"},
            headers=admin_headers(base),
            timeout=60,
        )
        assert person.status_code == 201, person.text
        page.goto(base)
        sign_in(page)
        page.set_input_files("#file-input", str(SPEECH / "jfk.flac"))
        page.click("#upload-button")
        item = page.locator("#recordings li[data-status='ready']")
        expect(item).to_have_count(1, timeout=120_000)
        item.get_by_role("button", name=re.compile("^Play")).click()

        voice = page.get_by_label(re.compile(r"^Speaker 1 \(.* spoken\) is"))
        expect(voice).to_be_visible(timeout=30_000)
        voice.select_option(label="John Kennedy")

        expect(page.locator("#voices-message")).to_have_text("Saved who Speaker 1 is.")
        speakers = page.locator("#segments .segment__speaker")
        expect(speakers.first).to_have_text("John Kennedy")
        expect(page.get_by_label(re.compile(r"^Speaker 1 \("))).to_have_value(person.json()["id"])
        screenshot(page, "transcript-voice-named")


def curator_headers(base: str) -> dict[str, str]:
    """A second person, a curator, signed in with a token of their own."""
    account = {"email": OTHER_EDITOR, "password": ADMIN_PASSWORD, "roles": ["curator"]}
    made = httpx.post(f"{base}/api/v1/users", json=account, headers=admin_headers(base), timeout=60)
    assert made.status_code == 201, made.text
    return headers_for(base, OTHER_EDITOR)
