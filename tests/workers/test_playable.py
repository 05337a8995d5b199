"""Copies browsers can play: which recordings need one, and what the copy is (real ffmpeg)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import imageio_ffmpeg
import numpy as np
import numpy.typing as npt
import pytest
from faster_whisper.audio import decode_audio
from scipy.signal import correlate

from baton.workers.media import MediaError, MediaInfo, probe
from baton.workers.playable import make_playable_copy, why_unplayable
from tests.conftest import SPEECH
from tests.support.media import amr_nb, hevc_mov, mpeg4_avi, wma

KENNEDY = SPEECH / "jfk.flac"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
MOV = "mov,mp4,m4a,3gp,3g2,mj2"
HOUR = 3600.0


def found(container: str, audio: str, video: str = "") -> MediaInfo:
    """What probing would find in a file with these streams."""
    return MediaInfo(container, 60.0, audio, bool(video), 1, video)


@pytest.mark.parametrize(
    "info",
    [
        found(MOV, "aac"),  # .m4a
        found(MOV, "aac", "h264"),  # .mp4, or an .mov a phone filmed in H.264
        found("matroska,webm", "opus", "vp8"),  # what the page films
        found("matroska,webm", "opus"),
        found("ogg", "opus"),
        found("ogg", "vorbis"),
        found("mp3", "mp3"),
        found("wav", "pcm_s16le"),
        found("flac", "flac"),
    ],
    ids=lambda info: f"{info.container.split(',')[0]}-{info.audio_codec}-{info.video_codec}",
)
def test_what_browsers_play_gets_no_copy(info: MediaInfo) -> None:
    assert why_unplayable(info) is None


@pytest.mark.parametrize(
    ("info", "named"),
    [
        (found("amr", "amr_nb"), "amr"),
        (found("asf", "wmav2"), "asf"),
        (found("asf", "wmav2", "wmv2"), "asf"),
        (found("avi", "mp3", "mpeg4"), "avi"),
        (found(MOV, "aac", "hevc"), "hevc"),  # a phone's HEVC .mov
        (found(MOV, "amr_nb", "h263"), "amr_nb"),  # an old phone's .3gp
        (found(MOV, "pcm_s16le", "h264"), "pcm_s16le"),  # a camera's .mov with PCM sound
        (found("matroska,webm", "aac", "h264"), "aac"),  # an .mkv
        (found("ogg", "vorbis", "theora"), "theora"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_what_browsers_cannot_play_gets_a_copy_with_the_reason(info: MediaInfo, named: str) -> None:
    reason = why_unplayable(info)
    assert reason is not None and named in reason


def test_probing_names_codecs_the_way_ffmpeg_does(tmp_path: Path) -> None:
    dictaphone = probe(amr_nb(tmp_path / "memo.amr", KENNEDY), max_duration=HOUR)
    assert (dictaphone.container, dictaphone.audio_codec, dictaphone.has_video) == (
        "amr", "amr_nb", False,
    )  # fmt: skip
    phone = probe(hevc_mov(tmp_path / "IMG_0001.MOV", KENNEDY), max_duration=HOUR)
    assert (phone.audio_codec, phone.video_codec, phone.has_video) == ("aac", "hevc", True)


def streams_of(path: Path) -> tuple[str, dict[str, str]]:
    """The container and each stream kind's codec, as PyAV reads them."""
    with av.open(str(path)) as container:
        codecs = {s.type: s.codec_context.codec.canonical_name for s in container.streams}
        return container.format.name, codecs


def heard(path: Path) -> npt.NDArray[np.float32]:
    """The sound as the recogniser hears it (an .amr's header only estimates its length)."""
    return np.asarray(decode_audio(str(path), sampling_rate=16_000), dtype=np.float32)


def lag_seconds(copy: npt.NDArray[np.float32], original: npt.NDArray[np.float32]) -> float:
    """How much later the copy's sound comes than the original's (cross-correlation)."""
    scores = correlate(copy[: 8 * 16_000], original[: 8 * 16_000], mode="full", method="fft")
    return float(np.argmax(scores) - (8 * 16_000 - 1)) / 16_000


Maker = Callable[[Path, Path], Path]


@pytest.mark.parametrize(
    ("make", "name", "codecs"),
    [
        (amr_nb, "memo.amr", {"audio": "aac"}),
        (wma, "memo.wma", {"audio": "aac"}),
        (hevc_mov, "IMG_0001.MOV", {"audio": "aac", "video": "h264"}),
        (mpeg4_avi, "MOV00001.AVI", {"audio": "aac", "video": "h264"}),
    ],
    ids=["amr", "wma", "hevc-mov", "mpeg4-avi"],
)
def test_the_copy_is_h264_and_aac_in_mp4_and_as_long_as_the_original(
    tmp_path: Path, make: Maker, name: str, codecs: dict[str, str]
) -> None:
    original = make(tmp_path / name, KENNEDY)
    info = probe(original, max_duration=HOUR)
    assert why_unplayable(info) is not None
    copy = tmp_path / "copy.mp4"
    shares: list[float] = []

    make_playable_copy(original, copy, info, FFMPEG, shares.append)

    assert streams_of(copy) == (MOV, codecs)
    sound, copied_sound = heard(original), heard(copy)
    # As long, give or take the padding of the last AAC frame (1024 samples: 0.13 s at 8 kHz),
    # and in time with it, so the transcript's times hold in the copy.
    assert len(copied_sound) / 16_000 == pytest.approx(len(sound) / 16_000, abs=0.2)
    assert abs(lag_seconds(copied_sound, sound)) < 0.01
    assert shares and all(0 <= share <= 1 for share in shares)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "copy.mp4"])


@pytest.mark.parametrize(
    ("size", "copied"),
    [("1920x1080", (1280, 720)), ("1080x1920", (720, 1280)), ("321x241", (320, 240))],
    ids=["1080p-landscape", "1080p-portrait", "odd-sides"],
)
def test_a_video_copy_is_at_most_720p_the_way_it_was_held_with_even_sides(
    tmp_path: Path, size: str, copied: tuple[int, int]
) -> None:
    original = mpeg4_avi(tmp_path / "MOV00001.AVI", KENNEDY, size=size, seconds=1)
    copy = tmp_path / "copy.mp4"
    make_playable_copy(original, copy, probe(original, max_duration=HOUR), FFMPEG)
    with av.open(str(copy)) as container:
        picture = container.streams.video[0].codec_context
        assert (picture.width, picture.height) == copied


def test_the_copy_has_its_index_first_so_playback_starts_before_the_download_ends(
    tmp_path: Path,
) -> None:
    original = amr_nb(tmp_path / "memo.amr", KENNEDY)
    copy = tmp_path / "copy.mp4"
    make_playable_copy(original, copy, probe(original, max_duration=HOUR), FFMPEG)
    data = copy.read_bytes()
    assert 0 < data.index(b"moov") < data.index(b"mdat")


def test_a_copy_that_fails_keeps_the_previous_copy_and_leaves_no_half_file(
    tmp_path: Path,
) -> None:
    original = amr_nb(tmp_path / "memo.amr", KENNEDY)
    info = probe(original, max_duration=HOUR)
    original.write_bytes(b"#!AMR\n" + b"\xff" * 2000)  # damaged after it was probed
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(b"the copy made before")

    with pytest.raises(MediaError) as failed:
        make_playable_copy(original, copy, info, FFMPEG)

    assert failed.value.code == "copy_failed" and "ffmpeg exited" in failed.value.reason
    assert copy.read_bytes() == b"the copy made before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.mp4", "memo.amr"]


class Stop(Exception):
    """What the pipeline raises through the progress callback on shutdown."""


def test_a_copy_stopped_midway_stops_ffmpeg_and_leaves_no_file(tmp_path: Path) -> None:
    original = hevc_mov(tmp_path / "IMG_0001.MOV", KENNEDY)
    copy = tmp_path / "copy.mp4"

    def stop(share: float) -> None:
        raise Stop()

    with pytest.raises(Stop):
        make_playable_copy(original, copy, probe(original, max_duration=HOUR), FFMPEG, stop)

    assert [p.name for p in tmp_path.iterdir()] == ["IMG_0001.MOV"]
