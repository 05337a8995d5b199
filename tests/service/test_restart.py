"""A server stopped or killed in the middle of a job finishes that job exactly once on restart."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select

from baton.service.db.tables import Job, Passage, Segment
from baton.service.index.edge import EdgeIndex
from baton.service.runtime import ModelSet
from tests.conftest import CORPUS, admin_settings
from tests.support.api import signed_in_client, upload, wait_until_settled
from tests.support.server import admin_headers, running_server

SESSION = CORPUS / "audio" / "s01.ogg"


def test_killed_server_resumes_the_job_and_indexes_it_exactly_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_server(data_dir) as base:
        with SESSION.open("rb") as handle:
            accepted = httpx.post(
                f"{base}/api/v1/recordings",
                files={"file": (SESSION.name, handle)},
                headers=admin_headers(base),
                timeout=60,
            )
        recording_id = accepted.json()["id"]
        _wait_for(base, recording_id, lambda b: b["stage"] == "transcribe" and b["progress"] > 0.1)
        # the `with` block ends by SIGKILL: no chance to clean up or pause the job

    with running_server(data_dir) as base:
        final = _wait_for(base, recording_id, lambda b: b["status"] in ("ready", "failed"))
        assert final["status"] == "ready", final
        listing = httpx.get(f"{base}/api/v1/recordings", headers=admin_headers(base))
        assert [r["id"] for r in listing.json()["recordings"]] == [recording_id]

    settings = admin_settings(data_dir)
    engine = create_engine(settings.sqlalchemy_url)
    with engine.connect() as db:
        jobs = db.execute(select(Job.attempts, Job.status)).all()
        passages = db.scalar(select(func.count()).select_from(Passage))
        positions = db.scalars(select(Segment.position)).all()
    engine.dispose()
    assert jobs == [(2, "ready")]
    assert len(positions) == len(set(positions)), "segments were stored twice"
    index = EdgeIndex(settings.edge_index_dir)
    try:
        assert passages and index.count({"recording_id": recording_id}) == passages
    finally:
        index.close()


def test_server_stopped_mid_job_pauses_it_and_finishes_it_after_restart(
    tmp_path: Path, models: ModelSet
) -> None:
    settings = admin_settings(tmp_path / "data")
    with signed_in_client(settings, models) as client:
        recording_id = upload(client, SESSION).json()["id"]
        deadline = time.monotonic() + 300
        while client.get(f"/api/v1/recordings/{recording_id}").json()["stage"] != "transcribe":
            assert time.monotonic() < deadline
            time.sleep(0.2)
    with signed_in_client(settings, models) as client:
        paused = client.get(f"/api/v1/recordings/{recording_id}").json()
        assert paused["status"] in ("queued", "processing")
        final = wait_until_settled(client, recording_id)
        assert final["status"] == "ready"
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        with runtime.sessions() as session:
            passages = session.scalar(select(func.count()).select_from(Passage))
        assert runtime.index.count({"recording_id": recording_id}) == passages


def _wait_for(base: str, recording_id: str, done: Any, timeout: float = 600) -> Any:
    deadline = time.monotonic() + timeout
    headers = admin_headers(base)
    while time.monotonic() < deadline:
        url = f"{base}/api/v1/recordings/{recording_id}"
        body = httpx.get(url, headers=headers, timeout=10).json()
        if done(body):
            return body
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting on {recording_id}: {body}")
