"""One loop runs the ingest stages in order, storing the job's stage and progress after each.

Outcomes: every stage done → ``ready``; a file that cannot be transcribed → ``failed`` with
the reason in words; the server shutting down → back to ``queued``, to resume on restart;
the recording deleted meanwhile → its index points removed and nothing else.
"""

from __future__ import annotations

import glob
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from baton.service import jobs
from baton.service.db.tables import Job, Recording
from baton.service.logs import job_context
from baton.service.refinement import queue_refinement
from baton.service.runtime import Runtime
from baton.service.stages import STAGES, IngestContext, Stage
from baton.workers.media import MediaError
from baton.workers.transcribe import NoSpeechFound

log = logging.getLogger(__name__)

# Progress inside a stage is written at most this often: enough for a live bar, little I/O.
_PROGRESS_INTERVAL_SECONDS = 1.0


class ShutdownRequested(RuntimeError):
    """The process is stopping; the job goes back to the queue and resumes later."""


def media_path(runtime: Runtime, recording_id: str) -> Path:
    """Where a recording's original file lives: named by id, never by the uploaded name."""
    return runtime.settings.media_dir / recording_id


def playable_path(runtime: Runtime, recording_id: str) -> Path:
    """Where the copy browsers can play lives, for a recording that needs one: beside the
    original (see ``baton.workers.playable``)."""
    return runtime.settings.media_dir / f"{recording_id}.playable.mp4"


def remove_media(runtime: Runtime, recording_id: str) -> None:
    """Delete the original, its playable copy and anything half-written for them (every file
    is named ``<id>`` or ``<id>.<something>``)."""
    media_path(runtime, recording_id).unlink(missing_ok=True)
    for leftover in runtime.settings.media_dir.glob(f"{glob.escape(recording_id)}.*"):
        leftover.unlink(missing_ok=True)


def run_ingest(
    runtime: Runtime,
    job_id: str,
    stop: threading.Event | None = None,
    enqueue: Callable[[str], None] | None = None,
) -> str | None:
    """Run (or resume) one ingest job; returns its final status, or None if not ours to run.

    With ``enqueue``, a first pass that succeeds is followed by its refining pass: the job is
    added before this one is marked ready (so nobody sees the recording ready and settled in
    between) and handed to ``enqueue`` after.
    """
    job = jobs.claim(runtime.sessions, job_id)
    if job is None:
        log.info("job=%s skipped: already done or held by another worker", job_id)
        return None
    ctx = IngestContext(
        runtime,
        job.recording_id,
        job.id,
        media_path(runtime, job.recording_id),
        playable_path(runtime, job.recording_id),
        whisper_model=job.whisper_model,
    )
    tag = f"recording={job.recording_id} job={job.id}"
    timings = dict(job.stage_seconds or {})
    first = _resume_point(ctx, job)
    log.info("%s attempt=%d starting at stage=%s", tag, job.attempts, STAGES[first].name)
    try:
        for number, stage in enumerate(STAGES[first:], start=first):
            done_before = sum(s.weight for s in STAGES[:number])
            jobs.report(runtime.sessions, job_id, stage=stage.name, progress=done_before)
            started = time.perf_counter()
            with job_context(f"{tag} stage={stage.name}"):
                stage.run(ctx, _progress_reporter(runtime, job_id, stage, done_before, stop))
            timings[stage.name] = round(time.perf_counter() - started, 3)
            jobs.report(
                runtime.sessions,
                job_id,
                stage=stage.name,
                progress=done_before + stage.weight,
                completed_stages=number + 1,
                stage_seconds=timings,
            )
            log.info("%s stage=%s done in %.2fs", tag, stage.name, timings[stage.name])
            _stop_if_asked(stop)
        _forget_if_deleted(runtime, job.recording_id)
        refine_job = queue_refinement(runtime, job_id) if enqueue is not None else None
        jobs.finish(runtime.sessions, job_id, status=jobs.READY)
        log.info("%s ready", tag)
        if enqueue is not None and refine_job is not None:
            enqueue(refine_job)
        return jobs.READY
    except (MediaError, NoSpeechFound) as refused:
        reason = refused.reason if isinstance(refused, MediaError) else str(refused)
        log.info("%s failed: %s", tag, reason)
        jobs.finish(runtime.sessions, job_id, status=jobs.FAILED, error=reason)
        return jobs.FAILED
    except ShutdownRequested:
        log.info("%s paused for shutdown; it resumes on the next start", tag)
        jobs.finish(runtime.sessions, job_id, status=jobs.QUEUED)
        return jobs.QUEUED
    except jobs.JobGone:
        log.info("%s recording deleted while processing; dropping its index points", tag)
        runtime.index.delete_by({"recording_id": job.recording_id})
        if not _exists(runtime, job.recording_id):  # a playable copy made after the delete
            remove_media(runtime, job.recording_id)
        return None
    except Exception:
        log.exception("%s failed unexpectedly", tag)
        jobs.finish(
            runtime.sessions,
            job_id,
            status=jobs.FAILED,
            error=(
                "Processing stopped because of an internal error. Try uploading the recording "
                f"again; if it fails again, tell your administrator (job {job_id})."
            ),
        )
        return jobs.FAILED
    finally:
        ctx.release()


def _resume_point(ctx: IngestContext, job: Job) -> int:
    """After an interruption, restart just after the latest stage whose output is stored."""
    for number in range(min(job.completed_stages, len(STAGES)) - 1, -1, -1):
        if STAGES[number].restore(ctx):
            return number + 1
    return 0


def _progress_reporter(
    runtime: Runtime,
    job_id: str,
    stage: Stage,
    done_before: float,
    stop: threading.Event | None,
) -> Callable[[float], None]:
    last = 0.0

    def on_progress(fraction: float) -> None:
        nonlocal last
        _stop_if_asked(stop)
        moment = time.monotonic()
        if moment - last >= _PROGRESS_INTERVAL_SECONDS:
            last = moment
            progress = done_before + fraction * stage.weight
            jobs.report(runtime.sessions, job_id, stage=stage.name, progress=progress)

    return on_progress


def _stop_if_asked(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise ShutdownRequested()


def _forget_if_deleted(runtime: Runtime, recording_id: str) -> None:
    """A delete that raced the index stage may have left points behind: remove them."""
    if not _exists(runtime, recording_id):
        raise jobs.JobGone(recording_id)


def _exists(runtime: Runtime, recording_id: str) -> bool:
    with runtime.sessions() as session:
        return session.get(Recording, recording_id) is not None
