"""Typed dependencies: routes ask for what they need by annotation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from baton.service.queue import JobQueue
from baton.service.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_queue(request: Request) -> JobQueue:
    queue: JobQueue = request.app.state.queue
    return queue


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]
