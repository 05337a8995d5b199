"""Finding skipped speech: what voice activity says was spoken but no word covers."""

from __future__ import annotations

import numpy as np

from baton.workers.gaps import Span, skipped_speech, speech_spans, uncovered_speech
from baton.workers.media import SAMPLE_RATE, decode_audio
from tests.conftest import CORPUS, SPEECH


def spoken(start: float, end: float) -> list[Span]:
    """Words said from ``start`` to ``end``: one a second, each 0.4 s long."""
    starts = [*np.arange(start, end - 0.4, 1.0).round(3).tolist(), end - 0.4]
    return [(first, round(first + 0.4, 3)) for first in starts]


def test_speech_no_word_reaches_for_long_enough_is_a_gap() -> None:
    speech = [(0.0, 30.0), (40.0, 45.0)]
    words = spoken(0.5, 9.0) + spoken(21.0, 29.5)

    assert uncovered_speech(speech, words) == [(9.6, 20.4), (40.0, 45.0)]


def test_a_word_stretched_over_skipped_speech_covers_only_its_ends() -> None:
    speech = [(0.0, 20.0)]
    # The aligner gave the word before the skip all of the skipped speech's time.
    words = [*spoken(0.5, 5.0), (5.2, 14.0), *spoken(14.2, 19.5)]

    assert uncovered_speech(speech, words) == [(5.8, 13.4)]


def test_short_uncovered_stretches_and_covered_speech_are_not_gaps() -> None:
    speech = [(0.0, 10.0), (12.0, 14.0)]
    words = spoken(0.2, 3.0) + spoken(5.5, 9.9)

    assert uncovered_speech(speech, words) == []
    assert uncovered_speech([], words) == []


def test_voice_activity_finds_the_speech_in_a_real_clip_and_none_in_silence() -> None:
    audio = decode_audio(SPEECH / "jfk.flac")
    silence = np.zeros(SAMPLE_RATE * 5, dtype=np.float32)

    spans = speech_spans(audio)

    assert spans and spans[0][0] < 1.0 and spans[-1][1] > 9.0
    assert speech_spans(silence) == []


def test_skipped_speech_runs_voice_activity_only_where_no_word_is_and_finds_the_same() -> None:
    audio = decode_audio(CORPUS / "audio" / "s04.ogg")[: SAMPLE_RATE * 60]
    # Words over the first 15 s and the last 10 s: the 35 s between were skipped.
    words = spoken(0.3, 15.0) + spoken(50.0, 59.5)

    gaps = skipped_speech(audio, words)

    assert gaps == uncovered_speech(speech_spans(audio), words)
    assert gaps and gaps[0][0] == 15.6 and gaps[-1][1] == 49.4
    assert skipped_speech(audio, spoken(0.0, 60.0)) == []
