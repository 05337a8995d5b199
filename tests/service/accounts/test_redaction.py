"""Redaction, measured: after it, the span's words are in no transcript, index payload or
export, and the served audio over the span is silent while the rest still sounds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from faster_whisper.audio import decode_audio
from sqlalchemy import select

from baton.service.api.app import create_app
from baton.service.db.accounts import AuditEntry
from baton.service.db.tables import Sentence
from baton.service.runtime import ModelSet
from baton.service.settings import Settings
from tests.conftest import SPEECH
from tests.support.api import upload, wait_until_settled

ADMIN, PASSWORD = "admin@example.com", "correct horse battery staple"


@pytest.fixture
def signed_in(tmp_path: Path, models: ModelSet) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings(
        data_dir=tmp_path / "data",
        admin_email=ADMIN,
        admin_password=PASSWORD,  # type: ignore[arg-type]
    )
    with TestClient(create_app(settings, models), base_url="https://testserver") as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": ADMIN, "password": PASSWORD}
        ).json()["access_token"]
        admin = {"Authorization": f"Bearer {token}"}
        client.headers.update(admin)
        yield client, admin


def rms(samples: np.ndarray, start: float, end: float) -> float:
    chunk = samples[int(start * 16000) : int(end * 16000)]
    return float(np.sqrt(np.mean(np.square(chunk))))


def test_a_redacted_span_is_gone_from_text_index_exports_and_sound(
    signed_in: tuple[TestClient, dict[str, str]],
) -> None:
    client, admin = signed_in
    recording = upload(client, SPEECH / "jfk.flac").json()["id"]
    assert wait_until_settled(client, recording)["status"] == "ready"
    words = [
        w
        for s in client.get(f"/api/v1/recordings/{recording}/transcript").json()["segments"]
        for w in s["words"]
    ]
    fellow = next(i for i, w in enumerate(words) if w["word"].lower().startswith("fellow"))
    start, end = words[fellow]["start"], words[fellow + 1]["end"]  # "fellow Americans"
    before = client.get("/api/v1/search", params={"q": "fellow Americans"}).json()["hits"]
    assert "fellow americans" in before[0]["answer"]["text"].lower()

    url = f"/api/v1/recordings/{recording}/redactions"
    assert client.post(url, json={"start": 5, "end": 2}, headers=admin).status_code == 422
    anonymous = {"Authorization": ""}
    assert client.post(url, json={"start": start, "end": end}, headers=anonymous).status_code == 401
    made = client.post(url, json={"start": start, "end": end, "reason": "a name"}, headers=admin)
    assert made.status_code == 201, made.text

    def absent(text: str) -> bool:
        lowered = text.lower()
        return "fellow" not in lowered and "americans" not in lowered

    transcript = client.get(f"/api/v1/recordings/{recording}/transcript").json()
    text = " ".join(s["text"] for s in transcript["segments"])
    assert absent(text) and "[redacted]" in text and "ask not what your country" in text.lower()
    for fmt in ("srt", "vtt", "txt", "md", "json"):
        assert absent(client.get(f"/api/v1/recordings/{recording}/export.{fmt}").text), fmt
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    points = runtime.index.search(
        runtime.dense.embed(["my fellow Americans"])[0].tolist(), None, limit=50,
        filter={"recording_id": recording}, fields=("text",),
    )  # fmt: skip
    assert points and all(absent(str(p.payload["text"])) for p in points)
    hits = client.get("/api/v1/search", params={"q": "fellow Americans"}).json()["hits"]
    assert all(absent(h["text"]) for h in hits)
    assert all(h["answer"] and absent(h["answer"]["text"]) for h in hits)
    with runtime.sessions() as session:
        sentences = session.scalars(
            select(Sentence.text).where(Sentence.recording_id == recording)
        ).all()
    assert sentences and all(absent(text) for text in sentences)

    media = client.get(f"/api/v1/recordings/{recording}/media")
    assert media.status_code == 200
    samples = decode_audio(io.BytesIO(media.content), sampling_rate=16000)
    assert rms(samples, start + 0.05, end - 0.05) < 1e-4
    assert rms(samples, end + 0.5, end + 2.5) > 0.01
    # Opening the media is a view in the audit log; the seeks after it are not.
    seek = client.get(f"/api/v1/recordings/{recording}/media", headers={"Range": "bytes=1000-"})
    assert seek.status_code == 206
    with runtime.sessions() as session:
        played = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "recording.played")
        ).all()
    assert played == [ADMIN]
    listed = client.get(url, headers=admin).json()
    assert [(r["reason"], r["created_by"]) for r in listed] == [("a name", ADMIN)]
