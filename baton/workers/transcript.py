"""Values that cross from the workers to the service: words, segments, transcripts, passages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One recognised word with its time in the recording, in seconds."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of speech as the recogniser cut it."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    speaker: str | None = None
    """The speaker's label within the recording (``S1``, ``S2``…), once speakers are found."""


@dataclass(frozen=True)
class Transcript:
    """A whole recording's speech, and the language it was spoken in."""

    language: str
    language_probability: float
    duration: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Passage:
    """A searchable stretch of a recording: whole sentences, roughly 40 to 120 words."""

    position: int
    start: float
    end: float
    text: str
    language: str
    words: tuple[Word, ...]

    @property
    def word_count(self) -> int:
        return len(self.words) if self.words else len(self.text.split())
