"""Where in a passage the answer is: the passage's sentences, each with the start of the
speaker's turn it belongs to, and where to start playing for one of them.

A passage is what search ranks and shows (40-120 words, 15-45 s); a new starter wants to hear
the answer, not its lead-up. Every sentence is embedded on its own at ingest, and at search
time the sentence of a hit closest in meaning to the question is its answer, unless that
sentence is itself a question someone asked in the session: then it is the reply after it.
The player starts where that speaker's turn begins, when it began shortly before: an answer's
first sentences often restate the question in other words before the one that holds what was
asked for (``bench/answer_levers.py`` measured the rules; BENCHMARKS.md, "Landing").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from baton.workers.passages import sentences
from baton.workers.transcript import Segment


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence of a transcript, and where the turn of the person saying it began."""

    start: float
    end: float
    turn_start: float
    text: str


def spoken_sentences(segments: Sequence[Segment]) -> list[SpokenSentence]:
    """Every sentence of ``segments``, in order.

    A turn is a run of segments given to one speaker; a segment whose speaker is not known
    is a turn of its own (the recogniser cuts segments at pauses, often where turns change).
    """
    turn_starts = _turn_starts(segments)
    return [
        SpokenSentence(s.start, s.end, min(turn_starts[s.segment], s.start), s.text)
        for s in sentences(segments)
    ]


def answering(sentences: Sequence[SpokenSentence], similarity: Sequence[float]) -> int:
    """Which of a hit's ``sentences`` (in order) answers, given each one's similarity to the
    question: the closest, or the sentence after it where the closest asks a question."""
    best = max(range(len(sentences)), key=lambda n: similarity[n])
    if sentences[best].text.rstrip().endswith("?") and best + 1 < len(sentences):
        return best + 1
    return best


def play_from(sentence: SpokenSentence, reach: float) -> float:
    """Where to start playing for an answer in ``sentence``: where its speaker's turn began,
    when that was at most ``reach`` seconds before the sentence, or else the sentence itself."""
    if sentence.start - sentence.turn_start <= reach:
        return sentence.turn_start
    return sentence.start


def _turn_starts(segments: Sequence[Segment]) -> list[float]:
    starts: list[float] = []
    for number, segment in enumerate(segments):
        begins = segment.words[0].start if segment.words else segment.start
        before = segments[number - 1].speaker if number else None
        starts.append(
            starts[-1] if segment.speaker is not None and segment.speaker == before else begins
        )
    return starts
