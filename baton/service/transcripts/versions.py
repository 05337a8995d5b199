"""Transcript versions: every transcription of a recording is kept, and corrections move on.

Re-transcribing (another model, or a re-run) archives the current segments, as they read with
their corrections, in the superseded version. Once the new transcript has its speakers, the
live corrections of the version before are carried over by time span: a corrected stretch
gets the corrected words, a re-assigned stretch the person it was given to. What cannot be
carried (a speaker change to an unnamed voice) is said in the version's note, never dropped
in silence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baton.service.db.base import utcnow
from baton.service.db.speakers import SegmentEdit, TranscriptVersion
from baton.service.db.tables import Segment as SegmentRow
from baton.service.speakers.naming import label_for_person, speaker_value
from baton.service.transcripts.store import segment_rows
from baton.workers.transcript import join_words

TEXT, SPEAKER = "text", "speaker"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CarryOutcome:
    carried: int
    skipped: list[str]


def current_version(session: Session, recording_id: str) -> int:
    number = session.scalar(
        select(func.max(TranscriptVersion.number)).where(
            TranscriptVersion.recording_id == recording_id
        )
    )
    return int(number or 1)


def versions(session: Session, recording_id: str) -> list[TranscriptVersion]:
    return list(
        session.scalars(
            select(TranscriptVersion)
            .where(TranscriptVersion.recording_id == recording_id)
            .order_by(TranscriptVersion.number)
        )
    )


def begin_version(session: Session, recording_id: str, model: str, job_id: str) -> int:
    """Archive the current segments (if any) and open the next version; returns its number.

    A job resumed after a crash keeps the version it opened.
    """
    latest = session.scalar(
        select(TranscriptVersion)
        .where(TranscriptVersion.recording_id == recording_id)
        .order_by(TranscriptVersion.number.desc())
        .limit(1)
    )
    if latest is not None and latest.job_id == job_id:
        return latest.number
    rows = segment_rows(session, recording_id)
    if rows and latest is None:
        # Transcribed before versions were kept: that transcript becomes version 1.
        latest = TranscriptVersion(recording_id=recording_id, number=1, model="(earlier)")
        session.add(latest)
    if latest is not None and latest.superseded_at is None:
        latest.segments = [snapshot(row) for row in rows]
        latest.superseded_at = utcnow()
    number = (latest.number + 1) if latest else 1
    session.add(
        TranscriptVersion(recording_id=recording_id, number=number, model=model, job_id=job_id)
    )
    session.flush()
    return number


def carry_edits(session: Session, recording_id: str, number: int) -> CarryOutcome:
    """Re-apply the previous version's live corrections to the new segments."""
    live = session.scalars(
        select(SegmentEdit)
        .where(
            SegmentEdit.recording_id == recording_id,
            SegmentEdit.version == number - 1,
            SegmentEdit.reverted_at.is_(None),
            SegmentEdit.reverts_id.is_(None),
        )
        .order_by(SegmentEdit.id)
    ).all()
    already = set(
        session.scalars(
            select(SegmentEdit.carried_from_id).where(
                SegmentEdit.recording_id == recording_id, SegmentEdit.version == number
            )
        )
    )
    # The last edit of each stretch and field is the one that stands.
    final: dict[tuple[float, float, str], SegmentEdit] = {}
    for edit in live:
        final[(edit.start, edit.end, edit.field)] = edit
    final = {key: edit for key, edit in final.items() if edit.id not in already}
    rows = segment_rows(session, recording_id)
    skipped: list[str] = []
    carried = 0
    for edit in final.values():
        touched = [r for r in rows if r.start < edit.end and r.end > edit.start]
        if not touched:
            skipped.append(f"edit {edit.id}: no speech at {edit.start:.1f}s any more")
            continue
        if edit.field == TEXT:
            before = {"text": touched[0].text, "words": touched[0].words}
            _carry_text(touched, edit)
            after = {"text": touched[0].text, "words": touched[0].words}
        elif edit.field == SPEAKER:
            person = edit.after.get("person_id")
            if not person:
                skipped.append(
                    f"edit {edit.id}: the speaker it chose ({edit.after.get('label')}) was not "
                    "named after a person, so it cannot be found again"
                )
                continue
            label = label_for_person(session, recording_id, person)
            before = speaker_value(session, recording_id, touched[0].speaker)
            for row in touched:
                if edit.start <= (row.start + row.end) / 2 <= edit.end:
                    row.speaker = label
            after = speaker_value(session, recording_id, label)
        session.add(
            SegmentEdit(
                recording_id=recording_id,
                segment_id=touched[0].id,
                version=number,
                start=edit.start,
                end=edit.end,
                field=edit.field,
                before=before,
                # As the new segment reads now, so that the carried edit can be reverted.
                after=after,
                edited_by=edit.edited_by,
                carried_from_id=edit.id,
            )
        )
        carried += 1
    session.flush()
    outcome = CarryOutcome(carried, skipped)
    _note(session, recording_id, number, outcome)
    return outcome


def _carry_text(touched: list[SegmentRow], edit: SegmentEdit) -> None:
    """Words of the stretch give way to the corrected words, in the first segment touched."""
    corrected = list(edit.after["words"])
    for i, row in enumerate(touched):
        kept = [w for w in row.words if not edit.start <= (w["start"] + w["end"]) / 2 <= edit.end]
        if i == 0:
            kept = sorted(kept + corrected, key=lambda w: w["start"])
        row.text, row.words = join_words(w["word"] for w in kept), kept


def _note(session: Session, recording_id: str, number: int, outcome: CarryOutcome) -> None:
    if not outcome.carried and not outcome.skipped:
        return
    version = session.scalar(
        select(TranscriptVersion).where(
            TranscriptVersion.recording_id == recording_id, TranscriptVersion.number == number
        )
    )
    if version is None:
        return
    parts = [f"{outcome.carried} correction(s) carried over from version {number - 1}."]
    if outcome.skipped:
        parts.append("Not carried: " + "; ".join(outcome.skipped) + ".")
    version.note = " ".join(parts)
    log.info("recording=%s version=%d %s", recording_id, number, version.note)


def snapshot(row: SegmentRow) -> dict[str, Any]:
    return {
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "speaker": row.speaker,
        "words": row.words,
    }
