"""The redaction tool in the page: press the first and last word of a span on a transcript line,
redact it, and its words are gone from the transcript, the search and the exports."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.server import admin_headers, running_server


def test_a_span_picked_word_by_word_is_redacted_everywhere(page: Page, tmp_path: Path) -> None:
    with running_server(tmp_path / "data", ready=True) as base:
        admin = admin_headers(base)
        with (SPEECH / "jfk.flac").open("rb") as handle:
            recording = httpx.post(
                f"{base}/api/v1/recordings", files={"file": ("jfk.flac", handle)},
                data={"title": "Inaugural"}, headers=admin, timeout=60,
            ).json()  # fmt: skip
        url = f"{base}/api/v1/recordings/{recording['id']}"
        deadline = time.monotonic() + 300
        while httpx.get(url, headers=admin, timeout=60).json()["status"] != "ready":
            assert time.monotonic() < deadline
            time.sleep(1)

        page.goto(f"{base}/#play={recording['id']}&t=0")
        sign_in(page)
        line = page.locator("#segments li.segment", has_text="country").first
        expect(line).to_be_visible(timeout=30_000)
        line.get_by_role("button", name="Redact words").click()
        tool = line.locator("form.redactor")
        words = tool.locator("button.redactor__word")
        texts = [w.strip(",.").lower() for w in words.all_inner_texts()]
        first = texts.index("ask")
        words.nth(first).click()
        words.nth(first + 1).click()  # "ask not"
        expect(tool.get_by_role("button", name="Redact 2 words")).to_be_enabled()
        tool.get_by_label("Why").fill("a test of the tool")
        screenshot(page, "redaction-tool")
        tool.get_by_role("button", name="Redact 2 words").click()
        expect(page.locator("#transcript-message")).to_contain_text("Redacted", timeout=60_000)
        expect(page.locator("#segments")).not_to_contain_text("ask not")

        said = " ".join(
            s["text"]
            for s in httpx.get(f"{url}/transcript", headers=admin, timeout=60).json()["segments"]
        ).lower()
        assert "country" in said and "ask not" not in said, said
        exported = httpx.get(f"{url}/export.txt", headers=admin, timeout=60).text.lower()
        assert "ask not" not in exported
        redactions = httpx.get(f"{url}/redactions", headers=admin, timeout=60).json()
        assert [r["reason"] for r in redactions] == ["a test of the tool"]
