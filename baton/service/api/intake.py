"""Bringing a received file into the library for a caller: the one path both kinds of upload
take (a multipart POST, and a resumable tus upload once its last byte has arrived)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from baton.service import library
from baton.service.accounts.audiences import may_see
from baton.service.api.access import may_file_into
from baton.service.api.callers import Caller
from baton.service.api.deps import in_transaction
from baton.service.library import Added
from baton.service.queue import JobQueue
from baton.service.runtime import Runtime
from baton.service.uploads import ReceivedFile, UploadError


async def take_in(
    runtime: Runtime,
    queue: JobQueue,
    caller: Caller,
    received: ReceivedFile,
    title: str | None,
    session_id: str | None,
) -> Added:
    """Check where it is filed, add it (probed; an exact duplicate the caller may see is
    recognised), queue its ingest. The received file is gone afterwards, whatever happened."""
    if session_id is not None and not await in_transaction(
        runtime, lambda s: may_file_into(s, caller, session_id)
    ):
        received.path.unlink(missing_ok=True)
        raise UploadError(
            422,
            f"session_id: no session of your pairs has the id {session_id!r}. "
            "Create the session first, or leave session_id out.",
        )
    added = await run_in_threadpool(
        library.add_recording,
        runtime,
        received,
        title,
        session_id,
        caller.user_id,
        lambda session, recording: may_see(session, caller, recording),
    )
    if added.job_id is not None:
        await run_in_threadpool(queue.enqueue_ingest, added.job_id)
    return added
