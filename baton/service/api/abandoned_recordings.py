"""Sessions filmed in the page whose tab never said "stop": keep what arrived.

The page sends a filmed session in pieces of a few seconds while it is being recorded. If the
tab is closed, the laptop sleeps or the network is gone for good, the upload stays open with its
length unknown. Once nothing has arrived for ``browser_recording_idle_seconds``, the server
closes it at what it holds and takes it into the library like any finished upload (WebM and MP4
fragments cut short still decode up to the last whole piece). Nothing is taken in twice: the
upload's own lock is held while it is closed, and a later piece finds it gone (404).
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from sqlalchemy.orm import Session
from tuspyserver.storage.local import LocalFileStorage

from baton.service.accounts.users import get_user
from baton.service.api.access import CONTRIBUTOR_ROLES
from baton.service.api.callers import Caller
from baton.service.api.deps import in_transaction
from baton.service.api.finished_uploads import is_filmed, take_in_upload
from baton.service.errors import NotFound
from baton.service.queue import JobQueue
from baton.service.runtime import Runtime

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 15.0


def _uploader(session: Session, user_id: str) -> Caller | None:
    """The account an upload folder belongs to, if it may still bring recordings in."""
    try:
        user = get_user(session, user_id)
    except NotFound:
        return None
    if user.disabled or not set(CONTRIBUTOR_ROLES) & set(user.roles):
        return None
    return Caller.of(user, "session")


async def finish_abandoned_recordings(runtime: Runtime, queue: JobQueue) -> list[str]:
    """Take in every filmed upload left idle too long; returns the new recordings' ids."""
    idle = runtime.settings.browser_recording_idle_seconds
    base = runtime.settings.data_dir / "uploads"
    finished: list[str] = []
    for info in sorted(base.glob("*/*.info")):
        folder, upload_id = info.parent, info.name.removesuffix(".info")
        storage = LocalFileStorage(str(folder))
        async with storage.lock(upload_id):
            params = await storage.read_info(upload_id)
            data = folder / upload_id
            if not params or not params.get("defer_length") or not data.exists():
                continue
            metadata = {str(k): str(v) for k, v in (params.get("metadata") or {}).items()}
            if not is_filmed(metadata):
                continue
            if time.time() - max(info.stat().st_mtime, data.stat().st_mtime) < idle:
                continue
            added_id = await _close(runtime, queue, folder.name, data, metadata)
            if added_id:
                finished.append(added_id)
    return finished


async def _close(
    runtime: Runtime, queue: JobQueue, user_id: str, data: Path, metadata: dict[str, str]
) -> str | None:
    caller = await in_transaction(runtime, lambda s: _uploader(s, user_id))
    size = data.stat().st_size
    if caller is None or size == 0:
        log.info("filmed upload %s dropped: nothing arrived, or its account may not add", data)
        data.unlink(missing_ok=True)
        data.with_name(f"{data.name}.info").unlink(missing_ok=True)
        return None
    try:
        added = await take_in_upload(runtime, queue, caller, data, metadata)
    except Exception as error:
        log.warning("filmed upload %s could not be taken in: %s", data, error)
        return None
    log.info(
        "filmed upload closed after the page went quiet: recording=%s bytes=%d",
        added.recording.id,
        size,
    )
    return added.recording.id


async def keep_finishing_abandoned_recordings(runtime: Runtime, queue: JobQueue) -> None:
    """Look for abandoned filmed uploads every few seconds until cancelled (server shutdown)."""
    idle = runtime.settings.browser_recording_idle_seconds
    while True:
        await asyncio.sleep(min(CHECK_EVERY_SECONDS, idle / 2))
        try:
            await finish_abandoned_recordings(runtime, queue)
        except Exception:
            log.exception("looking for abandoned filmed uploads failed")
