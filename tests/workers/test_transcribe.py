"""Transcription with the real bundled tiny.en model on real speech."""

from __future__ import annotations

import re

import numpy as np
import pytest

from baton.service.runtime import ModelSet
from baton.workers.media import decode_audio
from baton.workers.transcribe import (
    NoSpeechFound,
    TranscribeOptions,
    fill_skipped_speech,
    part_count,
    split_at_pauses,
    transcribe,
)
from baton.workers.transcript import Segment, Word
from tests.conftest import SPEECH


def _plain(text: str) -> str:
    return re.sub(r"[^a-z ]", "", text.lower())


@pytest.mark.parametrize("batch_size", [0, 8], ids=["parts", "batched"])
def test_jfk_transcript_contains_the_famous_line(models: ModelSet, batch_size: int) -> None:
    audio = decode_audio(SPEECH / "jfk.flac")
    seen: list[float] = []
    transcript = transcribe(
        audio, models.speech, TranscribeOptions(batch_size=batch_size), seen.append
    )
    text = _plain(" ".join(segment.text for segment in transcript.segments))
    assert "ask not what your country can do for you" in text
    assert transcript.language == "en"
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    words = [word for segment in transcript.segments for word in segment.words]
    assert words and all(0 <= w.start <= w.end <= 11.1 for w in words)


def test_silence_is_reported_as_no_speech(models: ModelSet) -> None:
    silence = np.zeros(16_000 * 5, dtype=np.float32)
    with pytest.raises(NoSpeechFound, match="No speech was found"):
        transcribe(silence, models.speech, TranscribeOptions(batch_size=0))


def test_parallel_parts_are_cut_in_a_pause_and_keep_recording_time(models: ModelSet) -> None:
    speech = decode_audio(SPEECH / "jfk.flac")
    pause = np.zeros(16_000 * 55, dtype=np.float32)
    audio = np.concatenate([speech, pause, speech, pause])
    cuts = split_at_pauses(audio, 2)
    assert len(cuts) == 3 and 11 * 16_000 < cuts[1] < 66 * 16_000
    transcript = transcribe(audio, models.speech, TranscribeOptions(parallel_parts=2))
    starts = [s.start for s in transcript.segments if "ask not" in _plain(s.text)]
    assert len(starts) == 2
    assert starts[0] < 2 and 65 <= starts[1] <= 68, starts
    words = [w.start for s in transcript.segments for w in s.words]
    assert words == sorted(words)


def test_short_audio_is_not_split() -> None:
    assert split_at_pauses(np.zeros(16_000 * 30, dtype=np.float32), 2) == [0, 16_000 * 30]


def test_skipped_speech_is_decoded_again_and_read_where_it_was_said(models: ModelSet) -> None:
    audio = decode_audio(SPEECH / "jfk.flac")
    # A first pass that heard "And so" and "country." and jumped over all between; the aligner
    # stretched "so" over the skipped speech, as it does.
    words = (
        Word(0.3, 0.6, "And", 0.9),
        Word(0.6, 9.8, "so", 0.9),
        Word(10.0, 10.6, "country.", 0.9),
    )
    skipped = [Segment(0.0, 11.0, "And so country.", words)]

    segments = fill_skipped_speech(models.speech, TranscribeOptions(), audio, skipped)

    text = _plain(" ".join(segment.text for segment in segments))
    assert text.startswith("and so ") and text.endswith(" country")
    assert "ask not what your country can do for you" in text
    starts = [word.start for segment in segments for word in segment.words]
    assert starts == sorted(starts)


def test_long_audio_is_cut_into_parts_no_longer_than_the_limit() -> None:
    options = TranscribeOptions(parallel_parts=2, max_part_seconds=600)
    assert part_count(9 * 60, options) == 2  # a corpus session: one part a thread, as before
    assert part_count(60 * 60, options) == 6
    assert part_count(90, options) == 1  # none under a minute
    assert part_count(6 * 3600, options) == 36


def test_parts_beyond_the_threads_are_decoded_in_turn_and_keep_recording_time(
    models: ModelSet,
) -> None:
    speech = decode_audio(SPEECH / "jfk.flac")
    pause = np.zeros(16_000 * 52, dtype=np.float32)
    audio = np.concatenate([speech, pause, speech, pause, speech, pause])  # three minutes
    options = TranscribeOptions(parallel_parts=2, max_part_seconds=60, fill_gaps=False)
    done: list[list[Segment]] = []
    seen: list[float] = []

    transcript = transcribe(audio, models.speech, options, seen.append, done.append)

    assert len(done) == 3  # three parts of a minute, two decoded at a time
    starts = [s.start for s in transcript.segments if "ask not" in _plain(s.text)]
    assert len(starts) == 3, starts
    assert starts[0] < 2 and 62 <= starts[1] <= 66 and 125 <= starts[2] <= 129, starts
    words = [w.start for s in transcript.segments for w in s.words]
    assert words == sorted(words)
    assert seen[-1] == 1.0
