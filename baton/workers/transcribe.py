"""Turn decoded audio into a transcript with word timings, reporting progress as it goes.

Two ways to use several cores, chosen by ``TranscribeOptions`` (see BENCHMARKS.md for what
each costs in accuracy):
- ``parallel_parts`` > 1: cut the audio at its quietest moments into parts and run the
  ordinary sequential decoder on that many parts at once, each in its own thread. Each part
  keeps Whisper's conditioning on its own previous text, which is what keeps the word error
  rate down. A long recording is cut into parts of at most ``max_part_seconds``: what a
  decode holds in memory (its samples, features, the speech it keeps) is then one part's,
  whatever the length (BENCHMARKS.md, "Ingest memory": a 36-minute recording in four parts
  had the word error rate it had in two; priming each part with the words before it, as one
  long decode would have, raised the rate by 0.02).
- ``batch_size`` > 0: faster-whisper's ``BatchedInferencePipeline``, which decodes
  voice-activity chunks side by side without that conditioning.
"""

from __future__ import annotations

import contextvars
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
from faster_whisper.transcribe import Segment as WhisperSegment
from faster_whisper.transcribe import TranscriptionInfo

from baton.models.speech import SpeechModel
from baton.workers.gaps import skipped_speech, stretched
from baton.workers.media import SAMPLE_RATE, AudioArray
from baton.workers.transcript import Segment, Transcript, Word, join_words

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]
PartDone = Callable[[list[Segment]], None]

# A cut between parts is placed in the quietest 0.4 s within this many seconds of the even split.
_CUT_SEARCH_SECONDS = 20.0
_FRAMES_PER_SECOND = 50


@dataclass(frozen=True)
class TranscribeOptions:
    """How to decode; the defaults are Baton's measured choice for 2 CPU cores."""

    beam_size: int = 5
    best_of: int = 2
    no_repeat_ngram_size: int = 6
    batch_size: int = 0
    parallel_parts: int = 2
    max_part_seconds: float = 600.0
    condition_on_previous_text: bool = True
    vad_parameters: dict[str, Any] = field(default_factory=dict)
    initial_prompt: str | None = None
    hotwords: str | None = None
    fill_gaps: bool = True


class NoSpeechFound(ValueError):
    """The recording decoded, but the recogniser heard no words in it."""


def transcribe(
    audio: AudioArray,
    model: SpeechModel,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
    on_part_done: PartDone | None = None,
) -> Transcript:
    """Transcribe 16 kHz mono samples; ``on_progress`` gets the fraction of audio done.

    ``on_part_done`` gets each part's segments (in recording seconds) as soon as that part is
    done, in that part's thread: the core of a part that finishes first is free for work on
    what it found while the others go on.
    """
    duration = len(audio) / SAMPLE_RATE
    progress = _SharedProgress(duration, on_progress)
    if options.batch_size > 0:
        pieces, info = model.batched.transcribe(
            audio, batch_size=options.batch_size, **_decoder_options(options)
        )
        segments = _collect(pieces, 0.0, progress.part(0))
        if on_part_done is not None:
            on_part_done(segments)
    else:
        cuts = split_at_pauses(audio, part_count(duration, options))
        parts = [(a / SAMPLE_RATE, audio[a:b]) for a, b in pairwise(cuts)]
        # Each part's thread runs in a copy of this context, so its log lines name the job.
        contexts = [contextvars.copy_context() for _ in parts]

        def run_part(number: int) -> tuple[list[Segment], TranscriptionInfo]:
            offset, samples = parts[number]
            return contexts[number].run(
                _transcribe_part,
                model,
                options,
                offset,
                samples,
                progress.part(number),
                on_part_done,
            )

        at_once = max(1, min(options.parallel_parts, len(parts)))
        with ThreadPoolExecutor(at_once, thread_name_prefix="transcribe") as pool:
            results = list(pool.map(run_part, range(len(parts))))
        segments = [segment for part_segments, _ in results for segment in part_segments]
        info = results[0][1]
    if not segments:
        raise NoSpeechFound(
            "No speech was found in this recording: it is silent or holds only noise or music. "
            "Check the microphone was on, then upload a recording with people talking."
        )
    if on_progress is not None:
        on_progress(1.0)
    return Transcript(info.language, info.language_probability, duration, tuple(segments))


def split_at_pauses(audio: AudioArray, parts: int) -> list[int]:
    """Sample indices cutting ``audio`` into ``parts`` near-equal pieces, each cut placed in
    the quietest 0.4 s near the even split, so that no word is cut in two."""
    frame = SAMPLE_RATE // _FRAMES_PER_SECOND
    frames = len(audio) // frame
    if parts <= 1 or frames < parts * _FRAMES_PER_SECOND * 60:
        return [0, len(audio)]  # under a minute a part: one decoder is as fast
    quiet = np.convolve(_frame_loudness(audio, frames), np.ones(20) / 20, mode="same")
    reach = int(_CUT_SEARCH_SECONDS * _FRAMES_PER_SECOND)
    cuts = [0]
    for n in range(1, parts):
        centre = n * frames // parts
        low, high = max(0, centre - reach), min(frames, centre + reach)
        cuts.append((low + int(np.argmin(quiet[low:high]))) * frame)
    return [*cuts, len(audio)]


def _frame_loudness(audio: AudioArray, frames: int) -> npt.NDArray[np.float32]:
    """RMS of each 20 ms frame, a minute at a time (never a copy of the whole recording)."""
    frame = SAMPLE_RATE // _FRAMES_PER_SECOND
    block = 60 * _FRAMES_PER_SECOND
    rms = np.empty(frames, dtype=np.float32)
    for first in range(0, frames, block):
        last = min(frames, first + block)
        chunk = np.asarray(audio[first * frame : last * frame]).reshape(last - first, frame)
        rms[first:last] = np.sqrt(np.mean(chunk**2, axis=1))
    return rms


def part_count(duration: float, options: TranscribeOptions) -> int:
    """As many parts as are decoded at once, or more where a part would be longer than
    ``max_part_seconds``: a whole number of parts for each thread, none under a minute."""
    sides = max(1, options.parallel_parts)
    wanted = sides * max(1, math.ceil(duration / sides / options.max_part_seconds))
    return max(1, min(wanted, int(duration // 60)))


def _decoder_options(options: TranscribeOptions) -> dict[str, Any]:
    chosen: dict[str, Any] = {
        "beam_size": options.beam_size,
        "best_of": options.best_of,
        "no_repeat_ngram_size": options.no_repeat_ngram_size,
        "condition_on_previous_text": options.condition_on_previous_text,
        "word_timestamps": True,
        "vad_filter": True,
        "initial_prompt": options.initial_prompt,
        "hotwords": options.hotwords,
    }
    if options.vad_parameters:
        chosen["vad_parameters"] = options.vad_parameters
    return chosen


def _transcribe_part(
    model: SpeechModel,
    options: TranscribeOptions,
    offset: float,
    audio: AudioArray,
    on_progress: ProgressCallback,
    on_done: PartDone | None,
) -> tuple[list[Segment], TranscriptionInfo]:
    began = time.perf_counter()
    pieces, info = model.whisper.transcribe(audio, **_decoder_options(options))
    segments = _collect(pieces, 0.0, on_progress)
    if options.fill_gaps:
        segments = fill_skipped_speech(model, options, audio, segments)
    log.info(
        "part from %.1f s: %.1f s of audio transcribed in %.1f s",
        offset,
        len(audio) / SAMPLE_RATE,
        time.perf_counter() - began,
    )
    segments = [_shifted(segment, offset) for segment in segments]
    if on_done is not None:
        on_done(segments)
    return segments, info


def fill_skipped_speech(
    model: SpeechModel, options: TranscribeOptions, audio: AudioArray, segments: list[Segment]
) -> list[Segment]:
    """Decode again, each on its own and without the previous text, the stretches of speech
    the first pass skipped (see ``gaps.py``), and weave what they say in where it was said.

    ``segments`` are in ``audio``'s own seconds.
    """
    words = [(w.start, w.end) for segment in segments for w in segment.words]
    gaps = skipped_speech(audio, words)
    if not gaps:
        return segments
    redo = replace(options, condition_on_previous_text=False, initial_prompt=None)
    found: list[Segment] = []
    for start, end in gaps:
        first = int(start * SAMPLE_RATE)
        piece = audio[first : int(end * SAMPLE_RATE)]
        pieces, _ = model.whisper.transcribe(piece, **_decoder_options(redo))
        found += [_shifted(s, start) for s in _collect(pieces, 0.0, lambda _: None)]
    log.info(
        "re-decoded %d skipped stretch(es), %.1f s of speech: %d segment(s) recovered",
        len(gaps),
        sum(end - start for start, end in gaps),
        len(found),
    )
    opened: list[Segment] = []
    for segment in segments:
        holds_found = any(segment.start < piece.start < segment.end for piece in found)
        opened += _split_after_stretched_words(segment) if holds_found else [segment]
    return sorted([*opened, *found], key=lambda s: s.start)


def _split_after_stretched_words(segment: Segment) -> list[Segment]:
    """Cut a segment after each word the aligner stretched over skipped speech, so that what
    was recovered from that speech reads between the words on either side of it."""
    parts: list[list[Word]] = [[]]
    for word in segment.words:
        parts[-1].append(word)
        if stretched((word.start, word.end)):
            parts.append([])
    parts = [words for words in parts if words]
    if len(parts) == 1:
        return [segment]
    return [
        replace(
            segment,
            start=segment.start if n == 0 else words[0].start,
            end=segment.end if n == len(parts) - 1 else words[-1].end,
            text=join_words(w.text for w in words),
            words=tuple(words),
        )
        for n, words in enumerate(parts)
    ]


def _shifted(segment: Segment, offset: float) -> Segment:
    if not offset:
        return segment
    return Segment(
        _seconds(segment.start + offset),
        _seconds(segment.end + offset),
        segment.text,
        tuple(
            Word(_seconds(w.start + offset), _seconds(w.end + offset), w.text, w.probability)
            for w in segment.words
        ),
    )


class _SharedProgress:
    """Adds up the seconds each part has done into one fraction of the whole recording."""

    def __init__(self, duration: float, report: ProgressCallback | None) -> None:
        self.duration = duration
        self.report = report
        self.done: dict[int, float] = {}
        self.lock = threading.Lock()

    def part(self, number: int) -> ProgressCallback:
        def on_part_progress(seconds_done: float) -> None:
            if self.report is None or self.duration <= 0:
                return
            with self.lock:
                self.done[number] = seconds_done
                fraction = min(sum(self.done.values()) / self.duration, 1.0)
                self.report(fraction)

        return on_part_progress


def _collect(
    pieces: Iterable[WhisperSegment], offset: float, on_progress: ProgressCallback
) -> list[Segment]:
    """Our segments from faster-whisper's, shifted by the part's ``offset`` in seconds."""
    segments = []
    for piece in pieces:
        text = piece.text.strip()
        if not text:
            continue
        words = tuple(
            Word(
                _seconds(offset + w.start),
                _seconds(offset + w.end),
                w.word.strip(),
                round(float(w.probability), 4),
            )
            for w in piece.words or ()
        )
        segments.append(
            Segment(_seconds(offset + piece.start), _seconds(offset + piece.end), text, words)
        )
        on_progress(piece.end)
    return segments


def _seconds(value: float) -> float:
    """Millisecond precision as a plain float (faster-whisper hands out numpy floats)."""
    return round(float(value), 3)
