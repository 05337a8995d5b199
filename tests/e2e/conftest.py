"""A real Chromium (Debian's), driven by Playwright, against a real `baton serve`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT_ROOT, SPEECH
from tests.support.media import pcm_wav

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium whose camera is a test picture and whose microphone plays a real speech (on a
    loop), so that a session filmed in the page has words to transcribe."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: scripts/test.sh installs it (apt-get install chromium)")
    microphone = pcm_wav(tmp_path_factory.mktemp("microphone") / "speech.wav", SPEECH / "jfk.flac")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={microphone}",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page for people reviewing the run (CI keeps test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
    """Fill the sign-in form as a person would, and wait for the app behind it."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#app")).to_be_visible(timeout=30_000)
    expect(page.locator("#account-email")).to_have_text(email)
