"""Signing in and out of the page: a refusal is explained in words and shows nothing of the
library; the right password opens it; signing out closes it again, across a reload."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import ADMIN_EMAIL, SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.server import running_server


def test_sign_in_refuses_in_words_then_opens_the_app_and_signs_out(
    page: Page, tmp_path: Path
) -> None:
    with running_server(tmp_path / "data") as base:
        page.goto(base)
        expect(page.get_by_role("heading", name="Sign in to Baton")).to_be_visible()
        expect(page.locator("#app")).to_be_hidden()
        expect(page.get_by_label("Email")).to_be_focused()
        screenshot(page, "sign-in")

        page.get_by_label("Email").fill(ADMIN_EMAIL)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text(
            "The email or password is wrong. Check both and try again."
        )
        expect(page.locator("#app")).to_be_hidden()
        screenshot(page, "sign-in-refused")

        sign_in(page)
        expect(page.get_by_role("heading", name="Library")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in to Baton")).to_be_visible()
        page.reload()
        expect(page.get_by_role("heading", name="Sign in to Baton")).to_be_visible()
        expect(page.locator("#app")).to_be_hidden()


def test_the_page_sends_its_csrf_token_with_every_change(page: Page, tmp_path: Path) -> None:
    """Uploading and deleting are changes: without the header the server would refuse them."""
    with running_server(tmp_path / "data") as base:
        page.goto(base)
        sign_in(page)
        page.set_input_files("#file-input", str(SPEECH / "jfk.flac"))
        page.click("#upload-button")
        item = page.locator("#recordings li[data-id]")
        expect(item).to_have_count(1, timeout=60_000)
        page.once("dialog", lambda dialog: dialog.accept())
        item.get_by_role("button", name="Delete").click()
        expect(page.locator("#recordings li[data-id]")).to_have_count(0, timeout=30_000)
