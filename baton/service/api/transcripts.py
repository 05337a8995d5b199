"""Routes for a recording's transcript: read it, name its speakers, correct it, see versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from baton.service.accounts.audiences import member_pairs
from baton.service.accounts.audit import audit
from baton.service.api.access import (
    SEES_RECORDING,
    WORKS_ON_RECORDING,
    is_staff,
    require_recording_member,
)
from baton.service.api.callers import Caller, CallerDep, Forbidden
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.paths import RecordingId, RowNumber
from baton.service.api.schemas import Problem
from baton.service.api.transcript_schemas import (
    ArchivedSegment,
    EditPublic,
    NameSpeakerRequest,
    PassageTagPublic,
    RecordingSpeakerPublic,
    SegmentEdited,
    SegmentEditRequest,
    SegmentPublic,
    SpeakerPublic,
    TranscriptPublic,
    VersionPublic,
    VersionTranscript,
)
from baton.service.curation import tags as curation_tags
from baton.service.db.programme import Pair
from baton.service.db.tables import Recording
from baton.service.errors import NotFound, not_found
from baton.service.payloads import sync_payloads
from baton.service.speakers import naming
from baton.service.speakers.names import speaker_names, unnamed
from baton.service.transcripts import edits, versions
from baton.service.transcripts.reindex import refresh_passages
from baton.service.transcripts.store import segment_rows
from baton.service.transcripts.versions import snapshot
from baton.service.transcripts.view import transcript_view

router = APIRouter(prefix="/api/v1/recordings", tags=["transcripts"], dependencies=SEES_RECORDING)

_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}}
_CHANGE_ERRORS: dict[int | str, dict[str, object]] = {
    **_ERRORS,
    409: {"model": Problem},
    422: {"model": Problem},
}


def _recording(session: Session, recording_id: str) -> Recording:
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise not_found("recording", recording_id)
    return recording


@router.get(
    "/{recording_id}/transcript",
    response_model=TranscriptPublic,
    responses=_ERRORS,
    summary="The transcript: segments with speakers and word timings (empty until transcribed).",
)
async def get_transcript(
    recording_id: RecordingId,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> TranscriptPublic:
    def read(session: Session) -> TranscriptPublic:
        recording = _recording(session, recording_id)
        audit(session, "transcript.viewed", actor=caller.email, target=recording_id)
        view = transcript_view(session, recording_id)
        return TranscriptPublic(
            recording_id=recording_id,
            language=recording.language,
            version=versions.current_version(session, recording_id),
            speakers=[SpeakerPublic.of(name) for name in view.speakers.values()],
            segments=[SegmentPublic.of(segment) for segment in view.segments],
            tags=passage_tags(session, caller, recording_id),
        )

    return await in_transaction(runtime, read)


def passage_tags(session: Session, caller: Caller, recording_id: str) -> list[PassageTagPublic]:
    """Confirmed tags for everyone who sees the recording; suggestions (machine guesses, not yet
    checked) only for those who work on it and may confirm them."""
    try:
        require_recording_member(session, caller, recording_id)
        shown = {"confirmed", "suggested"}
    except Forbidden:
        shown = {"confirmed"}
    views, _ = curation_tags.list_tags(
        session, curation_tags.TagQuery(recording_id=recording_id, limit=10_000)
    )
    found = [PassageTagPublic.of(view) for view in views if view.tag.status in shown]
    return sorted(found, key=lambda tag: (tag.start, tag.kind, tag.name))


@router.get(
    "/{recording_id}/speakers",
    response_model=list[RecordingSpeakerPublic],
    responses=_ERRORS,
    summary="The voices found in the recording, and whom each is named after.",
)
async def list_speakers(
    recording_id: RecordingId, runtime: RuntimeDep
) -> list[RecordingSpeakerPublic]:
    def read(session: Session) -> list[RecordingSpeakerPublic]:
        _recording(session, recording_id)
        names = speaker_names(session, [recording_id])[recording_id]
        return [
            RecordingSpeakerPublic.of_row(row, names.get(row.label) or unnamed(row.label))
            for row in naming.recording_speakers(session, recording_id)
        ]

    return await in_transaction(runtime, read)


@router.put(
    "/{recording_id}/speakers/{label}",
    dependencies=WORKS_ON_RECORDING,
    response_model=list[RecordingSpeakerPublic],
    responses=_CHANGE_ERRORS,
    summary=(
        "Name a voice after a person of the session. Their voice print learns it, and their "
        "other recordings are named again from the prints."
    ),
)
async def name_speaker(
    recording_id: RecordingId,
    label: Annotated[str, Path(max_length=16)],
    body: NameSpeakerRequest,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> list[RecordingSpeakerPublic]:
    def change(session: Session) -> list[str]:
        known = None if is_staff(caller) else _people_of_pairs(session, caller)
        return naming.name_and_follow(
            session,
            recording_id,
            label,
            body.person_id,
            runtime.settings.speaker_match_similarity,
            known,
        )

    touched = await in_transaction(runtime, change)
    await run_in_threadpool(sync_payloads, runtime, touched)
    return await list_speakers(recording_id, runtime)


@router.patch(
    "/{recording_id}/segments/{segment_id}",
    dependencies=WORKS_ON_RECORDING,
    response_model=SegmentEdited,
    responses=_CHANGE_ERRORS,
    summary=(
        "Correct a segment's words or speaker. Only the passages it touches are re-embedded "
        "and re-indexed; the edit is kept with who and when, and can be reverted."
    ),
)
async def edit_segment(
    recording_id: RecordingId,
    segment_id: RowNumber,
    body: SegmentEditRequest,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> SegmentEdited:
    change = edits.SegmentChange(text=body.text, speaker=body.speaker, person_id=body.person_id)

    def apply(session: Session) -> list[EditPublic]:
        _recording(session, recording_id)
        made = edits.edit_segment(session, recording_id, segment_id, change, caller.email)
        return [EditPublic.of(edit) for edit in made]

    made = await in_transaction(runtime, apply)
    return await _after_change(runtime, recording_id, segment_id, made)


@router.get(
    "/{recording_id}/edits",
    response_model=list[EditPublic],
    responses=_ERRORS,
    summary="Every correction of the transcript, newest first, with who and when.",
)
async def list_edits(recording_id: RecordingId, runtime: RuntimeDep) -> list[EditPublic]:
    return await in_transaction(
        runtime,
        lambda session: [EditPublic.of(e) for e in edits.list_edits(session, recording_id)],
    )


@router.post(
    "/{recording_id}/edits/{edit_id}/revert",
    dependencies=WORKS_ON_RECORDING,
    response_model=SegmentEdited,
    responses=_CHANGE_ERRORS,
    summary="Undo a correction (recorded as an edit of its own).",
)
async def revert_edit(
    recording_id: RecordingId, edit_id: RowNumber, caller: CallerDep, runtime: RuntimeDep
) -> SegmentEdited:
    def apply(session: Session) -> tuple[int, list[EditPublic]]:
        _recording(session, recording_id)
        undo = edits.revert_edit(session, recording_id, edit_id, caller.email)
        assert undo.segment_id is not None
        return undo.segment_id, [EditPublic.of(undo)]

    segment_id, made = await in_transaction(runtime, apply)
    return await _after_change(runtime, recording_id, segment_id, made)


async def _after_change(
    runtime: RuntimeDep, recording_id: str, segment_id: int, made: list[EditPublic]
) -> SegmentEdited:
    reindexed: list[str] = []
    if made:
        start = min(e.start for e in made)
        end = max(e.end for e in made)
        reindexed = await run_in_threadpool(refresh_passages, runtime, recording_id, start, end)

    def read(session: Session) -> SegmentPublic:
        view = transcript_view(session, recording_id)
        for segment in view.segments:
            if segment.id == segment_id:
                return SegmentPublic.of(segment)
        raise NotFound(f"This recording has no segment {segment_id}.")

    segment = await in_transaction(runtime, read)
    return SegmentEdited(segment=segment, edits=made, reindexed_passages=len(reindexed))


@router.get(
    "/{recording_id}/transcript/versions",
    response_model=list[VersionPublic],
    responses=_ERRORS,
    summary="Every transcription of the recording (re-transcribing keeps the previous one).",
)
async def list_versions(recording_id: RecordingId, runtime: RuntimeDep) -> list[VersionPublic]:
    def read(session: Session) -> list[VersionPublic]:
        _recording(session, recording_id)
        return [VersionPublic.of(v) for v in versions.versions(session, recording_id)]

    return await in_transaction(runtime, read)


@router.get(
    "/{recording_id}/transcript/versions/{number}",
    response_model=VersionTranscript,
    responses=_ERRORS,
    summary="A superseded transcription as it read, corrections included.",
)
async def get_version(
    recording_id: RecordingId, number: RowNumber, runtime: RuntimeDep
) -> VersionTranscript:
    def read(session: Session) -> VersionTranscript:
        _recording(session, recording_id)
        for version in versions.versions(session, recording_id):
            if version.number == number:
                rows = version.segments
                if version.superseded_at is None:
                    rows = [snapshot(row) for row in segment_rows(session, recording_id)]
                segments = [
                    ArchivedSegment(
                        start=s["start"], end=s["end"], text=s["text"], speaker=s.get("speaker")
                    )
                    for s in rows or []
                ]
                return VersionTranscript(
                    **VersionPublic.of(version).model_dump(), segments=segments
                )
        raise NotFound(
            f"This recording has no transcript version {number}. List its versions to see them."
        )

    return await in_transaction(runtime, read)


def _people_of_pairs(session: Session, caller: Caller) -> set[str]:
    """Whom a mentor may name in a recording that was never in a session: themselves and the
    members of their own pairs, never a person of another pair."""
    pair_ids = member_pairs(session, caller)
    pairs = session.scalars(select(Pair).where(Pair.id.in_(pair_ids))).all() if pair_ids else []
    people = {member for pair in pairs for member in pair.member_ids}
    return people | ({caller.person_id} if caller.person_id else set())
