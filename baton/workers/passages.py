"""Cut a transcript into passages: whole sentences, roughly 40 to 120 words each.

A passage is what search returns, so it should hold one answer and be short enough to land
the listener near it: sentences are never split unless one alone is longer than the maximum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from baton.workers.transcript import Passage, Segment, Transcript, Word

_SENTENCE_END = (".", "?", "!")


@dataclass(frozen=True)
class _Sentence:
    start: float
    end: float
    words: tuple[Word, ...]

    @property
    def size(self) -> int:
        return len(self.words)


def cut_passages(
    transcript: Transcript, *, min_words: int = 40, max_words: int = 120
) -> list[Passage]:
    """Group the transcript's sentences greedily into passages of ``min_words``..``max_words``."""
    groups: list[list[_Sentence]] = []
    current: list[_Sentence] = []
    for sentence in _sentences(transcript.segments, max_words):
        size = sum(s.size for s in current)
        if current and size >= min_words and size + sentence.size > max_words:
            groups.append(current)
            current = []
        current.append(sentence)
    if current:
        tail = sum(s.size for s in current)
        if groups and tail < min_words // 2:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return [_passage(i, group, transcript.language) for i, group in enumerate(groups)]


def _sentences(segments: Sequence[Segment], max_words: int) -> list[_Sentence]:
    """Split at sentence punctuation and at segment ends; cap any one sentence at max_words."""
    sentences: list[_Sentence] = []
    for segment in segments:
        words = segment.words or _words_without_timings(segment)
        pending: list[Word] = []
        for word in words:
            pending.append(word)
            if word.text.endswith(_SENTENCE_END) or len(pending) >= max_words:
                sentences.append(_Sentence(pending[0].start, pending[-1].end, tuple(pending)))
                pending = []
        if pending:
            sentences.append(_Sentence(pending[0].start, pending[-1].end, tuple(pending)))
    return sentences


def _words_without_timings(segment: Segment) -> tuple[Word, ...]:
    """Spread a segment's time evenly over its words when the recogniser gave no timings."""
    tokens = segment.text.split()
    if not tokens:
        return ()
    step = (segment.end - segment.start) / len(tokens)
    return tuple(
        Word(segment.start + i * step, segment.start + (i + 1) * step, token, 0.0)
        for i, token in enumerate(tokens)
    )


def _passage(position: int, group: list[_Sentence], language: str) -> Passage:
    words = tuple(word for sentence in group for word in sentence.words)
    text = " ".join(word.text for word in words)
    return Passage(position, group[0].start, group[-1].end, text, language, words)
