"""Export routes: a recording's transcript as SRT, WebVTT, text, Markdown or JSON, and a topic's
knowledge pack as Markdown or HTML, each a download named after what it holds."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.orm import Session

from baton.service.accounts.audiences import visible_recording_ids
from baton.service.accounts.audit import audit
from baton.service.api.access import SEES_RECORDING, SIGNED_IN
from baton.service.api.callers import CallerDep
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.paths import RecordingId
from baton.service.api.schemas import Problem
from baton.service.exports.load import recording_document, topic_pack
from baton.service.exports.recording_formats import FORMATS
from baton.service.exports.topic_pack import (
    PACK_CONTENT_SECURITY_POLICY,
    pack_html,
    pack_markdown,
)

router = APIRouter(prefix="/api/v1", tags=["exports"], dependencies=SIGNED_IN)

RecordingFormat = Literal["srt", "vtt", "txt", "md", "json"]
PackFormat = Literal["md", "html"]
_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}, 422: {"model": Problem}}


def _download(
    body: str, media_type: str, name: str, extension: str, policy: str | None = None
) -> Response:
    # The file name is built from the title, never trusted as a path: only safe characters.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:80] or "baton-export"
    headers = {"Content-Disposition": f'attachment; filename="{safe}.{extension}"'}
    if policy is not None:
        headers["Content-Security-Policy"] = policy
    return Response(
        content=body.encode("utf-8"), media_type=f"{media_type}; charset=utf-8", headers=headers
    )


@router.get(
    "/recordings/{recording_id}/export.{fmt}",
    dependencies=SEES_RECORDING,
    response_class=Response,
    responses={**_ERRORS, 200: {"description": "The transcript in the format asked for."}},
    summary="The transcript as SRT, WebVTT (speaker voice tags), plain text, Markdown or JSON.",
)
async def export_recording(
    recording_id: RecordingId,
    fmt: RecordingFormat,
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    base_url = str(request.base_url)

    def read(session: Session) -> Response:
        document = recording_document(session, recording_id, base_url)
        audit(session, "recording.exported", actor=caller.email, target=recording_id, format=fmt)
        render, media_type, extension = FORMATS[fmt]
        return _download(render(document), media_type, document.title, extension)

    return await in_transaction(runtime, read)


@router.get(
    "/topics/{topic_id}/pack.{fmt}",
    response_class=Response,
    responses={**_ERRORS, 200: {"description": "The knowledge pack."}},
    summary="A topic's knowledge pack: every approved passage with who said it, when, and a link.",
)
async def export_topic_pack(
    topic_id: Annotated[str, Path(max_length=36)],
    fmt: PackFormat,
    request: Request,
    runtime: RuntimeDep,
    caller: CallerDep,
) -> Response:
    base_url = str(request.base_url)

    def read(session: Session) -> Response:
        pack = topic_pack(session, topic_id, base_url, visible_recording_ids(session, caller))
        audit(
            session,
            "topic.pack_exported",
            actor=caller.email,
            target=topic_id,
            format=fmt,
            passages=len(pack.passages),
        )
        if fmt == "html":
            return _download(
                pack_html(pack), "text/html", pack.name, "html", PACK_CONTENT_SECURITY_POLICY
            )
        return _download(pack_markdown(pack), "text/markdown", pack.name, "md")

    return await in_transaction(runtime, read)
