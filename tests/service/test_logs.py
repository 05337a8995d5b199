"""Worker log lines name the recording and job they were written for, in every thread."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import numpy as np
import pytest

from baton.service.logs import JobName, job_context
from baton.service.runtime import ModelSet
from baton.workers.media import SAMPLE_RATE
from baton.workers.transcribe import NoSpeechFound, TranscribeOptions, transcribe


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s: %(job)s%(message)s"))
    handler.addFilter(JobName())
    logger = logging.getLogger("baton")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_the_parts_transcribed_in_their_own_threads_name_the_job(
    models: ModelSet, lines: io.StringIO
) -> None:
    two_minutes_of_silence = np.zeros(SAMPLE_RATE * 125, dtype=np.float32)

    with job_context("recording=r1 job=j1 stage=transcribe"), pytest.raises(NoSpeechFound):
        transcribe(two_minutes_of_silence, models.speech, TranscribeOptions())

    parts = [line for line in lines.getvalue().splitlines() if " part from " in line]
    assert len(parts) == 2
    assert all("recording=r1 job=j1 stage=transcribe part from" in line for line in parts)


def test_only_worker_lines_get_the_name_and_only_inside_the_job(lines: io.StringIO) -> None:
    with job_context("recording=r1 job=j1 stage=decode"):
        logging.getLogger("baton.workers.media").info("decoded")
        logging.getLogger("baton.service.pipeline").info("recording=r1 job=j1 ready")
    logging.getLogger("baton.workers.media").info("probed")

    assert lines.getvalue().splitlines() == [
        "baton.workers.media: recording=r1 job=j1 stage=decode decoded",
        "baton.service.pipeline: recording=r1 job=j1 ready",
        "baton.workers.media: probed",
    ]
