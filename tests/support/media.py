"""Test media made with ffmpeg from the real speech in ``tests/data``: a video with no sound,
silence, speech after silence, the same speech in other containers, two voices on two channels."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import av
import imageio_ffmpeg


def _ffmpeg(*args: str) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


def video_without_audio(path: Path) -> Path:
    """Two seconds of a test picture, with no audio stream at all."""
    _ffmpeg("-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10", "-pix_fmt", "yuv420p",
            str(path))  # fmt: skip
    return path


def silence(path: Path, seconds: int) -> Path:
    """A recording in which nobody speaks."""
    _ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", str(seconds), str(path))
    return path


def speech_after_silence(path: Path, speech: Path, seconds: int) -> Path:
    """``speech`` preceded by silence, so that a correct seek lands well past zero."""
    _ffmpeg("-f", "lavfi", "-t", str(seconds), "-i", "anullsrc=r=16000:cl=mono", "-i",
            str(speech), "-filter_complex", "[0:a][1:a]concat=n=2:v=0:a=1", "-ar", "16000",
            "-ac", "1", str(path))  # fmt: skip
    return path


def tagged_copy(path: Path, source: Path, note: str) -> Path:
    """The same sound as ``source`` with ``note`` in its metadata: new bytes, so a new file to
    the library (which recognises exact duplicates)."""
    _ffmpeg("-i", str(source), "-metadata", f"comment={note}", "-c", "copy", str(path))
    return path


def streamed_webm(path: Path, source: Path) -> Path:
    """``source`` as Opus in a WebM written as a stream, the way a browser's MediaRecorder writes
    it: the header never learns the length, so it has none."""
    with path.open("wb") as out:
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(source), "-c:a", "libopus",
             "-f", "webm", "pipe:1"],
            stdout=out, check=True,
        )  # fmt: skip
    return path


def pcm_wav(path: Path, source: Path, rate: int = 48_000) -> Path:
    """``source`` as mono 16-bit PCM WAV (the only kind Chromium plays as its fake microphone,
    and the largest an upload of the same minutes can be)."""
    _ffmpeg("-i", str(source), "-ac", "1", "-ar", str(rate), "-c:a", "pcm_s16le", str(path))
    return path


def reencoded(path: Path, source: Path, *codec: str) -> Path:
    """``source`` in the container ``path``'s suffix names, with the ``codec`` arguments given
    (or the container's default codecs)."""
    _ffmpeg("-i", str(source), "-map_metadata", "-1", *codec, str(path))
    return path


def filmed(path: Path, source: Path) -> Path:
    """``source``'s sound under a small test picture, as a camera's video file holds it."""
    picture = f"testsrc=size=160x120:rate=5:duration={_seconds(source):.3f}"
    _ffmpeg("-f", "lavfi", "-i", picture, "-i", str(source),
            "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
            str(path))  # fmt: skip
    return path


def two_voices_on_two_channels(path: Path, first: Path, second: Path, gap: float = 0.5) -> Path:
    """A two-headset recording: ``first`` speaks on the left, then, ``gap`` seconds after it
    ends, ``second`` answers on the right; each channel is silent while the other talks."""
    delay_ms = round((_seconds(first) + gap) * 1000)
    _ffmpeg("-i", str(first), "-i", str(second), "-filter_complex",
            "[0:a]aresample=16000,pan=mono|c0=c0,apad[left];"
            f"[1:a]aresample=16000,pan=mono|c0=c0,adelay={delay_ms}:all=1[right];"
            "[left][right]amerge=inputs=2[both]",
            "-map", "[both]", "-c:a", "pcm_s16le", str(path))  # fmt: skip
    return path


def _seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        return float(container.duration or 0) / av.time_base


# Recordings a browser cannot play, as dictaphones, old cameras and phones make them.
def _picture(size: str = "320x240") -> tuple[str, ...]:
    return ("-f", "lavfi", "-i", f"testsrc=size={size}:rate=25")


def amr_nb(path: Path, source: Path) -> Path:
    """``source`` as a dictaphone's or an old phone's AMR-NB (8 kHz mono, 12.2 kbit/s) in .amr."""
    _ffmpeg("-i", str(source), "-ar", "8000", "-ac", "1", "-c:a", "libopencore_amrnb",
            "-b:a", "12.2k", str(path))  # fmt: skip
    return path


def wma(path: Path, source: Path) -> Path:
    """``source`` as Windows Media Audio 2 in an ASF (.wma) file."""
    _ffmpeg("-i", str(source), "-c:a", "wmav2", "-f", "asf", str(path))
    return path


def hevc_mov(path: Path, source: Path) -> Path:
    """A test picture with ``source``'s sound, as a phone films: HEVC and AAC in QuickTime."""
    _ffmpeg(*_picture(), "-i", str(source), "-shortest", "-c:v", "libx265", "-preset",
            "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-pix_fmt",
            "yuv420p", "-c:a", "aac", "-f", "mov", str(path))  # fmt: skip
    return path


def mpeg4_avi(path: Path, source: Path, size: str = "320x240", seconds: float = 60) -> Path:
    """A test picture of ``size`` with ``source``'s sound (its first ``seconds``), as an old
    camera films: MPEG-4 part 2 and MP3 in AVI."""
    _ffmpeg(*_picture(size), "-i", str(source), "-shortest", "-t", str(seconds), "-c:v", "mpeg4",
            "-c:a", "libmp3lame", "-f", "avi", str(path))  # fmt: skip
    return path


def webm_claiming(path: Path, source: Path, seconds: float) -> Path:
    """``source`` as a WebM whose header says it lasts ``seconds``, whatever it holds: its
    Segment Duration (EBML id 0x4489, an 8-byte float in milliseconds) rewritten in place."""
    whole = reencoded(path.with_suffix(".whole.webm"), source, "-c:a", "libopus").read_bytes()
    at = whole.find(b"\x44\x89\x88")
    assert at > 0, "ffmpeg wrote no 8-byte Duration element"
    claimed = struct.pack(">d", seconds * 1000)
    path.write_bytes(whole[: at + 3] + claimed + whole[at + 11 :])
    return path
