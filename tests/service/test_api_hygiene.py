"""Security headers on every answer, and a size limit on every body but an upload's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from baton.service.api.hygiene import MAX_BODY_BYTES
from baton.service.runtime import ModelSet
from baton.service.settings import Settings
from tests.conftest import SPEECH
from tests.support.api import signed_in_client, upload
from tests.support.media import pcm_wav


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/v1/recordings", "/api/v1/recordings/nope", "/static/app.js"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["referrer-policy"] == "same-origin", path
    # The docs run Swagger UI from its CDN: a policy of their own allows exactly that.
    docs_policy = client.get("/docs").headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in docs_policy and "frame-ancestors 'none'" in docs_policy


def test_strict_transport_security_is_sent_over_https_only(
    settings: Settings, models: ModelSet
) -> None:
    """Over plain http browsers ignore it; sent there it only claims what is not true."""
    for base, sent in (("http://testserver", False), ("https://testserver", True)):
        with signed_in_client(settings, models, base_url=base) as client:
            headers = client.get("/healthz").headers
        assert ("strict-transport-security" in headers) is sent, base


def test_an_oversized_json_body_is_refused_in_words(client: TestClient) -> None:
    huge = {"name": "x" * (2 * 1024 * 1024), "email": "big@example.com"}
    response = client.post("/api/v1/people", json=huge)
    assert response.status_code == 413
    assert "larger than 1024 KiB" in response.json()["detail"]


def test_a_streamed_body_without_a_length_is_cut_off_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(40):
            yield b"y" * 65536
        yield b'", "email": "stream@example.com"}'

    response = client.post(
        "/api/v1/people", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_uploads_keep_their_own_larger_limit(client: TestClient, tmp_path: Path) -> None:
    larger = pcm_wav(tmp_path / "speech.wav", SPEECH / "jfk.flac")  # 11 s at 48 kHz: 1 MiB
    assert larger.stat().st_size > MAX_BODY_BYTES
    assert upload(client, larger).status_code == 202
