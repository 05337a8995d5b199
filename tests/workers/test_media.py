"""Probing and decoding: every common container is accepted; bad files are refused in words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from baton.workers.media import MediaError, decode_audio, format_duration, probe
from tests.conftest import SPEECH
from tests.support.media import (
    filmed,
    reencoded,
    streamed_webm,
    video_without_audio,
    webm_claiming,
)

SIX_HOURS = 6 * 3600.0
# What phones, dictaphones, browsers and meeting tools hand over.
CONTAINERS = {
    "ogg": ("-c:a", "libopus", "-b:a", "24k"),
    "mp3": ("-c:a", "libmp3lame", "-b:a", "48k"),
    "m4a": ("-c:a", "aac", "-b:a", "48k"),
    "wav": ("-c:a", "pcm_s16le",),
    "flac": ("-c:a", "flac",),
    "webm": ("-c:a", "libopus", "-b:a", "24k"),
}  # fmt: skip


@pytest.mark.parametrize("suffix", sorted(CONTAINERS))
def test_probe_accepts_every_common_audio_container(suffix: str, tmp_path: Path) -> None:
    path = reencoded(tmp_path / f"speech.{suffix}", SPEECH / "jfk.flac", *CONTAINERS[suffix])
    info = probe(path, max_duration=SIX_HOURS)
    assert info.duration == pytest.approx(11.0, abs=0.2)
    assert info.audio_codec and not info.has_video
    assert len(decode_audio(path, expected_duration=info.duration)) / 16_000 == pytest.approx(
        11.0, abs=0.2
    )


def test_probe_finds_the_picture_and_the_sound_of_a_video(tmp_path: Path) -> None:
    info = probe(filmed(tmp_path / "filmed.mp4", SPEECH / "jfk.flac"), max_duration=SIX_HOURS)
    assert info.has_video and info.audio_codec == "aac"
    assert info.duration == pytest.approx(11.0, abs=0.3)


def test_decode_gives_16khz_mono_samples_as_long_as_the_file() -> None:
    audio = decode_audio(SPEECH / "jfk.flac", expected_duration=11.0)
    assert audio.dtype.name == "float32"
    assert len(audio) / 16_000 == pytest.approx(11.0, abs=0.1)


def test_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(MediaError) as refused:
        probe(empty, max_duration=SIX_HOURS)
    assert refused.value.code == "empty"
    assert "empty" in refused.value.reason


def test_text_file_named_mp3_is_refused_as_unreadable(tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp3"
    fake.write_text("Minutes of the safety meeting. Not a recording at all.\n" * 50)
    with pytest.raises(MediaError) as refused:
        probe(fake, max_duration=SIX_HOURS)
    assert refused.value.code == "unreadable"
    assert "Upload an audio or video file" in refused.value.reason


def test_truncated_mp3_is_refused_when_decoded(truncated_mp3: Path) -> None:
    info = probe(truncated_mp3, max_duration=SIX_HOURS)
    with pytest.raises(MediaError) as refused:
        decode_audio(truncated_mp3, expected_duration=info.duration)
    assert refused.value.code == "truncated"
    assert "cut short" in refused.value.reason


def test_video_without_audio_track_is_refused(silent_video: Path) -> None:
    with pytest.raises(MediaError) as refused:
        probe(silent_video, max_duration=SIX_HOURS)
    assert refused.value.code == "no_audio"
    assert "no audio track" in refused.value.reason


def test_a_webm_written_as_a_stream_is_measured_from_its_packets(tmp_path: Path) -> None:
    """A page's MediaRecorder never writes the length into the header; such a file is not empty."""
    webm = streamed_webm(tmp_path / "filmed.webm", SPEECH / "jfk.flac")
    assert probe(webm, max_duration=3600).duration == pytest.approx(11.0, abs=0.1)
    # Cut off mid-write (its tab closed): what arrived is kept, up to the last whole piece.
    cut = tmp_path / "cut.webm"
    cut.write_bytes(webm.read_bytes()[: webm.stat().st_size * 2 // 3])
    info = probe(cut, max_duration=3600)
    assert 5.0 < info.duration < 9.0
    assert len(decode_audio(cut, expected_duration=info.duration)) / 16000 == pytest.approx(
        info.duration, abs=0.1
    )


def test_recording_longer_than_the_maximum_is_refused() -> None:
    with pytest.raises(MediaError) as refused:
        probe(SPEECH / "jfk.flac", max_duration=5.0)
    assert refused.value.code == "too_long"
    assert "0:11" in refused.value.reason and "0:05" in refused.value.reason


def test_the_length_limit_holds_on_what_is_decoded_not_on_what_the_header_says(
    tmp_path: Path,
) -> None:
    lying = webm_claiming(tmp_path / "short.webm", SPEECH / "jfk.flac", seconds=5)
    assert probe(lying, max_duration=8).duration == pytest.approx(5, abs=0.1)

    with pytest.raises(MediaError) as refused:
        decode_audio(lying, max_duration=8)
    assert refused.value.code == "too_long"
    assert "0:08" in refused.value.reason and "whatever its header says" in refused.value.reason
    assert len(decode_audio(lying, max_duration=20)) / 16_000 == pytest.approx(11.0, abs=0.1)


def test_durations_read_as_people_write_them() -> None:
    assert format_duration(65) == "1:05"
    assert format_duration(3 * 3600 + 61) == "3:01:01"


@pytest.fixture
def truncated_mp3(tmp_path: Path) -> Path:
    """The first 40% of an mp3, as an interrupted copy leaves it."""
    whole = reencoded(tmp_path / "whole.mp3", SPEECH / "jfk.flac").read_bytes()
    path = tmp_path / "cut.mp3"
    path.write_bytes(whole[: len(whole) * 2 // 5])
    return path


@pytest.fixture
def silent_video(tmp_path: Path) -> Path:
    """Two seconds of a test picture, with no audio stream at all."""
    return video_without_audio(tmp_path / "no-sound.mp4")


def test_decoding_into_a_scratch_folder_maps_the_same_samples_and_leaves_no_file(
    tmp_path: Path,
) -> None:
    in_memory = decode_audio(SPEECH / "jfk.flac")
    mapped = decode_audio(SPEECH / "jfk.flac", scratch_dir=tmp_path / "scratch")

    assert isinstance(mapped, np.memmap)  # the samples live in the page cache, not the heap
    assert np.array_equal(mapped, in_memory)
    assert list((tmp_path / "scratch").iterdir()) == []  # unlinked once mapped


def test_a_refused_decode_into_a_scratch_folder_leaves_no_file(tmp_path: Path) -> None:
    lying = webm_claiming(tmp_path / "short.webm", SPEECH / "jfk.flac", seconds=5)
    with pytest.raises(MediaError):
        decode_audio(lying, max_duration=8, scratch_dir=tmp_path / "scratch")
    assert list((tmp_path / "scratch").iterdir()) == []
