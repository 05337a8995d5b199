"""Silence stretches of recordings' audio in place, keeping each file's container and video.

Redaction must reach every file people can play or download (the original and its
browser-playable copy), not only the transcript: each audio track is re-encoded with its volume
at zero over each span (ffmpeg's ``volume`` filter with an ``enable`` expression), video copied
untouched. Every file is written beside itself first and replaces it only once all are
complete, so a failure leaves them all as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import av
import ffmpeg

from baton.workers.media import MOV_FAMILY, MediaError

log = logging.getLogger(__name__)

# Audio encoders for the codecs Baton accepts, where ffmpeg names the encoder otherwise.
_AUDIO_CODECS = {
    "mp3": "libmp3lame",
    "opus": "libopus",
    "vorbis": "libvorbis",
    "amr_nb": "libopencore_amrnb",
}
# The ``enable`` expression is evaluated once per audio frame: frames this short (in samples)
# keep a span's edges within a few milliseconds even at 8 kHz, where an AAC frame is 128 ms.
_FRAME_SAMPLES = 64
# The samples LAME's encoder and the MP3 decoder add before the sound (576 + 529).
_LAME_DELAY = 1105

# PyAV names a demuxer by every format it reads; ffmpeg's muxer wants one name.
_WEBM_CODECS = {"opus", "vorbis", "vp8", "vp9", "av1"}


def silence_spans(paths: Sequence[Path], spans: Sequence[tuple[float, float]], binary: str) -> None:
    """Rewrite every file in ``paths`` with silence over every ``(start, end)`` second span,
    running the ffmpeg executable ``binary``.

    All or none: each is silenced into a staged file first, and the staged files replace the
    originals only when every one was made.
    """
    if not spans:
        return
    staged: list[tuple[Path, Path]] = []
    try:
        for path in paths:
            staged.append((path, _silenced_beside(path, spans, binary)))
    except MediaError:
        for _, done in staged:
            done.unlink(missing_ok=True)
        raise
    for path, done in staged:
        done.replace(path)


def _silenced_beside(path: Path, spans: Sequence[tuple[float, float]], binary: str) -> Path:
    """``path`` silenced over ``spans``, written to ``<name>.redacting`` beside it."""
    staged = path.with_name(f"{path.name}.redacting")
    try:
        ffmpeg.run(
            _command(path, spans, staged).global_args("-nostdin", "-loglevel", "error"),
            cmd=binary,
            capture_stdout=True,
            capture_stderr=True,
            overwrite_output=True,
        )
        if not staged.is_file() or staged.stat().st_size == 0:
            raise ffmpeg.Error(binary, b"", b"ffmpeg wrote nothing")
    except (av.error.FFmpegError, ffmpeg.Error, OSError) as error:
        staged.unlink(missing_ok=True)
        detail = getattr(error, "stderr", None) or str(error).encode()
        log.error("silencing %s failed: %s", path.name, detail.decode(errors="replace")[-500:])
        raise MediaError(
            "The recording's audio could not be silenced over that span, so nothing was "
            "redacted. Try again; if it fails again, tell your administrator.",
            code="redaction_failed",
        ) from error
    return staged


def _command(
    path: Path, spans: Sequence[tuple[float, float]], staged: Path
) -> ffmpeg.nodes.OutputStream:
    """The ffmpeg graph: every audio track silenced over the spans, the video copied."""
    with av.open(str(path)) as container:
        # Audio and video only: a phone's data tracks (timecode, metadata) may not fit the
        # muxer, and hold no sound.
        streams = [(s.index, s.type, s.codec_context.codec.canonical_name)
                   for s in container.streams if s.type in ("audio", "video")]  # fmt: skip
        muxer = _muxer(container, {codec for _, _, codec in streams})
        offset = _sound_offset(container)
    enable = "+".join(f"between(t,{offset + start:.3f},{offset + end:.3f})" for start, end in spans)
    source = ffmpeg.input(str(path))
    outputs, codecs = [], {}
    for number, (index, kind, codec) in enumerate(streams):
        selected = source[str(index)]
        if kind == "audio":
            encoder = _AUDIO_CODECS.get(codec, codec)
            selected = selected.filter("asetnsamples", n=_FRAME_SAMPLES, p=0).filter(
                "volume", volume=0, enable=enable
            )
            if encoder == "libmp3lame" and muxer != "mp3":
                # LAME puts silence before the sound that only an .mp3's own header declares:
                # in an AVI, every redaction would make the sound that much later.
                selected = selected.filter("atrim", start_sample=_LAME_DELAY).filter(
                    "asetpts", f"PTS-{_LAME_DELAY}/SR/TB"
                )
            codecs[f"c:{number}"] = encoder
        else:
            codecs[f"c:{number}"] = "copy"
        outputs.append(selected)
    faststart = {"movflags": "+faststart"} if muxer in ("mp4", "mov") else {}
    return ffmpeg.output(*outputs, str(staged), f=muxer, **codecs, **faststart)


def _sound_offset(container: av.container.InputContainer) -> float:
    """Where the first sound plays on ffmpeg's clock, which starts at the container's start.

    Spans are times in the sound as the recogniser heard it, counted from its first sample;
    a WMA's first sound comes 64 ms into its own timeline.
    """
    if not container.streams.audio:
        return 0.0
    start = (container.start_time or 0) / av.time_base
    for frame in container.decode(container.streams.audio[0]):
        return max(0.0, float(frame.time or 0.0) - start)
    return 0.0


def _muxer(container: av.container.InputContainer, codecs: set[str]) -> str:
    """The muxer that writes the file back the way it came (an .mov stays QuickTime)."""
    name: str = container.format.name
    if name == MOV_FAMILY:
        brand = str(container.metadata.get("major_brand", "")).strip()
        return "mov" if brand == "qt" else "3gp" if brand.startswith("3g") else "mp4"
    if name == "matroska,webm":
        # What browsers play is WebM; an .mkv with other codecs stays Matroska.
        return "webm" if codecs <= _WEBM_CODECS else "matroska"
    return name.split(",")[0]
