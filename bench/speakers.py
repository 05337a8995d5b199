"""Speaker finding on the corpus: the share of speech time given to the wrong speaker per
session, and what finding speakers adds to ingest time.

Targets (issue 4), on 2 CPU cores with the default settings: wrong-speaker time <= 10% on
every corpus session; finding speakers adds <= 35% to the ingest time without it.
Each session runs the real pipeline in-process twice, once with ``find_speakers`` off and then
with the defaults (models loaded before the clock starts, shared by both); what speaker finding
adds is the difference of the two walls, not the speakers stage's own seconds, because voice
windows are embedded during transcription as parts finish (``VoicesAhead``).
Scoring matches found speakers to true ones one to one (``bench/speaker_error.py``).

    .venv/bin/python -m bench.speakers [--sessions s01 s02 ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import select

from baton.service.db.tables import Job, Segment
from baton.service.library import add_recording
from baton.service.pipeline import run_ingest
from baton.service.runtime import ModelSet, Runtime, build_runtime
from baton.service.settings import Settings
from bench.corpora import add_corpus_option, announce, session_files
from bench.ingest import receive
from bench.speaker_error import score_speakers, truth_turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", nargs="+", help="e.g. s01 s04 (default: all)")
    add_corpus_option(parser)
    args = parser.parse_args()
    announce(args.corpus)
    with tempfile.TemporaryDirectory(prefix="baton-bench-speakers-") as folder:
        settings = Settings(data_dir=Path(folder) / "with")
        models = ModelSet.from_settings(settings)
        runtime = build_runtime(settings, models)
        without = build_runtime(
            Settings(data_dir=Path(folder) / "without", find_speakers=False), models
        )
        runtime.speech.whisper  # noqa: B018 - load the models before the clock starts
        runtime.dense.embed(["warm up"])
        runtime.voices.embed_windows(np.zeros(32_000, dtype=np.float32), [0.0])
        print(f"{'session':8} {'audio s':>8} {'speakers':>8} {'wrong':>6} {'missed':>6} "
              f"{'stage s':>7} {'with s':>7} {'w/o s':>7} {'added':>6}")  # fmt: skip
        worst = total_with = total_without = 0.0
        for path in session_files(args.corpus, args.sessions):
            plain_wall, _ = _ingest(without, path)
            wall, job_id = _ingest(runtime, path)
            with runtime.sessions() as session:
                job = session.get(Job, job_id)
                assert job is not None
                recording_id = job.recording_id
                stage_seconds = job.stage_seconds["speakers"]
                found = [
                    (s.start, s.end, s.speaker or "")
                    for s in session.scalars(
                        select(Segment).where(Segment.recording_id == recording_id)
                    )
                ]
                duration = job.recording.duration or 0.0
            score = score_speakers(
                truth_turns(args.corpus / "audio" / f"{path.stem}.truth.json"), found
            )
            worst = max(worst, score.wrong_share)
            total_with += wall
            total_without += plain_wall
            print(
                f"{path.stem:8} {duration:8.1f} {score.speakers_found:8d} "
                f"{score.wrong_share:6.1%} {score.missed_share:6.1%} {stage_seconds:7.2f} "
                f"{wall:7.2f} {plain_wall:7.2f} {wall / plain_wall - 1:6.1%}",
                flush=True,
            )
        print(
            f"worst wrong-speaker share {worst:.1%}; finding speakers added "
            f"{total_with / total_without - 1:.1%} to ingest "
            f"({total_with:.1f} s against {total_without:.1f} s without)"
        )
        without.close()
        runtime.close()


def _ingest(runtime: Runtime, path: Path) -> tuple[float, str]:
    """Ingest one corpus file; its wall seconds and the job's id."""
    received = receive(path, runtime.settings.media_dir / ".incoming")
    added = add_recording(runtime, received, path.stem)
    assert added.job_id is not None
    started = time.perf_counter()
    assert run_ingest(runtime, added.job_id) == "ready"
    return time.perf_counter() - started, added.job_id


if __name__ == "__main__":
    main()
