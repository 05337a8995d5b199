"""Silence stretches of a recording's audio in place, keeping its container and its video.

Redaction must reach the media people play, not only the transcript: the audio track is
re-encoded with its volume at zero over each span (ffmpeg's ``volume`` filter with an
``enable`` expression), the video stream copied untouched. The result replaces the original
only once it is complete, so a failure leaves the old file as it was.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Sequence
from pathlib import Path

import av

from baton.workers.media import MediaError

log = logging.getLogger(__name__)

# Audio encoders for the containers Baton accepts; the container's own default otherwise.
_AUDIO_CODECS = {
    "mp3": "libmp3lame",
    "aac": "aac",
    "opus": "libopus",
    "vorbis": "libvorbis",
    "flac": "flac",
    "pcm_s16le": "pcm_s16le",
}


# PyAV names a demuxer by every format it reads; ffmpeg's muxer wants one name.
_MUXERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "matroska"}
_WEBM_CODECS = {"opus", "vorbis", "vp8", "vp9", "av1"}


def silence_spans(path: Path, spans: Sequence[tuple[float, float]], ffmpeg: str) -> None:
    """Rewrite ``path`` with silence over every ``(start, end)`` second span."""
    if not spans:
        return
    with av.open(str(path)) as container:
        audio = container.streams.audio[0]
        codec = audio.codec_context.codec.canonical_name
        codecs = {s.codec_context.codec.canonical_name for s in container.streams}
        container_format = _MUXERS.get(container.format.name, container.format.name.split(",")[0])
        if container_format == "matroska" and codecs <= _WEBM_CODECS:
            container_format = "webm"  # what browsers play; an .mkv with other codecs stays one
    enable = "+".join(f"between(t,{start:.3f},{end:.3f})" for start, end in spans)
    staged = path.with_name(f"{path.name}.redacting")
    command = [
        ffmpeg, "-nostdin", "-y", "-loglevel", "error", "-i", str(path),
        "-map", "0", "-c", "copy",
        "-af", f"volume=enable='{enable}':volume=0",
        "-c:a", _AUDIO_CODECS.get(codec, codec),
        "-f", container_format, str(staged),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not staged.exists() or staged.stat().st_size == 0:
        staged.unlink(missing_ok=True)
        log.error("silencing %s failed: %s", path.name, result.stderr.strip()[-500:])
        raise MediaError(
            "The recording's audio could not be silenced over that span, so nothing was "
            "redacted. Try again; if it fails again, tell your administrator.",
            code="redaction_failed",
        )
    staged.replace(path)
