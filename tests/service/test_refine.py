"""The second pass: a ready recording is transcribed again with the more accurate model,
staying ready and searchable meanwhile."""

from __future__ import annotations

import time
from pathlib import Path

from baton.service.db.tables import Job, Recording
from baton.service.runtime import ModelSet
from tests.conftest import SPEECH, admin_settings
from tests.support.api import signed_in_client, upload, wait_until_settled


def test_a_ready_recording_is_refined_with_base_and_never_stops_being_ready(
    tmp_path: Path, models: ModelSet
) -> None:
    settings = admin_settings(tmp_path / "data", whisper_refine_model="base")
    with signed_in_client(settings, models) as client:
        recording_id = upload(client, SPEECH / "jfk.flac").json()["id"]
        seen: list[tuple[str, bool]] = []
        deadline = time.monotonic() + 600
        while not seen or seen[-1][0] not in ("ready", "failed") or seen[-1][1]:
            assert time.monotonic() < deadline, seen[-5:]
            time.sleep(0.2)
            body = client.get(f"/api/v1/recordings/{recording_id}").json()
            seen.append((body["status"], body["refining"]))

        # Once ready, it stays ready: the second pass shows as refining, never as processing.
        first_ready = next(i for i, (status, _) in enumerate(seen) if status == "ready")
        assert all(status == "ready" for status, _ in seen[first_ready:]), seen
        assert ("ready", True) in seen
        versions = client.get(f"/api/v1/recordings/{recording_id}/transcript/versions").json()
        assert [(v["number"], v["model"], v["current"]) for v in versions] == [
            (1, "tiny.en", False),
            (2, "base", True),
        ]
        text = " ".join(
            s["text"]
            for s in client.get(f"/api/v1/recordings/{recording_id}/transcript").json()["segments"]
        )
        assert "ask not what your country can do for you" in text.lower().replace(",", "")
        hits = client.get("/api/v1/search", params={"q": "what you can do for your country"})
        assert hits.json()["hits"][0]["recording_id"] == recording_id
        # A re-run with a named model is that model's alone; a plain re-run is refined again.
        reprocess = f"/api/v1/recordings/{recording_id}/reprocess"
        assert client.post(reprocess, json={"whisper_model": "tiny.en"}).status_code == 202
        assert wait_until_settled(client, recording_id)["status"] == "ready"
        assert client.post(reprocess).status_code == 202
        assert wait_until_settled(client, recording_id)["status"] == "ready"
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        with runtime.sessions() as session:
            recording = session.get(Recording, recording_id)
            assert [(j.refine, j.whisper_model, j.status) for j in recording.jobs] == [
                (False, None, "ready"),
                (True, "base", "ready"),
                (False, "tiny.en", "ready"),
                (False, None, "ready"),
                (True, "base", "ready"),
            ]


def test_a_refining_model_that_is_not_there_leaves_the_first_transcript(
    tmp_path: Path, models: ModelSet
) -> None:
    settings = admin_settings(tmp_path / "data", whisper_refine_model=str(tmp_path / "missing"))
    with signed_in_client(settings, models) as client:
        recording_id = upload(client, SPEECH / "jfk.flac").json()["id"]
        body = wait_until_settled(client, recording_id)
        assert body["status"] == "ready" and not body["refining"]
        versions = client.get(f"/api/v1/recordings/{recording_id}/transcript/versions").json()
        assert [v["model"] for v in versions] == ["tiny.en"]


def test_a_failed_refining_pass_leaves_the_recording_ready() -> None:
    recording = Recording(
        jobs=[Job(status="ready", refine=False), Job(status="failed", refine=True, error="x")]
    )

    assert recording.status_job is recording.jobs[0]
    assert not recording.refining


def test_a_queued_refining_pass_shows_as_refining_on_a_ready_recording() -> None:
    recording = Recording(
        jobs=[Job(status="ready", refine=False), Job(status="queued", refine=True)]
    )

    assert recording.status_job is recording.jobs[0]
    assert recording.refining
