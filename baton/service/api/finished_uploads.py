"""A resumable upload whose bytes have all arrived becomes a recording: the same path for a file
sent from disk and for a session filmed in the page.

A session filmed in the page is sent while it is being recorded, so its length is only known
at the end (tus ``Upload-Defer-Length``). It carries two more metadata fields: ``source`` set to
:data:`FILMED_IN_BROWSER`, and ``consent_of``, the names of everyone who agreed to be filmed
(one per line), which the audit log keeps beside the recording.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from baton.service.accounts.audit import audit
from baton.service.api.callers import Caller
from baton.service.api.deps import in_transaction
from baton.service.api.intake import take_in
from baton.service.library import Added
from baton.service.queue import JobQueue
from baton.service.runtime import Runtime
from baton.service.uploads import ReceivedFile

FILMED_IN_BROWSER = "browser-recording"


def is_filmed(metadata: dict[str, str]) -> bool:
    return metadata.get("source") == FILMED_IN_BROWSER


def consent_names(metadata: dict[str, str]) -> list[str]:
    """Everyone the page says agreed to be filmed, in the order given."""
    names = (name.strip() for name in (metadata.get("consent_of") or "").splitlines())
    return [name for name in names if name]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


async def take_in_upload(
    runtime: Runtime, queue: JobQueue, caller: Caller, path: Path, metadata: dict[str, str]
) -> Added:
    """Add the finished upload at ``path`` to the library; the file and its tus sidecar are
    gone afterwards, whatever happened."""
    try:
        received = ReceivedFile(
            path,
            metadata.get("filename") or "recording",
            path.stat().st_size,
            await run_in_threadpool(sha256_of, path),
        )
        session_id = (metadata.get("session_id") or "").strip() or None
        added = await take_in(runtime, queue, caller, received, metadata.get("title"), session_id)
    finally:
        path.unlink(missing_ok=True)
        path.with_name(f"{path.name}.info").unlink(missing_ok=True)
    if is_filmed(metadata) and not added.duplicate:
        recording_id = added.recording.id
        await in_transaction(
            runtime,
            lambda s: audit(
                s,
                "recording.filmed",
                actor=caller.email,
                target=recording_id,
                consent_of=consent_names(metadata),
            ),
        )
    return added
