"""A dictaphone's AMR, which Chromium cannot play, plays in the page's player all the same."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.media import amr_nb
from tests.support.server import running_server

KENNEDY = SPEECH / "jfk.flac"

# A function, not an expression: the page's CSP forbids evaluating strings.
TRY_TO_PLAY = """async (url) => {
  const media = document.createElement("audio");
  media.muted = true;
  const verdict = new Promise((settle) => {
    media.addEventListener("error", () => settle(`error ${media.error?.code}`));
    media.addEventListener("canplay", () => settle("plays"));
    setTimeout(() => settle(`undecided at readyState ${media.readyState}`), 20000);
  });
  media.src = url;
  return verdict;
}"""


def test_a_recording_chromium_cannot_decode_plays_in_the_player(page: Page, tmp_path: Path) -> None:
    memo = amr_nb(tmp_path / "memo.amr", KENNEDY)
    with running_server(tmp_path / "data", ready=True) as base:
        page.goto(base)
        sign_in(page)
        page.set_input_files("#file-input", str(memo))
        page.fill("#title-input", "Dictaphone memo")
        page.click("#upload-button")
        item = page.locator("#recordings li[data-status='ready']")
        expect(item).to_have_count(1, timeout=120_000)
        recording = item.get_attribute("data-id")
        media = f"/api/v1/recordings/{recording}/media"

        # The file as uploaded really is one this Chromium cannot play (4: not supported).
        assert page.evaluate(TRY_TO_PLAY, f"{media}?original=true") == "error 4"

        item.get_by_role("button", name="Play").click()
        page.wait_for_function(
            "() => { const p = document.querySelector('#player');"
            " return p.readyState >= 2 && p.currentTime > 1 && !p.error; }",
            timeout=30_000,
        )
        player = page.locator("#player")
        assert player.evaluate("el => el.error") is None
        assert player.evaluate("el => el.duration") > 10
        expect(page.locator("#player-message")).not_to_contain_text("could not be played")
        original = page.locator("#export-links a", has_text="Original recording")
        expect(original).to_have_attribute("href", f"{media}?original=true")
        screenshot(page, "playable-copy-in-player")
