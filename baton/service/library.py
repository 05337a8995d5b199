"""The library of recordings: add an uploaded file, look recordings up, delete them."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baton.models.bundled import BUNDLED_WHISPER, ModelNotAvailable, check_available
from baton.service.accounts.audit import audit
from baton.service.db.engine import transaction
from baton.service.db.tables import Job, Recording, Segment
from baton.service.errors import Conflict, Invalid, not_found
from baton.service.pipeline import media_path, remove_media
from baton.service.publishing import remember_people_heard
from baton.service.runtime import Runtime
from baton.service.speakers.naming import recording_speakers, refresh_voice_print
from baton.service.uploads import ReceivedFile
from baton.workers.media import probe

log = logging.getLogger(__name__)

_MAX_TITLE = 300


@dataclass(frozen=True)
class Added:
    """The outcome of adding a file: its recording, the job to run (if new), and whether the
    same bytes were already in the library."""

    recording: Recording
    job_id: str | None
    duplicate: bool


Recognises = Callable[[Session, Recording], bool]


def add_recording(
    runtime: Runtime,
    received: ReceivedFile,
    title: str | None,
    session_id: str | None = None,
    uploaded_by: str | None = None,
    recognises: Recognises = lambda _session, _recording: True,
) -> Added:
    """Put a received file into the library and create its ingest job.

    The same bytes (by SHA-256) are recognised and never transcribed twice, but only as a
    recording the uploader may see (``recognises``): someone who may not see it gets a
    recording of their own, as for any new file, so that an upload never tells what others
    recorded. The file is probed first, so a file that is not a recording is refused at once
    with a reason (``MediaError``) and never enters the library.
    """
    try:
        with runtime.sessions() as session:
            existing, key = _same_file(session, received.sha256, uploaded_by, recognises)
        if existing is not None:
            log.info("upload %s is already recording=%s", received.filename, existing.id)
            return Added(existing, None, duplicate=True)
        info = probe(received.path, max_duration=runtime.settings.max_duration_seconds)
        recording = Recording(
            id=str(uuid.uuid4()),
            title=(title or "").strip()[:_MAX_TITLE] or Path(received.filename).stem[:_MAX_TITLE],
            original_filename=received.filename[:_MAX_TITLE],
            size_bytes=received.size,
            sha256=key,
            container=info.container,
            has_video=info.has_video,
            duration=info.duration,
            session_id=session_id,
            uploaded_by=uploaded_by,
        )
        job = Job(id=str(uuid.uuid4()), recording_id=recording.id, status="queued")
        recording.jobs = [job]
        destination = media_path(runtime, recording.id)
        try:
            with transaction(runtime.sessions) as session:
                session.add(recording)
                session.flush()
                remember_people_heard(session, recording)
                received.path.replace(destination)
        except IntegrityError:
            # The same file arrived twice at once; the other upload won.
            destination.unlink(missing_ok=True)
            with runtime.sessions() as session:
                winner = session.scalar(select(Recording).where(Recording.sha256 == key))
            assert winner is not None
            return Added(winner, None, duplicate=True)
        log.info("recording=%s job=%s added from %s", recording.id, job.id, received.filename)
        return Added(recording, job.id, duplicate=False)
    finally:
        received.path.unlink(missing_ok=True)


def reprocess_recording(
    runtime: Runtime, recording_id: str, whisper_model: str | None = None
) -> str:
    """Queue a fresh ingest job (transcribe, speakers, passages, embed, index, tag).

    ``whisper_model`` re-transcribes with another model (a bundled name or a folder); the
    transcript so far is kept as a version and its corrections are carried over. Decided tags
    stay decided: the tag stage keeps confirmations and never re-applies a rejection.
    Returns the new job's id.
    """
    if whisper_model is not None:
        try:
            check_available(whisper_model, BUNDLED_WHISPER, "speech")
        except ModelNotAvailable as error:
            raise Invalid(str(error)) from error
    with transaction(runtime.sessions) as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            raise not_found("recording", recording_id)
        job = recording.latest_job
        if job is not None and job.status in ("queued", "processing"):
            raise Conflict("This recording is being processed already: wait until it is ready.")
        new_job = Job(
            id=str(uuid.uuid4()),
            recording_id=recording_id,
            status="queued",
            whisper_model=whisper_model,
        )
        session.add(new_job)
    log.info("recording=%s job=%s queued for re-processing", recording_id, new_job.id)
    return new_job.id


def _same_file(
    session: Session, sha256: str, uploaded_by: str | None, recognises: Recognises
) -> tuple[Recording | None, str]:
    """The recording the uploader would recognise as this file (or None), and the key a new
    one is stored under: the file's SHA-256, or for a copy of a file already in the library
    that the uploader may not see, a key of their own (so that it is recognised for them)."""
    first = session.scalar(select(Recording).where(Recording.sha256 == sha256))
    if first is None:
        return None, sha256
    if recognises(session, first):
        return first, sha256
    own_key = hashlib.sha256(f"{sha256}:{uploaded_by}".encode()).hexdigest()
    return session.scalar(select(Recording).where(Recording.sha256 == own_key)), own_key


def recordings_newest_first(session: Session) -> list[Recording]:
    return list(session.scalars(select(Recording).order_by(Recording.created_at.desc())))


def get_recording(runtime: Runtime, recording_id: str) -> Recording | None:
    with runtime.sessions() as session:
        return session.get(Recording, recording_id)


def get_segments(runtime: Runtime, recording_id: str) -> list[Segment]:
    with runtime.sessions() as session:
        return list(
            session.scalars(
                select(Segment)
                .where(Segment.recording_id == recording_id)
                .order_by(Segment.position)
            )
        )


def delete_recording(runtime: Runtime, recording_id: str, actor: str | None = None) -> bool:
    """Erase a recording: its rows (jobs, segments, passages, speakers, edits, versions), its
    voices from people's voice prints, its index points, its media.

    The rows go first, so the recording vanishes from every listing at once and a job still
    running on it stops at its next progress report.
    """
    with transaction(runtime.sessions) as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            return False
        named = {s.person_id for s in recording_speakers(session, recording_id) if s.person_id}
        audit(
            session,
            "recording.deleted",
            actor=actor,
            target=recording_id,
            title=recording.title,
            sha256=recording.sha256,
        )
        session.delete(recording)
        session.flush()
        # The recording's voices leave the prints they were part of.
        for person_id in named:
            refresh_voice_print(session, person_id)
    runtime.index.delete_by({"recording_id": recording_id})
    remove_media(runtime, recording_id)
    log.info("recording=%s deleted with its media, transcript and index points", recording_id)
    return True
