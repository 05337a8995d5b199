"""Log set-up: one line per event, naming the recording, job and stage where there is one.

Worker functions (``baton.workers``) do not know which recording they are working on; the
pipeline names the job in a context variable (``job_context``) and every line logged meanwhile,
in that thread or in threads started with a copy of its context, carries the name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_job: ContextVar[str] = ContextVar("baton_job", default="")


@contextmanager
def job_context(name: str) -> Iterator[None]:
    """Name the job (``recording=… job=… stage=…``) on worker log lines written meanwhile."""
    token = _job.set(name)
    try:
        yield
    finally:
        _job.reset(token)


class JobName(logging.Filter):
    """Puts the current job's name, if any, in front of the lines of Baton's workers."""

    def filter(self, record: logging.LogRecord) -> bool:
        name = _job.get()
        record.job = f"{name} " if name and record.name.startswith("baton.workers") else ""
        return True


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(job)s%(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(JobName())
    # Model libraries chat at INFO about every batch; keep their warnings only.
    for noisy in ("faster_whisper", "httpx", "huey", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    except ImportError:
        pass
