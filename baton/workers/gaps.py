"""Find the stretches of speech a decoder skipped, so they can be decoded again on their own.

Whisper sometimes ends a 30-second window with a timestamp well before the window's end and
the decoder jumps past the rest: on the corpus a part of a session could lose 100-290 words
this way (two minutes of speech), more than every other error together. Voice-activity
detection says where people spoke; any stretch of it longer than ``MIN_GAP_SECONDS`` with no
transcribed word in it was skipped, and is worth a second, context-free decode. Two things
hide a skip from a plain look: the speech skipped has pauses in it, and the aligner stretches
the word before or after the skip over it (a 7-second "time" in s01). So speech is taken
whole across short pauses, and a word too long to be one vouches only for its two ends.

Voice activity is the costly part (about 0.7 s per four minutes of audio on one core, 3-4% of
a first pass), so it runs only where it can find something: over the stretches no word reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from faster_whisper.vad import VadOptions, get_speech_timestamps

from baton.workers.media import SAMPLE_RATE, AudioArray

Span = tuple[float, float]

# Shorter uncovered speech is usually a breath, a cough or a word VAD padded generously.
MIN_GAP_SECONDS = 4.0
# Voice activity cuts speech at every half-second pause; a skip runs on through such pauses.
PAUSE_WITHIN_SPEECH_SECONDS = 1.0
# A word "covers" this much audio either side of its own timing.
WORD_REACH_SECONDS = 0.6
# No word takes longer to say. A longer timing is the aligner stretching a word over speech
# the decoder skipped (s01: "time" from 523.7 s to 530.7 s, over a whole skipped sentence),
# so such a word covers only the audio around its two ends.
MAX_WORD_SECONDS = 2.0
# Voice activity looks this far beyond a word-free stretch, so that its edges are judged with
# the sound around them, as they would be over the whole recording.
_CONTEXT_SECONDS = 1.0
_VAD_FRAME = 512  # samples per Silero decision at 16 kHz


def skipped_speech(audio: AudioArray, words: Sequence[Span]) -> list[Span]:
    """Speech in ``audio`` that no word of ``words`` reaches for ``MIN_GAP_SECONDS`` or more.

    The same answer as ``uncovered_speech(speech_spans(audio), words)``, with voice activity
    run only over the word-free stretches (plus a little context) instead of all the audio.
    """
    duration = len(audio) / SAMPLE_RATE
    speech: list[Span] = []
    for start, end in uncovered_speech([(0.0, duration)], words):
        # On the detector's own frame grid, so that its frames are those of a whole-audio run.
        first = max(0, int((start - _CONTEXT_SECONDS) * SAMPLE_RATE) // _VAD_FRAME * _VAD_FRAME)
        clip = audio[first : int((end + _CONTEXT_SECONDS) * SAMPLE_RATE)]
        offset = first / SAMPLE_RATE
        speech += [(offset + a, offset + b) for a, b in speech_spans(clip)]
    return uncovered_speech(speech, words)


def speech_spans(audio: AudioArray) -> list[Span]:
    """Where people speak, in seconds (Silero VAD as faster-whisper runs it)."""
    chunks = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=500))
    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in chunks]


def uncovered_speech(
    speech: Iterable[Span], words: Iterable[Span], min_gap: float = MIN_GAP_SECONDS
) -> list[Span]:
    """Parts of ``speech`` no word reaches, at least ``min_gap`` seconds long, in order."""
    covered = _merged(
        (start - WORD_REACH_SECONDS, end + WORD_REACH_SECONDS)
        for word in words
        for start, end in _plausible(word)
    )
    gaps: list[Span] = []
    for start, end in _merged(speech, within=PAUSE_WITHIN_SPEECH_SECONDS):
        cursor = start
        for c_start, c_end in covered:
            if c_end <= cursor or c_start >= end:
                continue
            if c_start - cursor >= min_gap:
                gaps.append((cursor, c_start))
            cursor = max(cursor, c_end)
        if end - cursor >= min_gap:
            gaps.append((cursor, end))
    return gaps


def stretched(word: Span) -> bool:
    """Whether a word's timing is too long to be one word: the aligner spread it over speech
    the decoder skipped."""
    start, end = word
    return end - start > MAX_WORD_SECONDS


def _plausible(word: Span) -> list[Span]:
    """The audio a word's timing vouches for: all of it, or only its two ends if stretched."""
    start, end = word
    return [(start, start), (end, end)] if stretched(word) else [word]


def _merged(spans: Iterable[Span], within: float = 0.0) -> list[Span]:
    """The union of ``spans``, also joining those at most ``within`` seconds apart."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] <= within:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
