"""Job claiming keeps a job to one worker at a time and never reruns a finished job."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from baton.service import jobs
from baton.service.db.engine import make_engine, make_session_factory, transaction
from baton.service.db.tables import Job, Recording
from baton.service.queue import JobQueue
from baton.service.settings import Settings


def _factory_with_job(url: str) -> tuple[sessionmaker[Session], str]:
    sessions = make_session_factory(make_engine(url))
    recording = Recording(
        id=str(uuid.uuid4()), title="t", original_filename="t.wav", size_bytes=1,
        sha256=uuid.uuid4().hex * 2,
    )  # fmt: skip
    job_id = str(uuid.uuid4())
    recording.jobs = [Job(id=job_id, recording_id=recording.id)]
    with transaction(sessions) as session:
        session.add(recording)
    return sessions, job_id


def test_a_job_is_claimed_once_and_a_finished_job_never_again(database_url: str) -> None:
    sessions, job_id = _factory_with_job(database_url)
    first = jobs.claim(sessions, job_id)
    assert first is not None and first.attempts == 1
    assert jobs.claim(sessions, job_id) is None
    jobs.finish(sessions, job_id, status=jobs.READY)
    assert jobs.claim(sessions, job_id) is None


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(database_url: str) -> None:
    sessions, job_id = _factory_with_job(database_url)
    assert jobs.claim(sessions, job_id) is not None
    assert jobs.interrupted_jobs(sessions, all_processing=False, include_queued=False) == []
    with transaction(sessions) as session:
        session.execute(update(Job).values(lease_expires_at=jobs.now() - timedelta(seconds=1)))
    assert jobs.interrupted_jobs(sessions, all_processing=False, include_queued=False) == [job_id]
    again = jobs.claim(sessions, job_id)
    assert again is not None and again.attempts == 2


def test_a_job_interrupted_too_often_fails_with_a_reason(database_url: str) -> None:
    sessions, job_id = _factory_with_job(database_url)
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        assert jobs.claim(sessions, job_id) is not None
        resumed = jobs.interrupted_jobs(sessions, all_processing=True, include_queued=True)
        assert resumed == ([job_id] if attempt < jobs.MAX_ATTEMPTS else [])
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "failed"
        assert f"interrupted {jobs.MAX_ATTEMPTS} times" in (job.error or "")


def test_an_interrupted_refining_pass_resumes_behind_first_passes(
    database_url: str, tmp_path: Path
) -> None:
    # The refining pass was queued first; a later upload's first pass still goes first.
    sessions, refining = _factory_with_job(database_url)
    with transaction(sessions) as session:
        job = session.get(Job, refining)
        assert job is not None
        job.refine = True
        first_pass = Job(id=str(uuid.uuid4()), recording_id=job.recording_id)
        session.add(first_pass)
    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    queue = JobQueue(SimpleNamespace(settings=settings, sessions=sessions))  # type: ignore[arg-type]

    assert queue.resume_interrupted(at_startup=True) == 2
    assert [task.args[0] for task in queue.huey.pending()] == [first_pass.id, refining]
