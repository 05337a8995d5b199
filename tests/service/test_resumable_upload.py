"""Resumable uploads (tus): a transfer cut halfway goes on from the offset the server reports,
the finished file becomes a recording like a form upload, and uploads are private to their
account."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient

from tests.conftest import ADMIN_PASSWORD, SPEECH
from tests.support.api import bearer, wait_until_settled

TUS = {"Tus-Resumable": "1.0.0"}
UPLOADS = "/api/v1/uploads"


def metadata(**fields: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in fields.items())


def start(client: TestClient, size: int, **fields: str) -> str:
    created = client.post(
        UPLOADS,
        headers={**TUS, "Upload-Length": str(size), "Upload-Metadata": metadata(**fields)},
    )
    assert created.status_code == 201, created.text
    return str(created.headers["location"]).rstrip("/").rsplit("/", 1)[-1]


def send(client: TestClient, upload: str, offset: int, data: bytes) -> object:
    return client.patch(
        f"{UPLOADS}/{upload}",
        content=data,
        headers={
            **TUS,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
    )


def test_an_interrupted_upload_resumes_from_the_servers_offset(client: TestClient) -> None:
    audio = (SPEECH / "jfk.flac").read_bytes()
    upload = start(client, len(audio), filename="jfk.flac", filetype="audio/flac", title="JFK")
    half = len(audio) // 2
    first = send(client, upload, 0, audio[:half])
    assert first.status_code == 204  # type: ignore[attr-defined]

    # The connection drops; the page asks where to go on from.
    offset = int(client.head(f"{UPLOADS}/{upload}", headers=TUS).headers["upload-offset"])
    assert offset == half
    last = send(client, upload, offset, audio[offset:])
    assert last.status_code == 204, last.text  # type: ignore[attr-defined]
    recording_id = last.headers["baton-recording-id"]  # type: ignore[attr-defined]
    recording = wait_until_settled(client, recording_id)
    assert recording["status"] == "ready" and recording["title"] == "JFK"
    text = client.get(f"/api/v1/recordings/{recording_id}/transcript").json()["segments"]
    assert "ask not what your country" in " ".join(s["text"] for s in text).lower()
    # Nothing of the upload is left behind, and it cannot be continued.
    assert client.head(f"{UPLOADS}/{upload}", headers=TUS).status_code == 404


def test_uploads_are_private_to_their_account_and_refused_in_words(client: TestClient) -> None:
    for email, role in (("mentor@example.com", "mentor"), ("learner@example.com", "learner")):
        body = {"email": email, "password": ADMIN_PASSWORD, "roles": [role]}
        assert client.post("/api/v1/users", json=body).status_code == 201
    mentor = bearer(client, "mentor@example.com", ADMIN_PASSWORD)
    learner = bearer(client, "learner@example.com", ADMIN_PASSWORD)
    upload = start(client, 1000, filename="a.wav", filetype="audio/wav")
    assert client.head(f"{UPLOADS}/{upload}", headers={**TUS, **mentor}).status_code == 404
    refused = client.post(
        UPLOADS, headers={**TUS, **learner, "Upload-Length": "10", "Upload-Metadata": ""}
    )
    assert refused.status_code == 403

    too_big = client.post(
        UPLOADS,
        headers={**TUS, "Upload-Length": str(10 * 1024**4),
                 "Upload-Metadata": metadata(filename="huge.wav", filetype="audio/wav")},
    )  # fmt: skip
    assert too_big.status_code == 413 and "BATON_MAX_UPLOAD_BYTES" in too_big.json()["detail"]

    text = b"these are notes, not a recording" * 10
    notes = start(client, len(text), filename="notes.mp3", filetype="audio/mpeg")
    refused_media = send(client, notes, 0, text)
    assert refused_media.status_code == 415, refused_media.text  # type: ignore[attr-defined]
    assert client.get("/api/v1/recordings").json()["recordings"] == []


def _offset(client: TestClient, upload: str) -> int:
    return int(client.head(f"{UPLOADS}/{upload}", headers=TUS).headers["upload-offset"])


def test_a_piece_refused_for_its_type_or_protocol_writes_nothing(client: TestClient) -> None:
    audio = (SPEECH / "jfk.flac").read_bytes()
    upload = start(client, len(audio), filename="jfk.flac", filetype="audio/flac")
    piece = audio[:4096]
    url = f"{UPLOADS}/{upload}"

    wrong_type = client.patch(
        url, content=piece, headers={**TUS, "Upload-Offset": "0", "Content-Type": "text/plain"}
    )
    no_protocol = client.patch(
        url,
        content=piece,
        headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
    )

    assert (wrong_type.status_code, no_protocol.status_code) == (415, 412)
    assert wrong_type.json()["detail"] and no_protocol.json()["detail"]
    assert _offset(client, upload) == 0, "a refused piece must not be written"


def test_lengths_are_checked_before_anything_is_written(client: TestClient) -> None:
    limit = client.app.state.runtime.settings.max_upload_bytes  # type: ignore[attr-defined]
    named = {"Upload-Metadata": metadata(filename="x.flac", filetype="audio/flac")}
    negative = client.post(UPLOADS, headers={**TUS, **named, "Upload-Length": "-5"})
    assert negative.status_code == 400 and "whole number" in negative.json()["detail"]
    too_big = client.post(UPLOADS, headers={**TUS, **named, "Upload-Length": str(limit + 1)})
    assert too_big.status_code == 413

    longer_than_declared = client.post(
        UPLOADS,
        content=b"x" * 100,
        headers={
            **TUS, **named, "Upload-Length": "10",
            "Content-Type": "application/offset+octet-stream",
        },
    )  # fmt: skip
    assert longer_than_declared.status_code == 413

    filmed = metadata(filename="f.webm", filetype="video/webm", source="browser-recording",
                      consent_of="Maria Lopez")  # fmt: skip
    created = client.post(
        UPLOADS, headers={**TUS, "Upload-Defer-Length": "1", "Upload-Metadata": filmed}
    )
    assert created.status_code == 201, created.text
    upload = str(created.headers["location"]).rstrip("/").rsplit("/", 1)[-1]
    five_tebibytes = client.patch(
        f"{UPLOADS}/{upload}",
        content=b"x" * 10,
        headers={
            **TUS, "Upload-Offset": "0", "Upload-Length": str(5 * 1024**4),
            "Content-Type": "application/offset+octet-stream",
        },
    )  # fmt: skip
    assert five_tebibytes.status_code == 413
    assert _offset(client, upload) == 0
