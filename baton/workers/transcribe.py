"""Turn decoded audio into a transcript with word timings, reporting progress as it goes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from faster_whisper.transcribe import Segment as WhisperSegment

from baton.models.speech import SpeechModel
from baton.workers.media import SAMPLE_RATE, AudioArray
from baton.workers.transcript import Segment, Transcript, Word

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True)
class TranscribeOptions:
    """How to decode. ``batch_size`` 0 selects faster-whisper's sequential ``transcribe()``;
    more selects ``BatchedInferencePipeline``, which decodes voice-activity chunks in parallel.
    """

    beam_size: int = 5
    batch_size: int = 8
    condition_on_previous_text: bool = True
    vad_parameters: dict[str, Any] = field(default_factory=dict)
    initial_prompt: str | None = None
    hotwords: str | None = None


class NoSpeechFound(ValueError):
    """The recording decoded, but the recogniser heard no words in it."""


def transcribe(
    audio: AudioArray,
    model: SpeechModel,
    options: TranscribeOptions,
    on_progress: ProgressCallback | None = None,
) -> Transcript:
    """Transcribe 16 kHz mono samples; ``on_progress`` gets the fraction of audio done."""
    duration = len(audio) / SAMPLE_RATE
    common: dict[str, Any] = {
        "beam_size": options.beam_size,
        "word_timestamps": True,
        "vad_filter": True,
        "initial_prompt": options.initial_prompt,
        "hotwords": options.hotwords,
    }
    if options.vad_parameters:
        common["vad_parameters"] = options.vad_parameters
    if options.batch_size > 0:
        pieces, info = model.batched.transcribe(
            audio,
            batch_size=options.batch_size,
            condition_on_previous_text=options.condition_on_previous_text,
            **common,
        )
    else:
        pieces, info = model.whisper.transcribe(
            audio, condition_on_previous_text=options.condition_on_previous_text, **common
        )
    segments = _collect(pieces, duration, on_progress)
    if not any(segment.text for segment in segments):
        raise NoSpeechFound(
            "No speech was found in this recording: it is silent or holds only noise or music. "
            "Check the microphone was on, then upload a recording with people talking."
        )
    if on_progress is not None:
        on_progress(1.0)
    return Transcript(info.language, info.language_probability, duration, tuple(segments))


def _collect(
    pieces: Iterable[WhisperSegment], duration: float, on_progress: ProgressCallback | None
) -> list[Segment]:
    segments = []
    for piece in pieces:
        text = piece.text.strip()
        if not text:
            continue
        words = tuple(
            Word(_seconds(w.start), _seconds(w.end), w.word.strip(), round(float(w.probability), 4))
            for w in piece.words or ()
        )
        segments.append(Segment(_seconds(piece.start), _seconds(piece.end), text, words))
        if on_progress is not None and duration > 0:
            on_progress(min(piece.end / duration, 1.0))
    return segments


def _seconds(value: float) -> float:
    """Millisecond precision as a plain float (faster-whisper hands out numpy floats)."""
    return round(float(value), 3)
