"""Bad input gets a clear answer and the rest of the library is left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from baton.service.runtime import ModelSet
from tests.conftest import SPEECH, admin_settings
from tests.support.api import signed_in_client, upload, wait_until_settled
from tests.support.media import reencoded, silence, video_without_audio, webm_claiming


def _library_state(client: TestClient) -> tuple[list[Any], int, list[Any]]:
    """Everything a bad upload must not change: the listing, the index, a transcript."""
    recordings = client.get("/api/v1/recordings").json()["recordings"]
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    transcripts = [
        client.get(f"/api/v1/recordings/{r['id']}/transcript").json() for r in recordings
    ]
    return recordings, runtime.index.count(), transcripts


@pytest.fixture
def library_with_one_ready(client: TestClient) -> TestClient:
    response = upload(client, SPEECH / "jfk.flac", title="JFK inaugural")
    assert response.status_code == 202
    assert wait_until_settled(client, response.json()["id"])["status"] == "ready"
    return client


def _refused(client: TestClient, path: Path, status: int, words: str) -> None:
    before = _library_state(client)
    response = upload(client, path)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert _library_state(client) == before
    incoming = client.app.state.runtime.settings.media_dir / ".incoming"  # type: ignore[attr-defined]
    assert not incoming.exists() or not any(incoming.iterdir()), "a refused upload left a file"


def test_empty_file_is_refused_with_reason(
    library_with_one_ready: TestClient, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.m4a"
    empty.write_bytes(b"")
    _refused(library_with_one_ready, empty, 400, "empty")


def test_text_file_named_mp3_is_refused_with_reason(
    library_with_one_ready: TestClient, tmp_path: Path
) -> None:
    fake = tmp_path / "session.mp3"
    fake.write_text("This is a text file that pretends to be an MP3.\n" * 100)
    _refused(library_with_one_ready, fake, 415, "not an audio or video recording")


def test_video_without_audio_is_refused_with_reason(
    library_with_one_ready: TestClient, tmp_path: Path
) -> None:
    video = video_without_audio(tmp_path / "no-sound.mp4")
    _refused(library_with_one_ready, video, 422, "no audio track")


def test_truncated_mp3_fails_with_reason_and_leaves_the_library_alone(
    library_with_one_ready: TestClient, tmp_path: Path
) -> None:
    client = library_with_one_ready
    whole = reencoded(tmp_path / "whole.mp3", SPEECH / "jfk.flac").read_bytes()
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(whole[: len(whole) // 3])
    _, points_before, _ = _library_state(client)
    response = upload(client, cut)
    assert response.status_code == 202
    body = wait_until_settled(client, response.json()["id"])
    assert body["status"] == "failed"
    assert "cut short" in body["error"] and "Upload the complete file" in body["error"]
    assert body["stage"] == "decode"
    assert client.app.state.runtime.index.count() == points_before  # type: ignore[attr-defined]
    ready = [
        r for r in client.get("/api/v1/recordings").json()["recordings"] if r["id"] != body["id"]
    ]
    assert [r["status"] for r in ready] == ["ready"]


def test_silent_recording_fails_with_reason(
    library_with_one_ready: TestClient, tmp_path: Path
) -> None:
    silent = silence(tmp_path / "silent.wav", seconds=8)
    response = upload(library_with_one_ready, silent)
    body = wait_until_settled(library_with_one_ready, response.json()["id"])
    assert body["status"] == "failed"
    assert "No speech was found" in body["error"]


def test_a_recording_longer_than_its_header_says_fails_once_decoding_passes_the_limit(
    tmp_path: Path, models: ModelSet
) -> None:
    lying = webm_claiming(tmp_path / "short.webm", SPEECH / "jfk.flac", seconds=5)
    settings = admin_settings(tmp_path / "data", max_duration_seconds=8)
    with signed_in_client(settings, models) as client:
        response = upload(client, lying)
        assert response.status_code == 202, response.text
        body = wait_until_settled(client, response.json()["id"])
    assert body["status"] == "failed" and body["stage"] == "decode"
    assert "longer than the 0:08 allowed" in body["error"]


def test_file_over_the_size_limit_is_refused_before_it_is_stored(
    tmp_path: Path, models: ModelSet
) -> None:
    settings = admin_settings(tmp_path / "data", max_upload_bytes=100_000)
    with signed_in_client(settings, models) as client:
        _refused(client, SPEECH / "jfk.flac", 413, "larger than")


def test_streamed_upload_is_cut_off_once_it_passes_the_size_limit(
    tmp_path: Path, models: ModelSet
) -> None:
    """Without a Content-Length to check up front, the limit applies while bytes arrive."""
    settings = admin_settings(tmp_path / "data", max_upload_bytes=100_000)
    boundary = "baton-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.flac"\r\n'
        "Content-Type: audio/flac\r\n\r\n"
    ).encode()
    payload = (SPEECH / "jfk.flac").read_bytes()

    def chunks() -> Iterator[bytes]:
        yield head
        for offset in range(0, len(payload), 16_384):
            yield payload[offset : offset + 16_384]
        yield f"\r\n--{boundary}--\r\n".encode()

    with signed_in_client(settings, models) as client:
        response = client.post(
            "/api/v1/recordings",
            content=chunks(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert response.status_code == 413
        assert "larger than" in response.json()["detail"]
        assert client.get("/api/v1/recordings").json()["recordings"] == []
        assert not any((settings.media_dir / ".incoming").iterdir())


def test_a_request_that_is_not_multipart_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/recordings", json={"file": "s01.ogg"})
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]


def test_a_form_without_a_file_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/recordings", data={"title": "no file"}, files={"x": ("", b"")})
    assert response.status_code == 422
    assert "field named 'file'" in response.json()["detail"]


def test_unknown_recording_is_a_404_in_words(client: TestClient) -> None:
    for path in ("", "/transcript", "/media"):
        response = client.get(f"/api/v1/recordings/does-not-exist{path}")
        assert response.status_code == 404
        assert "No recording has th" in response.json()["detail"]


def test_search_parameters_are_validated_in_words(client: TestClient) -> None:
    assert client.get("/api/v1/search", params={"q": ""}).status_code == 422
    response = client.get("/api/v1/search", params={"q": "ladle", "limit": "lots"})
    assert response.status_code == 422
    assert "limit" in response.json()["detail"]
