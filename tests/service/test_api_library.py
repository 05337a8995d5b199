"""Library behaviour over HTTP: duplicates, deletion, health."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baton.service.db.accounts import AuditEntry
from baton.service.db.tables import Sentence
from tests.conftest import SPEECH
from tests.support.api import upload, wait_until_settled


def test_the_same_file_uploaded_twice_is_recognised_and_not_transcribed_again(
    client: TestClient,
) -> None:
    first = upload(client, SPEECH / "jfk.flac", title="JFK")
    assert first.status_code == 202
    assert first.json()["duplicate"] is False
    wait_until_settled(client, first.json()["id"])
    second = upload(client, SPEECH / "jfk.flac", title="JFK again")
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["id"] == first.json()["id"]
    assert len(client.get("/api/v1/recordings").json()["recordings"]) == 1


def test_delete_removes_media_transcript_and_every_index_point(client: TestClient) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    kept = upload(client, SPEECH / "hotwords.mp3").json()["id"]
    gone = upload(client, SPEECH / "jfk.flac").json()["id"]
    for recording_id in (kept, gone):
        assert wait_until_settled(client, recording_id)["status"] == "ready"
    kept_points = runtime.index.count({"recording_id": kept})
    assert kept_points > 0 and runtime.index.count({"recording_id": gone}) > 0

    def sentences(recording_id: str) -> int:
        with runtime.sessions() as session:
            query = select(func.count()).where(Sentence.recording_id == recording_id)
            return int(session.scalar(query) or 0)

    kept_sentences = sentences(kept)
    assert kept_sentences > 0 and sentences(gone) > 0

    assert client.delete(f"/api/v1/recordings/{gone}").status_code == 204

    assert runtime.index.count({"recording_id": gone}) == 0
    assert runtime.index.count({"recording_id": kept}) == kept_points
    assert sentences(gone) == 0 and sentences(kept) == kept_sentences
    assert client.get(f"/api/v1/recordings/{gone}").status_code == 404
    assert client.get(f"/api/v1/recordings/{gone}/media").status_code == 404
    assert not (runtime.settings.media_dir / gone).exists()
    hits = client.get("/api/v1/search", params={"q": "ask not what your country"}).json()["hits"]
    assert all(hit["recording_id"] != gone for hit in hits)
    assert client.delete(f"/api/v1/recordings/{gone}").status_code == 404
    with runtime.sessions() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.target == gone)).all()
    assert entry.action == "recording.deleted" and entry.detail["title"] == "jfk"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz").json()
    assert set(ready["checks"]) == {"database", "index", "speech_model", "embedding_model"}
    assert ready["checks"]["database"] == "ok" and ready["checks"]["index"] == "ok"


def test_openapi_document_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/recordings", "/api/v1/search", "/healthz", "/readyz"} <= set(paths)
    assert "multipart/form-data" in paths["/api/v1/recordings"]["post"]["requestBody"]["content"]


def test_first_page_and_its_script_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert client.get("/static/app.js").status_code == 200


def test_media_is_served_as_the_sound_it_holds_not_as_its_name_says(
    client: TestClient, tmp_path: Path
) -> None:
    """A name is the uploader's to choose; a page must never be served inline from Baton."""
    named_as_a_page = tmp_path / "notes.html"
    named_as_a_page.write_bytes((SPEECH / "jfk.flac").read_bytes())
    recording = upload(client, named_as_a_page).json()["id"]

    for params in ({}, {"original": "true"}):
        served = client.get(f"/api/v1/recordings/{recording}/media", params=params)
        assert served.status_code == 200
        assert served.headers["content-type"] == "audio/flac", params


@pytest.mark.parametrize(
    ("range_header", "status"),
    [("bytes=5-2", 400), ("bytes=abc", 400), ("bytes=999999999-", 416)],
)
def test_a_range_the_file_cannot_answer_is_refused_in_json(
    client: TestClient, range_header: str, status: int
) -> None:
    recording = upload(client, SPEECH / "jfk.flac").json()["id"]

    refused = client.get(f"/api/v1/recordings/{recording}/media", headers={"Range": range_header})

    assert refused.status_code == status
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["detail"]
    if status == 416:
        size = (SPEECH / "jfk.flac").stat().st_size
        assert refused.headers["content-range"] == f"bytes */{size}"
