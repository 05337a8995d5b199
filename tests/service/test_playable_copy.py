"""Recordings a browser cannot play, over HTTP with the real pipeline: the player gets an MP4 copy
(with Range answers), the original stays downloadable byte for byte, and redaction and delete
reach both files."""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from faster_whisper.audio import decode_audio

from baton.service.pipeline import playable_path
from baton.service.runtime import Runtime
from tests.conftest import SPEECH
from tests.support.api import bearer, upload, wait_until_settled
from tests.support.media import amr_nb, hevc_mov

KENNEDY = SPEECH / "jfk.flac"


def runtime_of(client: TestClient) -> Runtime:
    return client.app.state.runtime  # type: ignore[attr-defined, no-any-return]


def ready(client: TestClient, path: Path) -> str:
    answer = upload(client, path)
    assert answer.status_code == 202, answer.text
    recording = str(answer.json()["id"])
    assert wait_until_settled(client, recording)["status"] == "ready"
    return recording


def streams_of(data: bytes) -> tuple[str, dict[str, str]]:
    with av.open(io.BytesIO(data)) as container:
        codecs = {s.type: s.codec_context.codec.canonical_name for s in container.streams}
        return container.format.name, codecs


def rms(samples: np.ndarray, start: float, end: float) -> float:
    chunk = samples[int(start * 16000) : int(end * 16000)]
    return float(np.sqrt(np.mean(np.square(chunk))))


def test_a_dictaphone_amr_plays_as_an_mp4_copy_and_its_original_stays_downloadable(
    client: TestClient, tmp_path: Path
) -> None:
    original = amr_nb(tmp_path / "memo.amr", KENNEDY)
    recording = ready(client, original)
    media = f"/api/v1/recordings/{recording}/media"

    played = client.get(media)
    assert played.status_code == 200
    assert played.headers["content-type"] == "audio/mp4"
    assert streams_of(played.content) == ("mov,mp4,m4a,3gp,3g2,mj2", {"audio": "aac"})
    head = client.get(media, headers={"Range": "bytes=0-99"})
    assert head.status_code == 206 and head.content == played.content[:100]
    assert head.headers["content-range"] == f"bytes 0-99/{len(played.content)}"
    seek = client.get(media, headers={"Range": "bytes=1000-"})
    assert seek.status_code == 206 and seek.content == played.content[1000:]

    downloaded = client.get(media, params={"original": "true"})
    assert downloaded.status_code == 200 and downloaded.content == original.read_bytes()
    assert downloaded.headers["content-disposition"].startswith("attachment")
    assert (
        client.get(media, params={"original": "true"}, headers={"Authorization": ""}).status_code
        == 401
    )

    # The copy is made once: a re-processing keeps it.
    copy = playable_path(runtime_of(client), recording)
    made = copy.stat().st_mtime_ns
    assert client.post(f"/api/v1/recordings/{recording}/reprocess").status_code == 202
    assert wait_until_settled(client, recording)["status"] == "ready"
    assert copy.stat().st_mtime_ns == made


def test_a_learner_who_may_not_see_the_recording_gets_neither_file(
    client: TestClient, tmp_path: Path
) -> None:
    recording = ready(client, amr_nb(tmp_path / "memo.amr", KENNEDY))
    body = {
        "email": "new.starter@example.com",
        "password": "long enough password",
        "roles": ["learner"],
    }
    assert client.post("/api/v1/users", json=body).status_code == 201
    learner = bearer(client, body["email"], body["password"])
    media = f"/api/v1/recordings/{recording}/media"
    assert client.get(media, headers=learner).status_code == 404
    assert client.get(media, params={"original": "true"}, headers=learner).status_code == 404


def test_a_phone_hevc_video_plays_as_an_h264_mp4_copy(client: TestClient, tmp_path: Path) -> None:
    recording = ready(client, hevc_mov(tmp_path / "IMG_0001.MOV", KENNEDY))
    played = client.get(f"/api/v1/recordings/{recording}/media")
    assert played.headers["content-type"] == "video/mp4"
    assert streams_of(played.content)[1] == {"video": "h264", "audio": "aac"}
    body = client.get(f"/api/v1/recordings/{recording}").json()
    assert body["has_video"] and "playable_copy" in body["stage_seconds"]


def test_an_ordinary_recording_gets_no_copy_and_plays_as_uploaded(client: TestClient) -> None:
    recording = ready(client, KENNEDY)
    assert not playable_path(runtime_of(client), recording).exists()
    played = client.get(f"/api/v1/recordings/{recording}/media")
    assert played.content == KENNEDY.read_bytes()
    assert played.headers["content-type"] == "audio/flac"


def test_a_redaction_silences_the_original_and_the_copy(client: TestClient, tmp_path: Path) -> None:
    recording = ready(client, amr_nb(tmp_path / "memo.amr", KENNEDY))
    words = [
        w
        for s in client.get(f"/api/v1/recordings/{recording}/transcript").json()["segments"]
        for w in s["words"]
    ]
    fellow = next(i for i, w in enumerate(words) if w["word"].lower().startswith("fellow"))
    start, end = words[fellow]["start"], words[fellow + 1]["end"]  # "fellow Americans"

    made = client.post(
        f"/api/v1/recordings/{recording}/redactions",
        json={"start": start, "end": end, "reason": "a name"},
    )
    assert made.status_code == 201, made.text

    for params in ({}, {"original": "true"}):
        served = client.get(f"/api/v1/recordings/{recording}/media", params=params)
        with tempfile.NamedTemporaryFile(dir=tmp_path) as file:  # AMR is read from a file
            file.write(served.content)
            file.flush()
            samples = decode_audio(file.name, sampling_rate=16000)
        assert rms(samples, start + 0.05, end - 0.05) < 1e-3, params
        assert rms(samples, end + 0.5, end + 2.5) > 0.01, params
    assert sorted(p.name for p in runtime_of(client).settings.media_dir.glob(f"{recording}*")) == [
        recording, f"{recording}.playable.mp4",
    ]  # fmt: skip


def test_delete_removes_the_original_and_the_copy(client: TestClient, tmp_path: Path) -> None:
    recording = ready(client, amr_nb(tmp_path / "memo.amr", KENNEDY))
    media_dir = runtime_of(client).settings.media_dir
    assert {p.name for p in media_dir.glob(f"{recording}*")} == {
        recording, f"{recording}.playable.mp4",
    }  # fmt: skip

    assert client.delete(f"/api/v1/recordings/{recording}").status_code == 204

    assert not list(media_dir.glob(f"{recording}*"))
    assert client.get(f"/api/v1/recordings/{recording}/media").status_code == 404


def test_a_copy_that_cannot_be_made_leaves_the_recording_ready_with_its_original_served(
    client: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    original = amr_nb(tmp_path / "memo.amr", KENNEDY)
    # An ffmpeg that fails at once: what is under test is the stage's answer to a failure.
    monkeypatch.setattr("baton.service.stages.imageio_ffmpeg.get_ffmpeg_exe", lambda: "false")
    with caplog.at_level(logging.WARNING, logger="baton.service.stages"):
        recording = ready(client, original)

    assert not playable_path(runtime_of(client), recording).exists()
    assert client.get(f"/api/v1/recordings/{recording}/media").content == original.read_bytes()
    assert client.get(f"/api/v1/recordings/{recording}/transcript").json()["segments"]
    [warning] = [r.getMessage() for r in caplog.records if "playable copy" in r.getMessage()]
    assert f"recording={recording}" in warning and "stage=playable_copy" in warning
