"""A copy browsers can play (H.264 and AAC in MP4) of a recording they cannot.

PyAV decodes nearly anything for transcription, but a browser's <audio> and <video> play few
containers and codecs: a phone's HEVC .mov, an AVI or WMV from an old camera, an AMR or WMA
from a dictaphone all transcribe, and stay silent in the player. What probing found decides
(``why_unplayable``); ffmpeg makes the copy (ffmpeg-python builds the command), written beside
its target and moved into place only once complete, so a failed or stopped run leaves no half
file and a re-run replaces the copy whole.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import ffmpeg

from baton.workers.media import MOV_FAMILY, MediaError, MediaInfo

# What current browsers play, by the demuxer PyAV names: (audio codecs, video codecs).
_PLAYABLE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    MOV_FAMILY: (frozenset({"aac", "mp3", "opus", "flac"}), frozenset({"h264", "vp9", "av1"})),
    "matroska,webm": (frozenset({"opus", "vorbis"}), frozenset({"vp8", "vp9", "av1"})),
    "ogg": (frozenset({"opus", "vorbis", "flac"}), frozenset()),
    "mp3": (frozenset({"mp3"}), frozenset()),
    "aac": (frozenset({"aac"}), frozenset()),
    "flac": (frozenset({"flac"}), frozenset()),
    "wav": (frozenset({"pcm_s16le", "pcm_s24le", "pcm_u8", "pcm_f32le"}), frozenset()),
}
# A copy to watch in the page, not an archive (the original stays downloadable): at most 720p,
# the longer side 1280 whichever way the phone was held, each side even as 4:2:0 H.264 needs.
# A 1080p picture costs 1.8 times the encoding (BENCHMARKS.md).
_AT_MOST_720P = (
    "if(gte(iw,ih),min(1280,trunc(iw/2)*2),-2)",
    "if(gte(iw,ih),-2,min(1280,trunc(ih/2)*2))",
)
# x264's "veryfast": the copy is made on the cores that transcribe (BENCHMARKS.md, its cost).
_X264: dict[str, str | int] = {
    "vcodec": "libx264",
    "preset": "veryfast",
    "crf": 23,
    "pix_fmt": "yuv420p",
}

Progress = Callable[[float], None]


def why_unplayable(info: MediaInfo) -> str | None:
    """Why a browser cannot play this recording as it is, in words for the log; None if it can."""
    playable = _PLAYABLE.get(info.container)
    name = info.container.split(",")[0]
    if playable is None:
        return f"browsers do not open {name} files"
    audio, video = playable
    if info.audio_codec not in audio:
        return f"browsers do not play {info.audio_codec} audio in {name}"
    if info.has_video and info.video_codec not in video:
        return f"browsers do not play {info.video_codec} video in {name}"
    return None


def make_playable_copy(
    source: Path,
    target: Path,
    info: MediaInfo,
    binary: str,
    progress: Progress | None = None,
) -> None:
    """Write ``source`` to ``target`` as MP4 with AAC audio and, for a video, H.264 video,
    running the ffmpeg executable ``binary``.

    Streams already in those codecs are copied, not encoded again (a camera's H.264 with PCM
    sound needs only its sound encoded). ``progress`` hears the share done; whatever it raises
    (a shutdown, a deleted recording) stops ffmpeg and leaves no file. Raises ``MediaError``
    when ffmpeg fails.
    """
    staged = target.with_name(f"{target.name}.making")
    arguments = _command(source, staged, info).compile(cmd=binary, overwrite_output=True)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                arguments,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        except OSError as error:
            raise MediaError(f"ffmpeg could not start: {error}", code="copy_failed") from error
        try:
            _follow(process, info.duration, progress)
        except BaseException:
            process.kill()
            process.wait()
            staged.unlink(missing_ok=True)
            raise
        if process.returncode != 0 or not staged.is_file() or staged.stat().st_size == 0:
            staged.unlink(missing_ok=True)
            errors.seek(0)
            detail = errors.read().decode(errors="replace").strip()[-500:]
            raise MediaError(
                f"ffmpeg exited with {process.returncode}: {detail or 'no output'}",
                code="copy_failed",
            )
    staged.replace(target)


def _command(source: Path, staged: Path, info: MediaInfo) -> ffmpeg.nodes.OutputStream:
    """The ffmpeg graph: the first audio track and, for a video, the first picture."""
    inputs = ffmpeg.input(str(source))
    audio = inputs["a:0"]
    if not info.has_video and info.audio_codec != "aac":
        # Time counted in samples, as the recogniser counted it: a WMA's sound starts 64 ms
        # into its own timeline, and the copy would play every word that much late.
        audio = audio.filter("asetpts", "N/SR/TB")
    streams = [audio]
    options: dict[str, str | int] = {
        "f": "mp4",
        "movflags": "+faststart",  # the index first, so playback starts before the download ends
        "acodec": "copy" if info.audio_codec == "aac" else "aac",
    }
    if info.has_video:
        if info.video_codec == "h264":
            streams.insert(0, inputs["v:0"])
            options["vcodec"] = "copy"
        else:
            streams.insert(0, inputs["v:0"].filter("scale", *_AT_MOST_720P))
            options.update(_X264)
    return ffmpeg.output(*streams, str(staged), **options).global_args(
        "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1"
    )


def _follow(process: subprocess.Popen[str], duration: float, progress: Progress | None) -> None:
    """Read ffmpeg's progress lines (``out_time_us=…``) until it exits, reporting the share."""
    assert process.stdout is not None
    for line in process.stdout:
        key, _, value = line.strip().partition("=")
        if progress is not None and key == "out_time_us" and value.isdigit() and duration > 0:
            progress(min(int(value) / 1_000_000 / duration, 1.0))
    process.wait()
