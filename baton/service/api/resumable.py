"""Resumable uploads with the tus protocol (https://tus.io), served by tuspyserver.

A dropped connection costs at most the piece in flight: the page asks how much arrived (HEAD)
and goes on from there (PATCH). Each account's uploads live in a folder of its own under
``uploads/``, so another account's upload id finds nothing. When the last byte arrives the file
takes the same path into the library as a form upload (``intake.take_in``), and the answer
names the recording in the ``Baton-Recording-Id`` header (``Baton-Duplicate: true`` when the
same file was already in the library).

Metadata the page sends: ``filename`` and ``filetype`` (tus asks for both), optional ``title``
and ``session_id``. Only a session filmed in the page may leave its length open until the end
(see ``finished_uploads``); it must name who agreed to be filmed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from tuspyserver import create_tus_router

from baton.service.api.access import ContributorDep
from baton.service.api.deps import QueueDep, RuntimeDep
from baton.service.api.finished_uploads import consent_names, is_filmed, take_in_upload
from baton.service.settings import Settings
from baton.service.uploads import UploadError, too_large

# tuspyserver's type hints describe its hooks as plain callbacks; what it does with them is
# resolve them as FastAPI dependencies (async, with parameters of their own), as used here.
_create_tus_router: Any = create_tus_router

TUS_VERSION = "1.0.0"
PIECE_TYPE = "application/offset+octet-stream"
RECORDING_HEADER = "Baton-Recording-Id"
DUPLICATE_HEADER = "Baton-Duplicate"
_DAYS_TO_FINISH = 2


def uploads_router(settings: Settings) -> APIRouter:
    base = settings.data_dir / "uploads"
    limit = settings.max_upload_bytes

    async def contributor(caller: ContributorDep) -> None:
        """Only those who may bring recordings in may start or continue an upload."""

    async def own_folder(caller: ContributorDep) -> Callable[[dict[str, str]], dict[str, str]]:
        folder = base / caller.user_id
        folder.mkdir(parents=True, exist_ok=True)
        return lambda _metadata: {"files_dir": str(folder)}

    async def before_create(
        caller: ContributorDep,
    ) -> Callable[[dict[str, str], dict[str, Any]], None]:
        def check(metadata: dict[str, str], upload: dict[str, Any]) -> None:
            if not metadata.get("filename"):
                raise UploadError(422, "Name the file in the upload's metadata (filename).")
            size = upload.get("size")
            if is_filmed(metadata):
                if not consent_names(metadata):
                    raise UploadError(
                        422,
                        "Ask everyone being filmed for their consent first, and name them "
                        "(consent_of).",
                    )
            elif upload.get("defer_length") or size is None:
                raise UploadError(411, "Say the file's size when the upload starts.")
            if size is not None and int(size) > limit:
                raise too_large(limit)

        return check

    async def on_complete(
        caller: ContributorDep, response: Response, runtime: RuntimeDep, queue: QueueDep
    ) -> Callable[[str, dict[str, str]], Awaitable[None]]:
        async def complete(path: str, metadata: dict[str, str]) -> None:
            added = await take_in_upload(runtime, queue, caller, Path(path), metadata)
            response.headers[RECORDING_HEADER] = added.recording.id
            response.headers[DUPLICATE_HEADER] = "true" if added.duplicate else "false"

        return complete

    tus: APIRouter = _create_tus_router(
        prefix="api/v1/uploads",
        files_dir=str(base),
        max_size=limit,
        auth=contributor,
        days_to_keep=_DAYS_TO_FINISH,
        upload_complete_dep=on_complete,
        pre_create_dep=before_create,
        file_dep=own_folder,
        tags=["recordings"],
    )
    # Router dependencies run before the route's own, and so before tuspyserver writes a byte.
    router = APIRouter(dependencies=[Depends(_refuse_before_writing(limit))])
    router.include_router(tus)
    return router


def _refuse_before_writing(limit: int) -> Callable[..., Awaitable[None]]:
    """Refuse, before anything is written, what tuspyserver would only refuse after writing
    the body (a PATCH of the wrong type or protocol version) or not at all (a negative length,
    a body longer than the length it declares, a deferred length past the upload limit)."""

    async def check(request: Request, caller: ContributorDep) -> None:
        """Who may upload is checked first (``caller``): a stranger learns nothing here."""
        headers = request.headers
        if request.method not in ("POST", "PATCH"):
            return
        if headers.get("tus-resumable") != TUS_VERSION:
            raise UploadError(412, f"Send Tus-Resumable: {TUS_VERSION} (the tus protocol).")
        if request.method == "PATCH" and headers.get("content-type") != PIECE_TYPE:
            raise UploadError(415, f"Send each piece of an upload as {PIECE_TYPE}.")
        length = _length(headers.get("upload-length"), limit)
        body = _length(headers.get("content-length"), None) or 0
        offset = _length(headers.get("upload-offset"), None) or 0
        if length is not None and offset + body > length:
            raise UploadError(
                413, f"This piece would end at byte {offset + body}, past the {length} declared."
            )

    return check


def _length(header: str | None, limit: int | None) -> int | None:
    """A byte count from a header: a whole number, not negative, and within ``limit``."""
    if header is None:
        return None
    if not header.isdigit():
        raise UploadError(
            400, f"A length or offset must be a whole number of bytes, not {header!r}."
        )
    value = int(header)
    if limit is not None and value > limit:
        raise too_large(limit)
    return value
