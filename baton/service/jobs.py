"""The life of an ingest job in the database: claim, report progress, finish, recover.

The database, not the queue, is the truth about a job. Queue messages may be lost (a crash
after dequeue) or doubled (a recovery re-enqueue beside an old message); claiming with a
conditional UPDATE makes running a job idempotent: only one worker holds it at a time, and a
finished job is never run again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from baton.service.db.engine import transaction
from baton.service.db.tables import Job

log = logging.getLogger(__name__)

# A worker renews its lease on every progress report; one that stops reporting for this
# long is presumed dead and its job may be taken over.
LEASE = timedelta(minutes=15)
# A job that has been interrupted this many times is failing the process: stop retrying.
MAX_ATTEMPTS = 3

QUEUED, PROCESSING, READY, FAILED = "queued", "processing", "ready", "failed"


def now() -> datetime:
    return datetime.now(UTC)


class JobGone(RuntimeError):
    """The job's recording was deleted while the job ran."""


def claim(sessions: sessionmaker[Session], job_id: str) -> Job | None:
    """Take the job if it is queued or its previous worker's lease ran out; else ``None``."""
    moment = now()
    with transaction(sessions) as session:
        result = session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                or_(
                    Job.status == QUEUED,
                    (Job.status == PROCESSING) & (Job.lease_expires_at < moment),
                ),
            )
            .values(
                status=PROCESSING,
                attempts=Job.attempts + 1,
                lease_expires_at=moment + LEASE,
                started_at=moment,
                error=None,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def report(
    sessions: sessionmaker[Session],
    job_id: str,
    *,
    stage: str,
    progress: float,
    completed_stages: int | None = None,
    stage_seconds: dict[str, float] | None = None,
) -> None:
    """Store the job's stage and progress and renew its lease; raise ``JobGone`` if deleted."""
    values: dict[str, object] = {
        "stage": stage,
        "progress": round(min(max(progress, 0.0), 1.0), 4),
        "lease_expires_at": now() + LEASE,
    }
    if completed_stages is not None:
        values["completed_stages"] = completed_stages
    if stage_seconds is not None:
        values["stage_seconds"] = stage_seconds
    with transaction(sessions) as session:
        result = session.execute(
            update(Job).where(Job.id == job_id, Job.status == PROCESSING).values(**values)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise JobGone(job_id)


def finish(
    sessions: sessionmaker[Session], job_id: str, *, status: str, error: str | None = None
) -> None:
    """Mark the job ready, failed, or back in the queue (an orderly shutdown)."""
    values: dict[str, object] = {"status": status, "error": error, "lease_expires_at": None}
    if status == READY:
        values["progress"] = 1.0
    if status in (READY, FAILED):
        values["finished_at"] = now()
    with transaction(sessions) as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))


def interrupted_jobs(
    sessions: sessionmaker[Session], *, all_processing: bool, include_queued: bool
) -> list[str]:
    """Jobs to run again: processing ones whose worker is gone, and optionally queued ones.

    In the embedded setup only this process runs jobs, so at start-up every job still marked
    processing was interrupted (``all_processing``), and a queued job may have lost its queue
    message in the crash (``include_queued``). With separate workers, only expired leases say a
    worker died. A job interrupted ``MAX_ATTEMPTS`` times is failed instead of retried forever.
    """
    moment = now()
    with transaction(sessions) as session:
        wanted = Job.status == PROCESSING
        if not all_processing:
            wanted = wanted & (Job.lease_expires_at < moment)
        if include_queued:
            wanted = or_(wanted, Job.status == QUEUED)
        jobs = session.scalars(select(Job).where(wanted)).all()
        resume = []
        for job in jobs:
            if job.status == PROCESSING and job.attempts >= MAX_ATTEMPTS:
                job.status, job.finished_at = FAILED, moment
                job.error = (
                    f"Processing was interrupted {job.attempts} times at the "
                    f"{job.stage or 'first'} stage, so Baton stopped retrying. Upload the "
                    "recording again; if it stops again, tell your administrator."
                )
                log.warning("job %s failed after %d interrupted attempts", job.id, job.attempts)
                continue
            if job.status == PROCESSING:
                job.status, job.lease_expires_at = QUEUED, None
            resume.append(job.id)
        return resume


def refining(sessions: sessionmaker[Session], job_ids: list[str]) -> set[str]:
    """Which of these jobs are refining passes (queued behind first passes)."""
    if not job_ids:
        return set()
    with sessions() as session:
        return set(session.scalars(select(Job.id).where(Job.id.in_(job_ids), Job.refine)))
