"""How much memory one ingest holds, by length of recording (issue 21, item 4).

A recording of each length asked for is made by joining the demo sessions end to end (Opus,
as a phone would send it; its word error rate against the sessions' truth is reported too, so
that memory saved is not paid for in words); each is ingested on its own, first pass only,
through the real pipeline (probe, decode, transcribe, speakers, passages, embed, index, tag)
in a fresh child process, so that one length's peak does not hide another's. The child
samples its own memory every 20 ms:

- ``anon``: anonymous memory (``RssAnon``), what the process holds itself and cannot give
  back to the kernel without swap: this is what must not grow with the length;
- ``rss``: all resident pages, file-backed ones included (the model files and the decoded
  samples' scratch file are mapped; the kernel drops those pages under pressure).

Target: the peak of ``anon`` does not grow with the recording's length but by what the
transcript and its voice windows take (about 100 MB an hour; BENCHMARKS.md, "Ingest memory").

    .venv/bin/python -m bench.ingest_memory [--sessions 2 6 12]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from baton.workers.media import SAMPLE_RATE
from bench.corpora import DEMO, reference_text, session_files
from bench.wer import word_error_rate

_SAMPLE_SECONDS = 0.02


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sessions", type=int, nargs="+", default=[2, 6, 12], help="sessions joined per length"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reference", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_ingest_measured(args.child, args.reference.read_text())))
        return
    print(
        f"{'minutes':>8} {'wall s':>7} {'x RT':>5} {'anon before MB':>15} {'peak anon MB':>13} "
        f"{'growth MB':>10} {'peak rss MB':>12} {'WER':>6}"
    )
    with tempfile.TemporaryDirectory(prefix="baton-bench-memory-") as folder:
        for count in args.sessions:
            recording, said = _joined_sessions(Path(folder), count)
            reference = recording.with_suffix(".txt")
            reference.write_text(said)
            child = ["--child", str(recording), "--reference", str(reference)]
            done = subprocess.run(
                [sys.executable, "-m", "bench.ingest_memory", *child],
                check=True,
                capture_output=True,
                text=True,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{row['audio_seconds'] / 60:8.1f} {row['wall']:7.1f} "
                f"{row['audio_seconds'] / row['wall']:5.1f} {row['anon_before_mb']:15.0f} "
                f"{row['anon_mb']:13.0f} {row['anon_mb'] - row['anon_before_mb']:10.0f} "
                f"{row['rss_mb']:12.0f} {row['wer']:6.3f}",
                flush=True,
            )


def _joined_sessions(folder: Path, count: int) -> tuple[Path, str]:
    """The demo's sessions played one after another (and again) until ``count`` are joined, as
    Opus at 16 kbit/s, what a phone would send; with what is said in them, in order."""
    sessions = session_files(DEMO)
    inputs = [sessions[n % len(sessions)] for n in range(count)]
    target = folder / f"{count}-sessions.ogg"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            *("-v", "error", "-y"),
            *(part for path in inputs for part in ("-i", str(path))),
            *("-filter_complex", "".join(f"[{n}:a]" for n in range(count)) + f"concat={count}:0:1"),
            *("-ac", "1", "-c:a", "libopus", "-b:a", "16k", str(target)),
        ],
        check=True,
    )
    return target, " ".join(reference_text(DEMO, path.stem) for path in inputs)


def _ingest_measured(path: Path, reference: str) -> dict[str, float]:
    """Ingest ``path`` in a library of its own, sampling this process's memory meanwhile."""
    from baton.service.library import add_recording
    from baton.service.pipeline import run_ingest
    from baton.service.runtime import build_runtime
    from baton.service.settings import Settings
    from bench.ingest import receive, transcript_text

    with tempfile.TemporaryDirectory(prefix="baton-bench-memory-data-") as folder:
        settings = Settings(data_dir=Path(folder) / "data")
        runtime = build_runtime(settings)
        runtime.speech.whisper  # noqa: B018 - the models' own memory is not the recording's
        runtime.dense.embed(["warm up"])
        runtime.voices.embed_windows(np.zeros(SAMPLE_RATE * 2, dtype=np.float32), [0.0])
        before = _memory_now()["RssAnon"]
        added = add_recording(runtime, receive(path, settings.media_dir / ".incoming"), path.stem)
        assert added.job_id is not None
        sampler = _MemorySampler()
        sampler.start()
        started = time.perf_counter()
        outcome = run_ingest(runtime, added.job_id)
        wall = time.perf_counter() - started
        sampler.stop()
        assert outcome == "ready", f"{path.name} ended {outcome}"
        wer = word_error_rate(reference, transcript_text(runtime, added.recording.id))
        runtime.close()
    return {
        "audio_seconds": added.recording.duration or 0.0,
        "wall": wall,
        "anon_before_mb": before / 1024,
        "anon_mb": sampler.peak["RssAnon"] / 1024,
        "rss_mb": sampler.peak["VmRSS"] / 1024,
        "wer": wer,
    }


def _memory_now() -> dict[str, int]:
    """This process's ``VmRSS`` and ``RssAnon`` now, in kB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            found[name] = int(value.split()[0])
    return found


class _MemorySampler(threading.Thread):
    """The peaks of this process's ``VmRSS`` and ``RssAnon`` (kB), read from /proc."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = {"VmRSS": 0, "RssAnon": 0}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(_SAMPLE_SECONDS):
            for name, value in _memory_now().items():
                self.peak[name] = max(self.peak[name], value)

    def stop(self) -> None:
        self._done.set()
        self.join()


if __name__ == "__main__":
    main()
