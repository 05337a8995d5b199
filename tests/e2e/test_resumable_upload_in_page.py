"""An upload cut off halfway in the page goes on from where it stopped (the tus protocol)
instead of starting again, and the recording arrives in the library."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, Route, expect

from tests.conftest import CORPUS, SPEECH
from tests.e2e.conftest import screenshot, sign_in
from tests.support.media import pcm_wav
from tests.support.server import running_server


def test_an_upload_cut_off_halfway_resumes_and_completes(page: Page, tmp_path: Path) -> None:
    # A session as 16 kHz WAV, 16 MB: five pieces of 4 MiB, so the cut has pieces either side.
    long_file = pcm_wav(tmp_path / "crane-inspection.wav", CORPUS / "audio" / "s04.ogg", 16_000)
    assert long_file.stat().st_size > 4 * 4 * 1024 * 1024
    sent: list[tuple[str, str | None]] = []
    cut: list[str] = []

    def network(route: Route) -> None:
        request = route.request
        sent.append((request.method, request.headers.get("upload-offset")))
        patches = [m for m, _ in sent if m == "PATCH"]
        if request.method == "PATCH" and len(patches) == 3 and not cut:
            cut.append(str(request.headers.get("upload-offset")))
            route.abort("connectionreset")
            return
        route.continue_()

    with running_server(tmp_path / "data") as base:
        page.goto(base)
        sign_in(page)
        page.route("**/api/v1/uploads**", network)
        page.set_input_files("#file-input", str(long_file))
        page.fill("#title-input", "Crane inspection")
        page.click("#upload-button")
        expect(page.locator("#upload-message")).to_contain_text(
            "Uploaded “Crane inspection”", timeout=120_000
        )
        screenshot(page, "upload-resumed")
        expect(page.locator("#recordings li", has_text="Crane inspection")).to_have_count(1)

    assert cut, "the third piece was never sent"
    after = sent[sent.index(("PATCH", cut[0])) + 1 :]
    # It asked how much had arrived, then went on from the cut, never from the beginning.
    assert after[0][0] == "HEAD", after
    offsets = [int(offset or 0) for method, offset in after if method == "PATCH"]
    assert offsets[0] == int(cut[0]) > 0 and min(offsets) >= int(cut[0]), offsets
    assert len([m for m, _ in sent if m == "POST"]) == 1, "a second upload was started"


def test_several_files_upload_one_after_another_each_with_its_progress(
    page: Page, tmp_path: Path
) -> None:
    files = [SPEECH / "jfk.flac", SPEECH / "hotwords.mp3"]
    with running_server(tmp_path / "data") as base:
        page.goto(base)
        sign_in(page)
        page.set_input_files("#file-input", [str(f) for f in files])
        expect(page.locator("#file-summary")).to_contain_text("Chosen: 2 files")
        page.click("#upload-button")
        rows = page.locator("#upload-queue li")
        expect(rows).to_have_count(2)
        for row, file in zip(rows.all(), files, strict=True):
            expect(row).to_contain_text(file.name)
            expect(row).to_have_attribute("data-status", "done", timeout=60_000)
            expect(row.get_by_role("progressbar")).to_have_attribute("value", "100")
        expect(page.locator("#recordings li[data-id]")).to_have_count(2, timeout=30_000)
        screenshot(page, "upload-several")
