"""Probe and decode media files, refusing what cannot be transcribed with a reason in words.

Both go through PyAV, the libavformat/libavcodec that ffprobe and ffmpeg are built on: the
ffmpeg binary that ``imageio-ffmpeg`` ships comes without ffprobe, and PyAV gives structured
answers instead of text to parse. Decoding yields 16 kHz mono float32, Whisper's input.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

# The frame handling of faster-whisper's decode_audio, so that Baton's streaming decode gives the
# recogniser the very samples it was measured on.
from faster_whisper.audio import (
    _group_frames,
    _ignore_invalid_frames,
    _resample_frames,
)
from faster_whisper.audio import decode_audio as whisper_decode_audio

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
# A decode that yields less than this share of the duration the container declares is a
# file cut short (an interrupted copy or download), not a shorter recording.
_MIN_DECODED_SHARE = 0.9
# Containers commonly overstate the duration by a frame or two; ignore differences this small.
_DURATION_SLACK_SECONDS = 2.0

AudioArray = npt.NDArray[np.float32]

MEDIA_SUFFIXES = frozenset(
    {".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".oga", ".flac", ".webm", ".mp4", ".mov",
     ".mkv", ".m4v", ".avi", ".wmv", ".wma", ".amr", ".3gp"}
)  # fmt: skip
"""File names that folder imports and the demo take for recordings (an upload is judged by its
content, whatever its name)."""


class MediaError(ValueError):
    """A file that cannot become a transcript; ``reason`` is written for the person uploading."""

    def __init__(self, reason: str, *, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class MediaInfo:
    """What probing found: the container, its length and which streams it holds.

    Codecs are named the way ffmpeg and ffprobe name them (``amr_nb``, ``mp3``, ``hevc``), not
    by the decoder PyAV happened to pick (``amrnb``, ``mp3float``).
    """

    container: str
    duration: float
    audio_codec: str
    has_video: bool
    channels: int = 1
    video_codec: str = ""
    """The picture's codec; empty for audio only (an album cover is not a picture here)."""

    @property
    def stereo(self) -> bool:
        """Two channels, which may hold one voice each (a two-headset set-up)."""
        return self.channels == 2


MOV_FAMILY = "mov,mp4,m4a,3gp,3g2,mj2"
"""How PyAV names the demuxer of QuickTime and MP4 files (.mov, .mp4, .m4a, .3gp…)."""
# What each container PyAV names is served as: (with a picture, sound only).
_MEDIA_TYPES = {
    "ogg": ("video/ogg", "audio/ogg"),
    "mp3": ("audio/mpeg", "audio/mpeg"),
    "wav": ("audio/wav", "audio/wav"),
    "flac": ("audio/flac", "audio/flac"),
    "aac": ("audio/aac", "audio/aac"),
    "amr": ("audio/amr", "audio/amr"),
    "matroska,webm": ("video/webm", "audio/webm"),
    MOV_FAMILY: ("video/mp4", "audio/mp4"),
    "asf": ("video/x-ms-asf", "audio/x-ms-wma"),
    "avi": ("video/x-msvideo", "video/x-msvideo"),
}


def media_type(container: str | None, has_video: bool) -> str:
    """The Content-Type to serve a recording with, from what probing found inside it, never
    from the name it was uploaded under (``notes.html`` that holds sound is still sound)."""
    types = _MEDIA_TYPES.get(container or "")
    if types is None:
        return "application/octet-stream"
    return types[0] if has_video else types[1]


def probe(path: Path, *, max_duration: float) -> MediaInfo:
    """Read the container's header; raise ``MediaError`` for anything Baton cannot use."""
    if path.stat().st_size == 0:
        raise MediaError("The file is empty (0 bytes). Choose the recording again.", code="empty")
    try:
        with av.open(str(path)) as container:
            audio = container.streams.audio[0] if container.streams.audio else None
            video = next((s for s in container.streams.video if not _is_cover_art(s)), None)
            duration = _duration_seconds(container)
            container_name = container.format.name
            audio_codec = _codec_name(audio) if audio is not None else ""
            video_codec = _codec_name(video) if video is not None else ""
            channels = audio.channels if audio is not None else 0
    except av.error.FFmpegError as error:
        log.info("probe refused %s: %s", path.name, error)
        raise MediaError(
            "This file is not an audio or video recording that can be read "
            "(it may be another kind of file, or damaged). "
            "Upload an audio or video file such as MP3, M4A, WAV, OGG, WebM or MP4.",
            code="unreadable",
        ) from error
    if audio is None:
        raise MediaError(
            "This file has no audio track, so there is nothing to transcribe. "
            "Upload the recording with its sound.",
            code="no_audio",
        )
    if duration <= 0:
        raise MediaError(
            "This recording has no length (0 seconds). Check the file plays, then upload it again.",
            code="zero_length",
        )
    if duration > max_duration:
        raise MediaError(
            f"This recording lasts {format_duration(duration)}, longer than the "
            f"{format_duration(max_duration)} allowed. Split it into shorter parts and "
            "upload each.",
            code="too_long",
        )
    return MediaInfo(
        container_name, duration, audio_codec, video is not None, channels, video_codec
    )


def decode_audio(
    path: Path,
    *,
    expected_duration: float | None = None,
    max_duration: float | None = None,
    scratch_dir: Path | None = None,
) -> AudioArray:
    """Decode the first audio track to 16 kHz mono float32 samples.

    PyAV's decoder and resampler, exactly as faster-whisper's own ``decode_audio`` drives them,
    rather than the ffmpeg binary: on the corpus they gave the recogniser 0.006-0.02 lower word
    error rates (BENCHMARKS.md). No samples, a decoder error, or far fewer seconds than the
    container declares all mean a damaged file, and raise ``MediaError`` rather than yield half
    a transcript.

    ``max_duration`` is enforced on what is decoded, not on what the header claims (a WebM can
    say 5 s and hold an hour): decoding stops as soon as it passes, before it holds more.

    With ``scratch_dir`` the samples go to a file there as they are decoded, and come back
    mapped from it: hours of samples then live in the kernel's page cache, which can drop and
    re-read them, not in memory this process holds (see ``_mapped``).
    """
    limit = (
        None
        if max_duration is None
        else int((max_duration + _DURATION_SLACK_SECONDS) * SAMPLE_RATE)
    )
    try:
        samples = _decode_mono(path, limit, scratch_dir)
    except _TooLong:
        assert max_duration is not None
        raise MediaError(
            f"This recording lasts longer than the {format_duration(max_duration)} allowed, "
            "whatever its header says. Split it into shorter parts and upload each.",
            code="too_long",
        ) from None
    except (av.error.FFmpegError, ValueError) as error:
        log.info("decode failed for %s: %s", path.name, error)
        raise MediaError(
            "The audio in this file could not be decoded: it is damaged. "
            "Export or copy the recording again and upload the new file.",
            code="corrupt",
        ) from error
    decoded = len(samples) / SAMPLE_RATE
    if decoded == 0:
        raise MediaError(
            "No sound could be decoded from this file: it is damaged or empty. "
            "Export or copy the recording again and upload the new file.",
            code="corrupt",
        )
    if (
        expected_duration is not None
        and decoded < _MIN_DECODED_SHARE * expected_duration - _DURATION_SLACK_SECONDS
    ):
        raise MediaError(
            f"The file is cut short: it should last {format_duration(expected_duration)} but "
            f"only {format_duration(decoded)} could be decoded. Upload the complete file.",
            code="truncated",
        )
    return samples


class _TooLong(Exception):
    """More samples came out of the decoder than the limit allows."""


def _decode_mono(path: Path, limit: int | None, scratch_dir: Path | None) -> AudioArray:
    """16 kHz mono float32 from the 16-bit pieces the decoder yields one at a time."""
    pieces = _decoded_pieces(path, limit)
    if scratch_dir is not None:
        return _mapped(pieces, scratch_dir)
    # In memory: the 16-bit pieces are kept (half the size of the result) until the count is
    # known, then the result is filled from them, each let go of once copied.
    kept = list(pieces)
    samples = np.empty(sum(len(piece) for piece in kept), dtype=np.float32)
    offset = 0
    kept.reverse()
    while kept:
        piece = kept.pop()
        samples[offset : offset + len(piece)] = _as_float(piece)
        offset += len(piece)
    return samples


def _decoded_pieces(path: Path, limit: int | None) -> Iterator[npt.NDArray[np.int16]]:
    """The first audio track as 16 kHz mono 16-bit pieces; ``_TooLong`` past ``limit`` samples."""
    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    count = 0
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        frames = _resample_frames(
            _group_frames(_ignore_invalid_frames(container.decode(audio=0)), 500_000), resampler
        )
        for frame in frames:
            piece: npt.NDArray[np.int16] = frame.to_ndarray().reshape(-1)
            count += len(piece)
            if limit is not None and count > limit:
                raise _TooLong
            yield piece


def _mapped(pieces: Iterator[npt.NDArray[np.int16]], scratch_dir: Path) -> AudioArray:
    """Write the pieces as float32 to a file in ``scratch_dir`` and map it back.

    The file is unlinked as soon as it is mapped: the mapping keeps its data for as long as the
    array lives, and a process killed mid-ingest leaves nothing behind. Copy-on-write, so that
    code which expects an ordinary writable array gets one.
    """
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=scratch_dir, prefix="decoded-", suffix=".f32") as out:
        count = 0
        for piece in pieces:
            out.write(_as_float(piece).tobytes())
            count += len(piece)
        out.flush()
        if count == 0:
            return np.zeros(0, dtype=np.float32)
        return np.memmap(out.name, dtype=np.float32, mode="c", shape=(count,))


def _as_float(piece: npt.NDArray[np.int16]) -> AudioArray:
    return piece.astype(np.float32) / np.float32(32768.0)


def decode_channels(path: Path) -> tuple[AudioArray, AudioArray]:
    """The left and right channels of a stereo recording, each 16 kHz float32.

    Only speaker finding needs them: a two-headset recording puts one voice on each side.
    """
    try:
        left, right = whisper_decode_audio(str(path), sampling_rate=SAMPLE_RATE, split_stereo=True)
    except (av.error.FFmpegError, ValueError) as error:
        raise MediaError(
            "The audio in this file could not be decoded: it is damaged. "
            "Export or copy the recording again and upload the new file.",
            code="corrupt",
        ) from error
    return left.astype(np.float32, copy=False), right.astype(np.float32, copy=False)


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` or ``m:ss``, the way people read lengths of recordings."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _duration_seconds(container: av.container.InputContainer) -> float:
    if container.duration is not None:
        return float(container.duration) / av.time_base
    longest = 0.0
    for stream in container.streams:
        if stream.duration is not None and stream.time_base is not None:
            longest = max(longest, float(stream.duration * stream.time_base))
    return longest or _duration_from_packets(container)


def _duration_from_packets(container: av.container.InputContainer) -> float:
    """The end of the last audio packet, for files whose header has no length.

    A browser's MediaRecorder (and any WebM written as a stream) never goes back to write the
    length into the header. Reading the packets without decoding them is quick: about a second
    for an hour of Opus.
    """
    if not container.streams.audio:
        return 0.0
    stream = container.streams.audio[0]
    end = 0.0
    try:
        for packet in container.demux(stream):
            if packet.pts is not None and packet.time_base is not None:
                end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    except av.error.FFmpegError as error:
        # A recording cut off mid-write (its tab closed) ends in a partial piece: keep the rest.
        log.info("reading packets stopped at %.1f s: %s", end, error)
    return end


def _codec_name(stream: av.stream.Stream) -> str:
    """ffmpeg's name for the stream's codec; "unknown" where PyAV has no decoder for it."""
    context = stream.codec_context
    return context.codec.canonical_name if context is not None else "unknown"


def _is_cover_art(stream: av.stream.Stream) -> bool:
    """An MP3's or M4A's album picture shows up as a one-frame video stream."""
    return bool(stream.disposition & av.stream.Disposition.attached_pic)
