"""The job queue: Huey on SQLite inside the server (embedded) or on Redis for separate workers.

Qdrant Edge locks its shard to one process, so in the embedded setup the consumer runs as
threads inside ``baton serve``; with Redis and a Qdrant server, ``baton worker`` processes on
any machine consume the same queue.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from huey import PriorityRedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer

from baton.service import jobs
from baton.service.pipeline import run_ingest
from baton.service.runtime import Runtime
from baton.service.tagging import retag_recordings

log = logging.getLogger(__name__)

# Higher runs first: a new upload's first pass goes ahead of refining passes still waiting.
FIRST_PASS_PRIORITY = 10
REFINING_PRIORITY = 0


class _EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A Huey consumer that leaves signal handling to the web server hosting it."""

    def _set_signal_handlers(self) -> None:
        pass


class JobQueue:
    """Enqueue ingest jobs and consume them, in this process or in workers."""

    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.stop = threading.Event()
        self.huey: Huey
        if settings.redis_url:
            self.huey = PriorityRedisHuey("baton", url=settings.redis_url, results=False)
        else:
            self.huey = SqliteHuey("baton", filename=str(settings.queue_path), results=False)
        self._ingest = self.huey.task(name="ingest")(self._run_ingest)
        self._retag = self.huey.task(name="retag")(self._run_retag)
        self.huey.periodic_task(crontab(minute="*"), name="requeue_stale_jobs")(
            self._requeue_stale_jobs
        )
        self._consumer: Consumer | None = None

    def enqueue_ingest(self, job_id: str) -> None:
        self._ingest(job_id, priority=FIRST_PASS_PRIORITY)

    def enqueue_refinement(self, job_id: str) -> None:
        """Queue a refining pass behind every first pass waiting."""
        self._ingest(job_id, priority=REFINING_PRIORITY)

    def enqueue_retag(self, recording_ids: list[str]) -> None:
        """Recompute tags of these recordings after their goals, topics or session changed."""
        if recording_ids:
            self._retag(list(dict.fromkeys(recording_ids)))

    def resume_interrupted(self, *, at_startup: bool) -> int:
        """Re-enqueue jobs that a stop or crash left unfinished; returns how many."""
        job_ids = jobs.interrupted_jobs(
            self.runtime.sessions, all_processing=at_startup, include_queued=at_startup
        )
        refining = jobs.refining(self.runtime.sessions, job_ids)
        for job_id in job_ids:
            if job_id in refining:
                self.enqueue_refinement(job_id)
            else:
                self.enqueue_ingest(job_id)
        if job_ids:
            log.info("re-enqueued %d interrupted job(s): %s", len(job_ids), ", ".join(job_ids))
        return len(job_ids)

    def start_embedded(self, workers: int) -> None:
        """Consume in threads of this process (the embedded ``baton serve``)."""
        self._consumer = _EmbeddedConsumer(self.huey, workers=workers, worker_type="thread")
        self._consumer.start()

    def stop_embedded(self) -> None:
        """Ask running jobs to pause at their next progress report, then stop the threads."""
        if self._consumer is not None:
            self.stop.set()
            self._consumer.stop(graceful=True)
            self._consumer = None

    def run_worker(self, workers: int) -> None:
        """Consume in this process's foreground until interrupted (``baton worker``)."""
        Consumer(self.huey, workers=workers, worker_type="thread").run()

    def _run_ingest(self, job_id: str) -> Any:
        return run_ingest(self.runtime, job_id, self.stop, enqueue=self.enqueue_refinement)

    def _run_retag(self, recording_ids: list[str]) -> None:
        retag_recordings(self.runtime, recording_ids)

    def _requeue_stale_jobs(self) -> None:
        self.resume_interrupted(at_startup=False)
