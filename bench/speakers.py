"""Speaker finding on the corpus: the share of speech time given to the wrong speaker per
session, and what the speakers stage adds to ingest time.

Targets (issue 4), on 2 CPU cores with the default settings: wrong-speaker time <= 10% on
every corpus session; the speakers stage adds <= 35% to the ingest time of the other stages.
Each session runs the real pipeline in-process (models loaded before the clock starts);
scoring matches found speakers to true ones one to one (``bench/speaker_error.py``).

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
from baton.service.runtime import build_runtime
from baton.service.settings import Settings
from bench.ingest import CORPUS, corpus_files, receive
from bench.speaker_error import score_speakers, truth_turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", nargs="+", help="e.g. s01 s04 (default: all six)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baton-bench-speakers-") as folder:
        settings = Settings(data_dir=Path(folder) / "data")
        runtime = build_runtime(settings)
        runtime.speech.whisper  # noqa: B018 - load the models before the clock starts
        runtime.dense.embed(["warm up"])
        runtime.voices.embed_windows(np.zeros(32_000, dtype=np.float32), [0.0])
        print(f"{'session':8} {'audio s':>8} {'speakers':>8} {'wrong':>6} {'missed':>6} "
              f"{'spk s':>6} {'rest s':>7} {'added':>6}")  # fmt: skip
        worst = added_speakers = added_rest = 0.0
        for path in corpus_files(args.sessions):
            received = receive(path, settings.media_dir / ".incoming")
            added = add_recording(runtime, received, path.stem)
            assert added.job_id is not None
            started = time.perf_counter()
            assert run_ingest(runtime, added.job_id) == "ready"
            wall = time.perf_counter() - started
            with runtime.sessions() as session:
                job = session.get(Job, added.job_id)
                assert job is not None
                speakers_seconds = job.stage_seconds["speakers"]
                found = [
                    (s.start, s.end, s.speaker or "")
                    for s in session.scalars(
                        select(Segment).where(Segment.recording_id == added.recording.id)
                    )
                ]
            score = score_speakers(truth_turns(CORPUS / "audio" / f"{path.stem}.truth.json"), found)
            rest = wall - speakers_seconds
            worst = max(worst, score.wrong_share)
            added_speakers += speakers_seconds
            added_rest += rest
            print(
                f"{path.stem:8} {added.recording.duration or 0:8.1f} {score.speakers_found:8d} "
                f"{score.wrong_share:6.1%} {score.missed_share:6.1%} {speakers_seconds:6.2f} "
                f"{rest:7.2f} {speakers_seconds / rest:6.1%}",
                flush=True,
            )
        print(
            f"worst wrong-speaker share {worst:.1%}; the speakers stage added "
            f"{added_speakers / added_rest:.1%} to ingest "
            f"({added_speakers:.1f} s on {added_rest:.1f} s)"
        )
        runtime.close()


if __name__ == "__main__":
    main()
