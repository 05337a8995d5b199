"""A job stopped between stages starts again after the last stage whose output is stored."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sqlalchemy import delete, func, select

from baton.service.db.engine import transaction
from baton.service.db.tables import Job, Sentence
from baton.service.library import add_recording
from baton.service.pipeline import run_ingest
from baton.service.runtime import ModelSet, build_runtime
from baton.service.settings import Settings
from baton.service.stages import STAGES
from baton.service.uploads import ReceivedFile
from tests.conftest import SPEECH


def test_a_job_stopped_after_its_passages_resumes_there_and_its_sentences_are_embedded(
    tmp_path: Path, models: ModelSet
) -> None:
    settings = Settings(data_dir=tmp_path / "data", whisper_refine_model="")
    runtime = build_runtime(settings, models)
    copy = settings.media_dir / ".incoming" / "jfk.part"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(SPEECH / "jfk.flac", copy)
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    received = ReceivedFile(copy, "jfk.flac", copy.stat().st_size, digest)
    added = add_recording(runtime, received, "jfk")
    assert added.job_id is not None
    assert run_ingest(runtime, added.job_id) == "ready"

    # As if the process had died once the passages were stored: nothing after them is kept.
    passages_done = [stage.name for stage in STAGES].index("passages") + 1
    with transaction(runtime.sessions) as session:
        job = session.get(Job, added.job_id)
        assert job is not None
        job.status, job.completed_stages = "queued", passages_done
        session.execute(delete(Sentence).where(Sentence.recording_id == added.recording.id))

    assert run_ingest(runtime, added.job_id) == "ready"
    with runtime.sessions() as session:
        stored = session.scalar(
            select(func.count()).where(Sentence.recording_id == added.recording.id)
        )
    assert stored, "the embed stage ran again on the restored transcript"
    runtime.close()
