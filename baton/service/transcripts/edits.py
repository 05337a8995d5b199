"""Corrections of a segment's words or speaker: applied, kept with who and when, revertible.

Every change is one ``SegmentEdit`` row holding the value before and after, so the history
reads as a list and a revert is just the before value written back (itself an edit). The
caller re-indexes the passages under the segment afterwards (``reindex.refresh_passages``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service import jobs
from baton.service.db.base import utcnow
from baton.service.db.programme import Person
from baton.service.db.speakers import SegmentEdit
from baton.service.db.tables import Recording
from baton.service.db.tables import Segment as SegmentRow
from baton.service.errors import Conflict, Invalid, NotFound, not_found
from baton.service.speakers.naming import (
    label_for_person,
    participants,
    recording_speakers,
    speaker_value,
)
from baton.service.transcripts.store import words_from_json, words_json
from baton.service.transcripts.versions import SPEAKER, TEXT, current_version
from baton.workers.retime import retime_words

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SegmentChange:
    """What a person changes: new words, and/or the speaker (a label or a person)."""

    text: str | None = None
    speaker: str | None = None
    person_id: str | None = None


def edit_segment(
    session: Session, recording_id: str, segment_id: int, change: SegmentChange, edited_by: str
) -> list[SegmentEdit]:
    """Apply ``change`` to one segment; returns the edits made (none if nothing differed)."""
    row = _segment(session, recording_id, segment_id)
    _refuse_while_processing(session, recording_id)
    version = current_version(session, recording_id)
    made: list[SegmentEdit] = []
    if change.text is not None:
        text = " ".join(change.text.split())
        if text != row.text:
            before = {"text": row.text, "words": row.words}
            words = retime_words(words_from_json(row.words), text, row.start, row.end)
            set_text(row, text, words_json(words))
            made.append(_edit(row, version, TEXT, before, {"text": text, "words": row.words}))
    if change.speaker is not None or change.person_id is not None:
        label = _target_label(session, recording_id, change)
        if label != row.speaker:
            before = speaker_value(session, recording_id, row.speaker)
            row.speaker = label
            made.append(
                _edit(row, version, SPEAKER, before, speaker_value(session, recording_id, label))
            )
    for edit in made:
        edit.edited_by = edited_by
        session.add(edit)
    session.flush()
    if made:
        log.info(
            "recording=%s segment=%d corrected (%s) by %s",
            recording_id,
            segment_id,
            ", ".join(e.field for e in made),
            edited_by,
        )
    return made


def revert_edit(session: Session, recording_id: str, edit_id: int, reverted_by: str) -> SegmentEdit:
    """Write an edit's before value back, as a new edit; the segment must still read its after."""
    edit = session.get(SegmentEdit, edit_id)
    if edit is None or edit.recording_id != recording_id:
        raise NotFound(f"This recording has no edit {edit_id}. List its edits to see theirs.")
    if edit.reverted_at is not None:
        raise Conflict(f"Edit {edit_id} was already reverted by {edit.reverted_by}.")
    _refuse_while_processing(session, recording_id)
    row = session.get(SegmentRow, edit.segment_id) if edit.segment_id is not None else None
    if row is None or edit.version != current_version(session, recording_id):
        raise Conflict(
            f"Edit {edit_id} was made on an earlier transcription (version {edit.version}). "
            "Correct the segment of the current transcript instead."
        )
    now_reads = row.text if edit.field == TEXT else row.speaker
    expected = edit.after["text"] if edit.field == TEXT else edit.after["label"]
    if now_reads != expected:
        raise Conflict(
            f"The segment changed after edit {edit_id}. Revert the later edits first, "
            "newest first, or correct the segment again."
        )
    if edit.field == TEXT:
        set_text(row, edit.before["text"], edit.before["words"])
    else:
        row.speaker = edit.before["label"]
    undo = _edit(row, edit.version, edit.field, edit.after, edit.before)
    undo.edited_by = reverted_by
    undo.reverts_id = edit.id
    edit.reverted_at, edit.reverted_by = utcnow(), reverted_by
    session.add(undo)
    session.flush()
    log.info("recording=%s edit=%d reverted by %s", recording_id, edit_id, reverted_by)
    return undo


def list_edits(session: Session, recording_id: str) -> list[SegmentEdit]:
    """Every edit of the recording, newest first."""
    if session.get(Recording, recording_id) is None:
        raise not_found("recording", recording_id)
    return list(
        session.scalars(
            select(SegmentEdit)
            .where(SegmentEdit.recording_id == recording_id)
            .order_by(SegmentEdit.id.desc())
        )
    )


def set_text(row: SegmentRow, text: str, words: list[dict[str, Any]]) -> None:
    row.text, row.words = text, words


def _target_label(session: Session, recording_id: str, change: SegmentChange) -> str:
    if change.person_id is not None:
        recording = session.get(Recording, recording_id)
        allowed = participants(session, recording) if recording else set()
        if allowed and change.person_id not in allowed:
            raise Invalid(
                "That person did not take part in this recording's session. Pick one of the "
                "session's participants, or add them to the session first."
            )
        if session.get(Person, change.person_id) is None:
            raise not_found("person", change.person_id)
        return label_for_person(session, recording_id, change.person_id)
    labels = {s.label for s in recording_speakers(session, recording_id)}
    if change.speaker not in labels:
        known = ", ".join(sorted(labels)) or "none yet"
        raise Invalid(
            f"This recording has no speaker {change.speaker!r} (it has: {known}). "
            "Give a speaker label of this recording, or a person_id."
        )
    assert change.speaker is not None
    return change.speaker


def _segment(session: Session, recording_id: str, segment_id: int) -> SegmentRow:
    row = session.get(SegmentRow, segment_id)
    if row is None or row.recording_id != recording_id:
        raise NotFound(
            f"This recording has no segment {segment_id}: the transcript may have been "
            "redone since. Reload the transcript and try again."
        )
    return row


def _refuse_while_processing(session: Session, recording_id: str) -> None:
    recording = session.get(Recording, recording_id)
    job = recording.latest_job if recording else None
    if job is not None and job.status in (jobs.QUEUED, jobs.PROCESSING):
        raise Conflict(
            "This recording is being processed; its transcript will be replaced. "
            "Correct it once it is ready."
        )


def _edit(
    row: SegmentRow, version: int, field: str, before: dict[str, Any], after: dict[str, Any]
) -> SegmentEdit:
    return SegmentEdit(
        recording_id=row.recording_id,
        segment_id=row.id,
        version=version,
        start=row.start,
        end=row.end,
        field=field,
        before=before,
        after=after,
        edited_by="",
    )
