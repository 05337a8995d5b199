"""Routes for recordings: upload, list, status, media, reprocess, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable

from baton.service import library
from baton.service.accounts.audiences import may_see, member_pairs
from baton.service.accounts.audit import audit
from baton.service.api.access import (
    SEES_RECORDING,
    SIGNED_IN,
    WORKS_ON_RECORDING,
    ContributorDep,
    works_on,
)
from baton.service.api.callers import CallerDep
from baton.service.api.deps import QueueDep, RuntimeDep, in_transaction
from baton.service.api.intake import take_in
from baton.service.api.paths import RecordingId
from baton.service.api.schemas import (
    Problem,
    RecordingAccepted,
    RecordingList,
    RecordingPublic,
    ReprocessRequest,
)
from baton.service.db.tables import Recording
from baton.service.pipeline import media_path, playable_path
from baton.service.runtime import Runtime
from baton.service.uploads import UploadError, receive_form, too_large
from baton.workers.media import media_type as probed_media_type

router = APIRouter(prefix="/api/v1/recordings", tags=["recordings"], dependencies=SIGNED_IN)

_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}}
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string", "maxLength": 300},
                        "session_id": {
                            "type": "string",
                            "description": "The mentoring session it was recorded in.",
                        },
                    },
                }
            }
        },
    }
}
# Multipart framing and the title add a little to the file's own size.
_FORM_OVERHEAD_BYTES = 64 * 1024


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RecordingAccepted,
    openapi_extra=_UPLOAD_BODY,
    responses={
        200: {
            "model": RecordingAccepted,
            "description": "The same file is already in the library.",
        },
        400: {"model": Problem},
        413: {"model": Problem},
        415: {"model": Problem},
        409: {"model": Problem},
        422: {"model": Problem},
    },
    summary="Upload a recording (multipart: file, optional title); it is transcribed and indexed.",
)
async def upload_recording(
    request: Request, caller: ContributorDep, runtime: RuntimeDep, queue: QueueDep
) -> Response:
    limit = runtime.settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + _FORM_OVERHEAD_BYTES:
        raise too_large(limit)
    form = await receive_form(
        request.stream(),
        request.headers.get("content-type"),
        runtime.settings.media_dir / ".incoming",
        limit,
    )
    if form.file is None:
        raise UploadError(422, "Attach the recording in a form field named 'file'.")
    session_id = (form.fields.get("session_id") or "").strip() or None
    added = await take_in(runtime, queue, caller, form.file, form.fields.get("title"), session_id)
    body = RecordingAccepted(
        **RecordingPublic.of(added.recording).model_dump(), duplicate=added.duplicate
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status.HTTP_200_OK if added.duplicate else status.HTTP_202_ACCEPTED,
    )


@router.get("", response_model=RecordingList, summary="Every recording, newest first.")
async def list_recordings(runtime: RuntimeDep, caller: CallerDep) -> RecordingList:
    def read(session: Session) -> RecordingList:
        recordings = [
            r for r in library.recordings_newest_first(session) if may_see(session, caller, r)
        ]
        pairs = member_pairs(session, caller)
        return RecordingList(
            recordings=[
                RecordingPublic.of(r).model_copy(
                    update={"works_on": works_on(session, caller, r, pairs)}
                )
                for r in recordings
            ]
        )

    return await in_transaction(runtime, read)


@router.get(
    "/{recording_id}",
    response_model=RecordingPublic,
    responses=_ERRORS,
    dependencies=SEES_RECORDING,
)
async def get_recording(
    recording_id: RecordingId, runtime: RuntimeDep, caller: CallerDep
) -> RecordingPublic:
    def read(session: Session) -> RecordingPublic:
        recording = session.get(Recording, recording_id)
        if recording is None:
            raise _not_found()
        public = RecordingPublic.of(recording)
        return public.model_copy(update={"works_on": works_on(session, caller, recording)})

    return await in_transaction(runtime, read)


@router.get(
    "/{recording_id}/media",
    dependencies=SEES_RECORDING,
    response_class=FileResponse,
    responses={**_ERRORS, 206: {"description": "Part of the file, for a Range request."}},
    summary="The recording to play, with HTTP Range support so a player can seek.",
    description=(
        "The original file; or, for a format browsers cannot play (AMR, WMA, AVI, a phone's "
        "HEVC .mov...), the MP4 copy (H.264 and AAC) made of it at ingest. "
        "`original=true` downloads the file as it was uploaded."
    ),
)
async def get_media(
    recording_id: RecordingId,
    request: Request,
    caller: CallerDep,
    runtime: RuntimeDep,
    original: Annotated[
        bool,
        Query(
            description="true: the file as it was uploaded, to download (where a copy "
            "browsers can play was made, that copy is what plays)."
        ),
    ] = False,
) -> FileResponse:
    recording = await _existing(runtime, recording_id)
    copy = playable_path(runtime, recording_id)
    if not original and copy.is_file():
        path, filename = copy, f"{Path(recording.original_filename).stem}.mp4"
        media_type = "video/mp4" if recording.has_video else "audio/mp4"
    else:
        path, filename = media_path(runtime, recording_id), recording.original_filename
        media_type = probed_media_type(recording.container, bool(recording.has_video))
    if not path.is_file():
        raise HTTPException(404, "This recording's media file is missing from the library.")
    _refuse_bad_range(request.headers.get("range"), path.stat().st_size)
    if _starts_playback(request.headers.get("range")):
        action = "recording.downloaded" if original else "recording.played"
        await in_transaction(
            runtime, lambda s: audit(s, action, actor=caller.email, target=recording_id)
        )
    return FileResponse(
        path,
        media_type=media_type,
        content_disposition_type="attachment" if original else "inline",
        filename=filename,
    )


def _refuse_bad_range(header: str | None, size: int) -> None:
    """A Range header the file cannot answer gets the API's JSON error, not Starlette's plain
    text: 416 for bytes past the end, 400 for one that cannot be read (``bytes=5-2``)."""
    if header is None:
        return
    try:
        FileResponse._parse_range_header(header, size)
    except RangeNotSatisfiable:
        raise HTTPException(
            416,
            f"That range lies outside the recording's {size} bytes; ask for bytes 0 to "
            f"{max(size - 1, 0)}.",
            headers={"Content-Range": f"bytes */{size}"},
        ) from None
    except MalformedRangeHeader:
        raise HTTPException(
            400,
            "The Range header could not be read: send it as bytes=START-END, START before END.",
        ) from None


@router.post(
    "/{recording_id}/reprocess",
    dependencies=WORKS_ON_RECORDING,
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RecordingPublic,
    responses={**_ERRORS, 409: {"model": Problem}, 422: {"model": Problem}},
    summary=(
        "Transcribe, index and tag the recording again, optionally with another Whisper model; "
        "the previous transcript is kept as a version, corrections and tag decisions carry over."
    ),
)
async def reprocess_recording(
    recording_id: RecordingId,
    runtime: RuntimeDep,
    queue: QueueDep,
    body: ReprocessRequest | None = None,
) -> RecordingPublic:
    model = body.whisper_model if body else None
    job_id = await run_in_threadpool(library.reprocess_recording, runtime, recording_id, model)
    await run_in_threadpool(queue.enqueue_ingest, job_id)
    return RecordingPublic.of(await _existing(runtime, recording_id))


@router.delete(
    "/{recording_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WORKS_ON_RECORDING,
    responses=_ERRORS,
    summary="Erase the recording: media, transcript and every index point.",
)
async def delete_recording(
    recording_id: RecordingId,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    if not await run_in_threadpool(library.delete_recording, runtime, recording_id, caller.email):
        raise _not_found()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _existing(runtime: Runtime, recording_id: str) -> Recording:
    recording = await run_in_threadpool(library.get_recording, runtime, recording_id)
    if recording is None:
        raise _not_found()
    return recording


def _starts_playback(range_header: str | None) -> bool:
    """A player asks for the whole file, or for it from the first byte, once per opening; the
    seeks after that ask for later bytes and are not views of their own."""
    return range_header is None or range_header.replace(" ", "").startswith("bytes=0-")


def _not_found() -> HTTPException:
    return HTTPException(
        404, "No recording has this id: it may have been deleted. List recordings to find it."
    )
