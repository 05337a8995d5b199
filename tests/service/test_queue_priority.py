"""A new upload's first pass runs before refining passes that are still waiting."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from baton.service.queue import JobQueue
from baton.service.settings import Settings


def test_a_first_pass_goes_ahead_of_waiting_refining_passes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    runtime: Any = SimpleNamespace(settings=settings)
    queue = JobQueue(runtime)

    queue.enqueue_refinement("refine-a")
    queue.enqueue_refinement("refine-b")
    queue.enqueue_ingest("upload-c")

    assert [task.args[0] for task in queue.huey.pending()] == ["upload-c", "refine-a", "refine-b"]
