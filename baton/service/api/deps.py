"""Typed dependencies: routes ask for what they need by annotation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from baton.service.db.engine import transaction
from baton.service.queue import JobQueue
from baton.service.runtime import Runtime

T = TypeVar("T")


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_queue(request: Request) -> JobQueue:
    queue: JobQueue = request.app.state.queue
    return queue


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]


async def in_transaction(runtime: Runtime, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one database transaction on a worker thread, committing on success.

    Build the response inside ``work``: rows are fully usable only while their session is.
    """

    def run() -> T:
        with transaction(runtime.sessions) as session:
            return work(session)

    return await run_in_threadpool(run)
