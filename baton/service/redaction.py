"""Redaction: take a stretch of a recording out for privacy (a customer's name, a private
remark), everywhere at once.

The words spoken in the span leave the segments (a ``[redacted]`` mark stays so readers see
that something was taken out), the passages over it are re-read and re-indexed, corrections
and archived versions lose the words too, and the media files themselves (the original and
its browser-playable copy, if it has one) are rewritten with silence over the span. Only the
span's times and a reason are kept, never its words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import imageio_ffmpeg
from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.db.accounts import Redaction
from baton.service.db.engine import transaction
from baton.service.db.speakers import SegmentEdit, TranscriptVersion
from baton.service.db.tables import Recording
from baton.service.errors import Conflict, Invalid, not_found
from baton.service.pipeline import media_path, playable_path
from baton.service.runtime import Runtime
from baton.service.transcripts.reindex import refresh_passages
from baton.service.transcripts.store import segment_rows
from baton.workers.silence import silence_spans
from baton.workers.transcript import join_words

log = logging.getLogger(__name__)

MARK = "[redacted]"


@dataclass(frozen=True)
class SpanRequest:
    start: float
    end: float
    reason: str


def redact(runtime: Runtime, recording_id: str, span: SpanRequest, actor: str) -> Redaction:
    """Silence the media over the span first (the step that can fail), then scrub the words."""
    with runtime.sessions() as session:
        recording = _recording(session, recording_id)
        duration = recording.duration or 0.0
        job = recording.latest_job
        if job is not None and job.status in ("queued", "processing"):
            raise Conflict("This recording is being processed: redact it once it is ready.")
    if not 0 <= span.start < span.end <= duration + 0.5:
        raise Invalid(
            f"start and end: give a span inside the recording (0 to {duration:.1f} s), "
            "with start before end."
        )
    copy = playable_path(runtime, recording_id)
    files = [media_path(runtime, recording_id), *([copy] if copy.is_file() else [])]
    # Both or neither: a private word must survive in no file anyone can play or download.
    silence_spans(files, [(span.start, span.end)], imageio_ffmpeg.get_ffmpeg_exe())
    with transaction(runtime.sessions) as session:
        removed = _scrub(session, recording_id, span.start, span.end)
        redaction = Redaction(
            recording_id=recording_id,
            start=span.start,
            end=span.end,
            reason=span.reason.strip()[:300],
            created_by=actor,
        )
        session.add(redaction)
        audit(
            session,
            "recording.redacted",
            actor=actor,
            target=recording_id,
            start=span.start,
            end=span.end,
            words_removed=removed,
        )
        session.flush()
        session.expunge(redaction)
    refresh_passages(runtime, recording_id, span.start, span.end)
    log.info(
        "recording=%s redacted %.2f-%.2f s (%d words) by %s",
        recording_id,
        span.start,
        span.end,
        removed,
        actor,
    )
    return redaction


def list_redactions(session: Session, recording_id: str) -> list[Redaction]:
    _recording(session, recording_id)
    return list(
        session.scalars(
            select(Redaction)
            .where(Redaction.recording_id == recording_id)
            .order_by(Redaction.start)
        )
    )


def _recording(session: Session, recording_id: str) -> Recording:
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    return recording


def _inside(word: dict[str, Any], start: float, end: float) -> bool:
    """Any word the span touches goes: better one word too many than half a name left."""
    return float(word["start"]) < end and float(word["end"]) > start


def _scrubbed_words(
    words: list[dict[str, Any]], start: float, end: float
) -> tuple[list[dict[str, Any]], int]:
    kept: list[dict[str, Any]] = []
    removed = 0
    for word in words:
        if _inside(word, start, end):
            removed += 1
            if not kept or kept[-1]["word"] != MARK:
                kept.append({"start": start, "end": end, "word": MARK, "probability": 1.0})
        else:
            kept.append(word)
    return kept, removed


def _scrub(session: Session, recording_id: str, start: float, end: float) -> int:
    removed = 0
    for row in segment_rows(session, recording_id):
        if row.start < end and row.end > start:
            words, count = _scrubbed_words(list(row.words), start, end)
            if not row.words and row.text:
                words, count = [{"start": start, "end": end, "word": MARK, "probability": 1.0}], 1
            row.words, row.text = words, join_words(w["word"] for w in words)
            removed += count
    # Corrections and archived transcripts held the words too.
    for edit in session.scalars(
        select(SegmentEdit).where(
            SegmentEdit.recording_id == recording_id,
            SegmentEdit.start < end,
            SegmentEdit.end > start,
            SegmentEdit.field == "text",
        )
    ):
        edit.before = {"text": MARK, "words": []}
        edit.after = {"text": MARK, "words": []}
    for version in session.scalars(
        select(TranscriptVersion).where(TranscriptVersion.recording_id == recording_id)
    ):
        if version.segments:
            version.segments = [_scrub_snapshot(s, start, end) for s in version.segments]
    return removed


def _scrub_snapshot(segment: dict[str, Any], start: float, end: float) -> dict[str, Any]:
    if not (segment["start"] < end and segment["end"] > start):
        return segment
    words, _ = _scrubbed_words(list(segment.get("words") or []), start, end)
    text = join_words(w["word"] for w in words) if words else MARK
    return {**segment, "words": words, "text": text}
