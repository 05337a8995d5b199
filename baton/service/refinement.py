"""The second, more accurate transcription of a recording, queued once its first one is in.

The fast model (``whisper_model``, bundled ``tiny.en``) makes a recording searchable within
minutes of its upload; the refining model (``whisper_refine_model``, bundled ``base``) then
transcribes it again, and passages, search, tags and speakers follow the better transcript.
On the corpus, search over ``base`` transcripts finds the right moment far more often than
over ``tiny.en`` ones (BENCHMARKS.md, "Retrieval"). The recording stays ready meanwhile.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select

from baton.models.bundled import BUNDLED_WHISPER, ModelNotAvailable, check_available
from baton.service.db.engine import transaction
from baton.service.db.tables import Job
from baton.service.jobs import PROCESSING, QUEUED
from baton.service.runtime import Runtime

log = logging.getLogger(__name__)


def queue_refinement(runtime: Runtime, finished_job_id: str) -> str | None:
    """Add the refining job of the recording whose first pass ``finished_job_id`` is.

    Nothing is added after a refining pass, after a re-transcription with a model someone
    named, when no refining model is set or it is the model that just ran, or when its
    weights are missing (logged). Returns the new job's id, or None.
    """
    settings = runtime.settings
    refine_model = settings.whisper_refine_model
    with transaction(runtime.sessions) as session:
        finished = session.get(Job, finished_job_id)
        if (
            not refine_model
            or finished is None
            or finished.refine
            or finished.whisper_model is not None
            or refine_model == settings.whisper_model
        ):
            return None
        already = session.scalar(
            select(Job.id).where(
                Job.recording_id == finished.recording_id,
                Job.refine.is_(True),
                Job.status.in_((QUEUED, PROCESSING)),
            )
        )
        if already is not None:  # a first pass resumed after a crash had queued it already
            return already
        try:
            check_available(refine_model, BUNDLED_WHISPER, "speech")
        except ModelNotAvailable as error:
            log.warning("recording=%s not refined: %s", finished.recording_id, error)
            return None
        job = Job(
            id=str(uuid.uuid4()),
            recording_id=finished.recording_id,
            status=QUEUED,
            whisper_model=refine_model,
            refine=True,
        )
        session.add(job)
    log.info("recording=%s job=%s queued to refine with %s", job.recording_id, job.id, refine_model)
    return job.id
