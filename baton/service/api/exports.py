"""Export routes: a recording's transcript as SRT, WebVTT, text, Markdown or JSON, and a topic's
knowledge pack as Markdown or HTML, each a download named after what it holds."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.orm import Session

from baton.service.accounts.audiences import may_see
from baton.service.accounts.audit import audit
from baton.service.api.callers import VISIBLE, Caller, optional_caller
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.schemas import Problem
from baton.service.db.tables import Recording
from baton.service.exports.load import recording_document, topic_pack
from baton.service.exports.recording_formats import FORMATS
from baton.service.exports.topic_pack import pack_html, pack_markdown

router = APIRouter(prefix="/api/v1", tags=["exports"])

RecordingFormat = Literal["srt", "vtt", "txt", "md", "json"]
PackFormat = Literal["md", "html"]
_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}, 422: {"model": Problem}}


def _download(body: str, media_type: str, name: str, extension: str) -> Response:
    # The file name is built from the title, never trusted as a path: only safe characters.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:80] or "baton-export"
    return Response(
        content=body.encode("utf-8"),
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}.{extension}"'},
    )


@router.get(
    "/recordings/{recording_id}/export.{fmt}",
    dependencies=VISIBLE,
    response_class=Response,
    responses={**_ERRORS, 200: {"description": "The transcript in the format asked for."}},
    summary="The transcript as SRT, WebVTT (speaker voice tags), plain text, Markdown or JSON.",
)
async def export_recording(
    recording_id: Annotated[str, Path(max_length=36)],
    fmt: RecordingFormat,
    request: Request,
    runtime: RuntimeDep,
    caller: Annotated[Caller | None, Depends(optional_caller)],
) -> Response:
    base_url = str(request.base_url)

    def read(session: Session) -> Response:
        document = recording_document(session, recording_id, base_url)
        audit(session, "recording.exported", actor=_who(caller), target=recording_id, format=fmt)
        render, media_type, extension = FORMATS[fmt]
        return _download(render(document), media_type, document.title, extension)

    return await in_transaction(runtime, read)


def _who(caller: Caller | None) -> str | None:
    return caller.email if caller else None


def _visible(session: Session, caller: Caller, recording_id: str) -> bool:
    recording = session.get(Recording, recording_id)
    return recording is not None and may_see(session, caller.roles, caller.person_id, recording)


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
    caller: Annotated[Caller | None, Depends(optional_caller)],
) -> Response:
    base_url = str(request.base_url)

    def read(session: Session) -> Response:
        pack = topic_pack(session, topic_id, base_url)
        if caller is not None:
            pack = replace(
                pack,
                passages=tuple(
                    p for p in pack.passages if _visible(session, caller, p.recording_id)
                ),
            )
        audit(
            session,
            "topic.pack_exported",
            actor=_who(caller),
            target=topic_id,
            format=fmt,
            passages=len(pack.passages),
        )
        if fmt == "html":
            return _download(pack_html(pack), "text/html", pack.name, "html")
        return _download(pack_markdown(pack), "text/markdown", pack.name, "md")

    return await in_transaction(runtime, read)
