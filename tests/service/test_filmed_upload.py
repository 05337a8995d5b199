"""A session filmed in the page: sent in pieces while it is recorded (tus with its length left
open), taken in when the page says stop, and kept as far as it arrived when the page never does."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio.from_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from baton.service.api.abandoned_recordings import finish_abandoned_recordings
from baton.service.db.accounts import AuditEntry
from tests.conftest import SPEECH
from tests.service.test_resumable_upload import TUS, UPLOADS, metadata, send
from tests.support.api import wait_until_settled
from tests.support.media import streamed_webm

FILMED = {
    "filename": "filmed.webm",
    "filetype": "video/webm",
    "source": "browser-recording",
    "consent_of": "Maria Lopez\nTom Baker",
    "title": "Filmed at the lathe",
}


@pytest.fixture(scope="module")
def filmed_webm(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("filmed")
    return streamed_webm(folder / "filmed.webm", SPEECH / "jfk.flac").read_bytes()


def start_filming(client: TestClient, **fields: str) -> str:
    created = client.post(
        UPLOADS,
        headers={**TUS, "Upload-Defer-Length": "1", "Upload-Metadata": metadata(**fields)},
    )
    assert created.status_code == 201, created.text
    return str(created.headers["location"]).rstrip("/").rsplit("/", 1)[-1]


def run_async(function: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """Run a coroutine function on an event loop of its own thread: this thread may already
    have one running (Playwright's, in the browser tests of the same session)."""
    with anyio.from_thread.start_blocking_portal() as portal:
        return portal.call(function, *args)


def pieces(data: bytes, count: int) -> list[bytes]:
    size = -(-len(data) // count)
    return [data[at : at + size] for at in range(0, len(data), size)]


def test_a_filmed_session_is_sent_while_recording_and_taken_in_at_stop(
    client: TestClient, filmed_webm: bytes
) -> None:
    upload = start_filming(client, **FILMED)
    offset = 0
    for piece in pieces(filmed_webm, 4):
        assert send(client, upload, offset, piece).status_code == 204  # type: ignore[attr-defined]
        offset += len(piece)
    head = client.head(f"{UPLOADS}/{upload}", headers=TUS)
    assert head.headers["upload-defer-length"] == "1"
    assert int(head.headers["upload-offset"]) == len(filmed_webm)

    # Stop: the page names the length it sent, with nothing more.
    stop = client.patch(
        f"{UPLOADS}/{upload}",
        content=b"",
        headers={
            **TUS,
            "Upload-Offset": str(offset),
            "Upload-Length": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert stop.status_code == 204, stop.text
    recording = wait_until_settled(client, stop.headers["baton-recording-id"])
    assert recording["status"] == "ready", recording
    assert recording["title"] == "Filmed at the lathe"
    text = client.get(f"/api/v1/recordings/{recording['id']}/transcript").json()["segments"]
    assert "ask not what your country" in " ".join(s["text"] for s in text).lower()

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recording.filmed")
        ).one()
    assert entry.target == recording["id"]
    assert entry.detail["consent_of"] == ["Maria Lopez", "Tom Baker"]


def test_filming_needs_everyones_consent_and_a_file_needs_its_size(client: TestClient) -> None:
    no_consent = {key: value for key, value in FILMED.items() if key != "consent_of"}
    refused = client.post(
        UPLOADS,
        headers={**TUS, "Upload-Defer-Length": "1", "Upload-Metadata": metadata(**no_consent)},
    )
    assert refused.status_code == 422 and "consent" in refused.json()["detail"]
    unsized = client.post(
        UPLOADS,
        headers={**TUS, "Upload-Defer-Length": "1",
                 "Upload-Metadata": metadata(filename="a.wav", filetype="audio/wav")},
    )  # fmt: skip
    assert unsized.status_code == 411 and "size" in unsized.json()["detail"]


def test_a_filmed_session_whose_tab_closed_is_kept_as_far_as_it_arrived(
    client: TestClient, filmed_webm: bytes
) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    queue = client.app.state.queue  # type: ignore[attr-defined]
    upload = start_filming(client, **FILMED)
    arrived = pieces(filmed_webm, 3)[:2]
    assert send(client, upload, 0, arrived[0]).status_code == 204  # type: ignore[attr-defined]
    offset = len(arrived[0])
    assert send(client, upload, offset, arrived[1]).status_code == 204  # type: ignore[attr-defined]
    offset += len(arrived[1])

    # Still being filmed: the sweep leaves it alone.
    assert run_async(finish_abandoned_recordings, runtime, queue) == []

    # The tab closed: after the quiet time, what arrived becomes a recording, once (the server's
    # own sweep, running every few seconds, may be the one that gets there first).
    runtime.settings.browser_recording_idle_seconds = 0.01
    time.sleep(0.1)  # quiet for longer than that
    try:
        run_async(finish_abandoned_recordings, runtime, queue)
        run_async(finish_abandoned_recordings, runtime, queue)
    finally:
        runtime.settings.browser_recording_idle_seconds = 120
    finished = [r["id"] for r in client.get("/api/v1/recordings").json()["recordings"]]
    assert len(finished) == 1
    recording = wait_until_settled(client, finished[0])
    assert recording["status"] == "ready", recording
    assert 5.0 < recording["duration"] < 9.0
    text = client.get(f"/api/v1/recordings/{finished[0]}/transcript").json()["segments"]
    assert "ask not" in " ".join(s["text"] for s in text).lower()
    # A piece that arrives late finds the upload closed.
    late = send(client, upload, offset, b"late")
    assert late.status_code == 404  # type: ignore[attr-defined]
    assert not list(Path(runtime.settings.data_dir, "uploads").glob("*/*.info"))
