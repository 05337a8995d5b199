"""Cut a transcript into passages: whole sentences, roughly 40 to 120 words each.

A passage is what search returns, so it should hold one answer and be short enough to land
the listener near it: sentences are never split unless one alone is longer than the maximum.

Where the cuts fall is luck: an answer may straddle two passages and be half in each. So search
also indexes shifted cuts (``search_windows``): the same rule applied from a quarter, a half
and three quarters of the way into the first passage, so that every stretch of speech lies
whole in one of them. The passages proper (phase 0) are what tags, goals and topics use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from baton.workers.transcript import Passage, Segment, Transcript, Word, join_words

_SENTENCE_END = (".", "?", "!")


@dataclass(frozen=True)
class Sentence:
    """Words that end at sentence punctuation (or at a segment's end), from one segment."""

    start: float
    end: float
    words: tuple[Word, ...]
    segment: int
    """The position of the segment it comes from."""

    @property
    def size(self) -> int:
        return len(self.words)

    @property
    def text(self) -> str:
        return join_words(word.text for word in self.words)


def cut_passages(
    transcript: Transcript, *, min_words: int = 40, max_words: int = 120
) -> list[Passage]:
    """Group the transcript's sentences greedily into passages of ``min_words``..``max_words``."""
    groups: list[list[Sentence]] = []
    current: list[Sentence] = []
    for sentence in sentences(transcript.segments, max_words):
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


def sentences(segments: Sequence[Segment], max_words: int = 120) -> list[Sentence]:
    """Split at sentence punctuation and at segment ends; cap any one sentence at max_words."""
    found: list[Sentence] = []
    for number, segment in enumerate(segments):
        words = segment.words or _words_without_timings(segment)
        pending: list[Word] = []
        for word in words:
            pending.append(word)
            if word.text.endswith(_SENTENCE_END) or len(pending) >= max_words:
                found.append(Sentence(pending[0].start, pending[-1].end, tuple(pending), number))
                pending = []
        if pending:
            found.append(Sentence(pending[0].start, pending[-1].end, tuple(pending), number))
    return found


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


def _passage(position: int, group: list[Sentence], language: str) -> Passage:
    words = tuple(word for sentence in group for word in sentence.words)
    text = join_words(word.text for word in words)
    return Passage(position, group[0].start, group[-1].end, text, language, words)


def search_windows(
    transcript: Transcript,
    passages: Sequence[Passage],
    phases: int,
    *,
    min_words: int = 40,
    max_words: int = 120,
) -> list[tuple[int, Passage]]:
    """The shifted cuts for phases 1..``phases``-1, as (phase, passage) pairs.

    Phase ``i`` cuts the speech that starts after ``i/phases`` of the first passage with the
    passages' own rule; a window with the same span as a passage or an earlier window is left
    out. Positions continue after the passages', so each stays unique in the recording.
    """
    if phases < 2 or not passages:
        return []
    first = passages[0]
    seen = {(p.start, p.end) for p in passages}
    windows: list[tuple[int, Passage]] = []
    position = max(p.position for p in passages) + 1
    for phase in range(1, phases):
        shift = first.start + phase / phases * (first.end - first.start)
        shifted = replace(transcript, segments=_from(transcript.segments, shift))
        for window in cut_passages(shifted, min_words=min_words, max_words=max_words):
            if (window.start, window.end) in seen:
                continue
            seen.add((window.start, window.end))
            windows.append((phase, replace(window, position=position)))
            position += 1
    return windows


def _from(segments: Sequence[Segment], moment: float) -> tuple[Segment, ...]:
    """The speech from ``moment`` on: later segments whole, the one it falls in trimmed to
    its words from there (a segment without word timings is kept only if it starts later)."""
    kept: list[Segment] = []
    for segment in segments:
        if segment.start >= moment:
            kept.append(segment)
        elif segment.end > moment and segment.words:
            words = tuple(w for w in segment.words if w.start >= moment)
            if words:
                text = join_words(w.text for w in words)
                kept.append(replace(segment, start=words[0].start, text=text, words=words))
    return tuple(kept)
