"""Values that cross from the workers to the service: words, segments, transcripts, passages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Whisper splits "1,640" into the tokens "1" and ",640", "0.5" into "0" and ".5", "pre-heat"
# into "pre" and "-heat"; a word that starts with one of these marks continues the one before.
_CONTINUES = re.compile(r"^[,.\-'%)/:]")


def join_words(words: Iterable[str]) -> str:
    """The text that words make, spaced as they were spoken: "1" + ",640" reads "1,640".

    Words are stored without Whisper's leading space, so a plain space join would write
    "1 ,640", which neither a reader nor the keyword index takes for the number.
    """
    parts: list[str] = []
    for word in words:
        word = word.strip()
        if word:
            parts.append(word if not parts or _CONTINUES.match(word) else f" {word}")
    return "".join(parts)


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
