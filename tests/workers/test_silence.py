"""Silencing spans for redaction, with the real ffmpeg: every file or none, in its own format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from faster_whisper.audio import decode_audio

from baton.workers.media import MediaError, probe
from baton.workers.playable import make_playable_copy
from baton.workers.silence import silence_spans
from tests.conftest import SPEECH
from tests.support.media import amr_nb, hevc_mov, mpeg4_avi, wma

KENNEDY = SPEECH / "jfk.flac"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SPAN = (2.0, 4.0)


def loudness(path: Path, start: float, end: float) -> float:
    """The RMS of the sound between two moments, as the recogniser hears the file."""
    samples = decode_audio(str(path), sampling_rate=16_000)
    chunk = samples[int(start * 16_000) : int(end * 16_000)]
    return float(np.sqrt(np.mean(np.square(chunk))))


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (amr_nb, "memo.amr"),
        (wma, "memo.wma"),
        (hevc_mov, "IMG_0001.MOV"),
        (mpeg4_avi, "MOV00001.AVI"),
    ],
    ids=["amr", "wma", "hevc-mov", "mpeg4-avi"],
)
def test_a_span_is_silenced_in_the_original_and_its_copy_and_nowhere_else(
    tmp_path: Path, make: Callable[[Path, Path], Path], name: str
) -> None:
    original = make(tmp_path / name, KENNEDY)
    before = probe(original, max_duration=3600)
    copy = tmp_path / "copy.mp4"
    make_playable_copy(original, copy, before, FFMPEG)

    silence_spans([original, copy], [SPAN], FFMPEG)

    for path in (original, copy):
        assert loudness(path, SPAN[0] + 0.05, SPAN[1] - 0.05) < 1e-3, path.name
        assert loudness(path, 0.5, SPAN[0] - 0.1) > 0.01, path.name
        assert loudness(path, SPAN[1] + 1.0, SPAN[1] + 3.0) > 0.01, path.name
    after = probe(original, max_duration=3600)
    assert (after.container, after.audio_codec, after.video_codec) == (
        before.container, before.audio_codec, before.video_codec,
    )  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "copy.mp4"])


def test_when_one_file_cannot_be_silenced_every_file_stays_as_it_was(tmp_path: Path) -> None:
    original = amr_nb(tmp_path / "memo.amr", KENNEDY)
    kept = original.read_bytes()
    damaged = tmp_path / "copy.mp4"
    damaged.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)

    with pytest.raises(MediaError) as refused:
        silence_spans([original, damaged], [SPAN], FFMPEG)

    assert refused.value.code == "redaction_failed"
    assert "nothing was redacted" in refused.value.reason
    assert original.read_bytes() == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.mp4", "memo.amr"]
