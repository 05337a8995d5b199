"""Ingest the whole corpus and report speed per stage and end to end, and the word error rate,
beside the plain sequential faster-whisper call on the same files in the same run.

Target (issue 2), on 2 CPU cores with the default settings: end to end >= 30x real time, at a
word error rate no worse than the plain call's (`WhisperModel.transcribe(beam_size=5,
word_timestamps=True)`). Speed bought with accuracy is no gain.

Baton's side runs the real pipeline in-process (probe, decode, transcribe, passages, embed,
index into Qdrant Edge, with the database writes); models are loaded before the clock starts.
WER uses `bench/wer.py`'s shared normaliser on both sides.

The end-to-end time is the first pass: the recording is ready and searchable when it ends. The
refining pass (``whisper_refine_model``, bundled ``base``) that follows in the background is
timed on its own and reported beside it, with its WER (``--skip-refine`` leaves it out).

    .venv/bin/python -m bench.ingest [--corpus DIR] [--sessions s01 s02 ...] [--skip-plain]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from baton.service.db.tables import Job, Segment
from baton.service.library import add_recording
from baton.service.pipeline import run_ingest
from baton.service.refinement import queue_refinement
from baton.service.runtime import Runtime, build_runtime
from baton.service.settings import Settings
from baton.service.stages import STAGES
from baton.service.uploads import ReceivedFile
from baton.workers.media import decode_audio
from bench.corpora import add_corpus_option, announce, reference_text, session_files
from bench.wer import word_error_rate


def receive(path: Path, incoming: Path) -> ReceivedFile:
    """What an upload leaves behind: a copy under Baton's name, its size and hash."""
    incoming.mkdir(parents=True, exist_ok=True)
    copy = incoming / f"{path.stem}.part"
    shutil.copyfile(path, copy)
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    return ReceivedFile(copy, path.name, copy.stat().st_size, digest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", nargs="+", help="e.g. s01 s04 (default: all)")
    add_corpus_option(parser)
    parser.add_argument("--skip-plain", action="store_true", help="skip the plain baseline")
    parser.add_argument("--skip-refine", action="store_true", help="skip the refining pass")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="baton-bench-ingest-") as folder:
        settings = Settings(data_dir=Path(folder) / "data")
        runtime = build_runtime(settings)
        runtime.speech.whisper  # noqa: B018 - load the models before the clock starts
        runtime.dense.embed(["warm up"])
        print(
            f"settings: model={settings.whisper_model} compute={settings.whisper_compute_type} "
            f"batch={settings.whisper_batch_size} beam={settings.whisper_beam_size} "
            f"threads={settings.whisper_cpu_threads or 'all'}"
        )
        announce(args.corpus)
        stage_totals = {stage.name: 0.0 for stage in STAGES}
        audio_total = wall_total = plain_total = refine_total = 0.0
        refine_errors: list[float] = []
        errors: list[tuple[str, float, float | None]] = []
        header = f"{'session':8} {'audio s':>8} {'wall s':>7} {'x RT':>6} {'WER':>6}"
        print(f"{header} {'plain s':>8} {'plain xRT':>9} {'plain WER':>9}")
        for path in session_files(args.corpus, args.sessions):
            received = receive(path, settings.media_dir / ".incoming")
            added = add_recording(runtime, received, path.stem)
            assert added.job_id is not None
            started = time.perf_counter()
            outcome = run_ingest(runtime, added.job_id)
            wall = time.perf_counter() - started
            assert outcome == "ready", f"{path.name} ended {outcome}"
            with runtime.sessions() as session:
                job = session.get(Job, added.job_id)
                assert job is not None
                for name, seconds in job.stage_seconds.items():
                    stage_totals[name] += seconds
            duration = added.recording.duration or 0.0
            reference = reference_text(args.corpus, path.stem)
            wer = word_error_rate(reference, transcript_text(runtime, added.recording.id))
            refine_job = None if args.skip_refine else queue_refinement(runtime, added.job_id)
            if refine_job is not None:
                started = time.perf_counter()
                assert run_ingest(runtime, refine_job) == "ready"
                refine_total += time.perf_counter() - started
                refine_errors.append(
                    word_error_rate(reference, transcript_text(runtime, added.recording.id))
                )
            plain_wall, plain_wer = (
                (None, None) if args.skip_plain else plain(runtime, path, reference)
            )
            audio_total += duration
            wall_total += wall
            plain_total += plain_wall or 0.0
            errors.append((path.stem, wer, plain_wer))
            row = f"{path.stem:8} {duration:8.1f} {wall:7.1f} {duration / wall:6.1f} {wer:6.3f}"
            if plain_wall is not None and plain_wer is not None:
                row += f" {plain_wall:8.1f} {duration / plain_wall:9.1f} {plain_wer:9.3f}"
            print(row, flush=True)
        mean_wer = sum(e[1] for e in errors) / len(errors)
        print(
            f"{'all':8} {audio_total:8.1f} {wall_total:7.1f} {audio_total / wall_total:6.1f} "
            f"{mean_wer:6.3f}",
            end="",
        )
        if not args.skip_plain:
            plain_wer_mean = sum(e[2] or 0.0 for e in errors) / len(errors)
            print(f" {plain_total:8.1f} {audio_total / plain_total:9.1f} {plain_wer_mean:9.3f}")
        else:
            print()
        if refine_errors:
            print(
                f"refining pass ({settings.whisper_refine_model}, after ready): "
                f"{refine_total:.1f} s, {audio_total / refine_total:.1f}x real time, "
                f"WER {sum(refine_errors) / len(refine_errors):.3f}"
            )
        print("\nper stage (all sessions): seconds, x real time")
        for name, seconds in stage_totals.items():
            speed = audio_total / seconds if seconds else float("inf")
            print(f"  {name:10} {seconds:8.2f} s {speed:10.1f} x")
        runtime.close()


def transcript_text(runtime: Runtime, recording_id: str) -> str:
    with runtime.sessions() as session:
        return " ".join(
            session.scalars(
                select(Segment.text)
                .where(Segment.recording_id == recording_id)
                .order_by(Segment.position)
            )
        )


def plain(runtime: Runtime, path: Path, reference: str) -> tuple[float, float]:
    """The plain call a user would write: sequential transcribe(), beam 5, word timestamps."""
    audio = decode_audio(path)
    started = time.perf_counter()
    segments, _ = runtime.speech.whisper.transcribe(audio, beam_size=5, word_timestamps=True)
    text = " ".join(s.text.strip() for s in segments)
    return time.perf_counter() - started, word_error_rate(reference, text)


if __name__ == "__main__":
    main()
