"""What a browser-playable copy costs: seconds of ffmpeg per minute of recording, by format.

Each source is made first (not timed) from the repository's real speech, looped to length, with
a moving test picture for the videos (``testsrc2``: synthetic, so easier to encode than a
camera's picture; ``--noise`` adds grain for a harder case). Then ``make_playable_copy`` runs as
the ingest stage runs it; wall seconds and ffmpeg's CPU seconds (user + system, both cores
added) are given per minute of recording. CPU seconds hold steadier than wall seconds on a
machine someone else is using too.

    .venv/bin/python -m bench.playable [--minutes 1] [--formats amr wma avi hevc h264-pcm]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg

from baton.workers.media import probe
from baton.workers.playable import make_playable_copy, why_unplayable

SPEECH = Path(__file__).resolve().parents[1] / "tests" / "data" / "jfk.flac"

# How each source is encoded: (file name, picture size or None for audio only, ffmpeg options).
FORMATS: dict[str, tuple[str, str | None, list[str]]] = {
    "amr": ("memo.amr", None, ["-ar", "8000", "-ac", "1", "-c:a", "libopencore_amrnb",
                               "-b:a", "12.2k"]),
    "wma": ("memo.wma", None, ["-c:a", "wmav2", "-f", "asf"]),
    "avi": ("MOV00001.AVI", "640x480", ["-c:v", "mpeg4", "-q:v", "4", "-c:a", "libmp3lame"]),
    "hevc": ("IMG_0001.MOV", "1920x1080", ["-c:v", "libx265", "-preset", "ultrafast",
                                           "-x265-params", "log-level=error", "-tag:v", "hvc1",
                                           "-c:a", "aac", "-f", "mov"]),
    "h264-pcm": ("CAMERA.MOV", "1920x1080", ["-c:v", "libx264", "-preset", "ultrafast",
                                             "-c:a", "pcm_s16le", "-f", "mov"]),
}  # fmt: skip


def make_source(folder: Path, kind: str, seconds: float, noise: bool) -> Path:
    """The speech looped to ``seconds``, in the format named ``kind`` (not timed)."""
    name, size, options = FORMATS[kind]
    path = folder / name
    sound = ["-stream_loop", "-1", "-i", str(SPEECH)]
    if size is None:
        inputs, picture = sound, []
    else:
        graph = f"testsrc2=size={size}:rate=30" + (",noise=alls=12:allf=t" if noise else "")
        inputs = ["-f", "lavfi", "-i", graph, *sound]
        picture = ["-map", "0:v", "-map", "1:a", "-pix_fmt", "yuv420p"]
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *inputs, "-t", str(seconds),
         *picture, *options, str(path)],
        check=True,
    )  # fmt: skip
    return path


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="length of each source")
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=list(FORMATS))
    parser.add_argument("--noise", action="store_true", help="grain on the test picture")
    args = parser.parse_args()
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    print(f"{'format':9} {'minutes':>7} {'wall s':>7} {'cpu s':>7} {'wall s/min':>10} "
          f"{'cpu s/min':>9} {'MB in':>6} {'MB out':>6}  why")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="baton-bench-playable-") as folder:
        for kind in args.formats:
            source = make_source(Path(folder), kind, args.minutes * 60, args.noise)
            info = probe(source, max_duration=24 * 3600)
            reason = why_unplayable(info) or "playable: no copy"
            copy = Path(folder) / f"{kind}.playable.mp4"
            cpu, wall = children_cpu_seconds(), time.perf_counter()
            make_playable_copy(source, copy, info, ffmpeg)
            wall, cpu = time.perf_counter() - wall, children_cpu_seconds() - cpu
            minutes = info.duration / 60
            print(
                f"{kind:9} {minutes:7.2f} {wall:7.2f} {cpu:7.2f} {wall / minutes:10.2f} "
                f"{cpu / minutes:9.2f} {source.stat().st_size / 1e6:6.1f} "
                f"{copy.stat().st_size / 1e6:6.1f}  {reason}"
            )
            source.unlink()
            copy.unlink()


if __name__ == "__main__":
    main()
