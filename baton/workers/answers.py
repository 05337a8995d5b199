"""Where in a passage the answer is: the passage's sentences, each with the start of the
speaker's turn it belongs to, and where to start playing for one of them.

A passage is what search ranks and shows (40-120 words, 15-45 s); a new starter wants to hear
the answer, not its lead-up. Every sentence is embedded on its own at ingest, and at search
time the sentence of a hit closest in meaning to the question is its answer, with three
corrections for how a mentoring session talks (``Landing`` names them). The player starts where
that speaker's turn begins, when it began shortly before: an answer's first sentences often
restate the question in other words before the one that holds what was asked for
(``bench/answer_levers.py`` measured the rules; BENCHMARKS.md, "Landing").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from baton.models.keyword_text import keyword_text
from baton.workers.passages import sentences
from baton.workers.transcript import Segment

_ASKS_FOR_A_QUANTITY = re.compile(
    r"(?:^|,\s*(?:and\s+)?(?:at|for|by|in|to)?\s*)"
    r"(?:how (?:many|much|long|often|far|hot|warm|cold|quick|quickly|fast|thick|thin|big|heavy"
    r"|high|low|soon|tight|wide|deep|old)\b"
    r"|what (?:temperature|flow|pressure|speed|size|torque|percentage|rate|reading|gap|weight"
    r"|time|number)\b)",
    re.IGNORECASE,
)
"""The question's own wh-phrase (at its start, or after a leading clause: "When it comes back
from hardening, how many hours…") asks for an amount; "which gauge tells how thick…" does not."""

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Landing:
    """How the answer inside a hit is chosen, and where it plays from (settings
    ``search_answer_*``; the values were chosen with ``bench/answer_levers.py``)."""

    turn_reach: float
    """Play from where the answering speaker's turn began, when at most this long before."""
    reply_margin: float
    """Where a question is asked after the closest sentence and another turn replies, the
    reply answers when its closest sentence is at most this much less close."""
    number_boost: float
    """Added to the similarity of a sentence that says a number, for a question asking for
    an amount ("how long", "what temperature"): the lead-up names the thing, the answer
    gives its figure."""


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


def answering(
    sentences: Sequence[SpokenSentence],
    similarity: Sequence[float],
    question: str,
    landing: Landing,
) -> int:
    """Which of a hit's ``sentences`` (in order) answers ``question``, given each one's
    similarity to it.

    The closest (with ``Landing.number_boost`` for an amount asked for), or the sentence after
    it where the closest asks a question itself. Then, where someone asks a question after it
    and another turn replies, the reply's closest sentence instead, unless it is more than
    ``Landing.reply_margin`` less close: in a dialogue what comes before an asked question is
    its lead-up (the thing talked about, named), and the question a new starter types is
    mostly the one a newcomer asked in the session, answered after it.
    """
    scores = list(similarity)
    if landing.number_boost and _ASKS_FOR_A_QUANTITY.search(question.strip()):
        scores = [
            score + (landing.number_boost if _DIGIT.search(keyword_text(s.text)) else 0.0)
            for score, s in zip(scores, sentences, strict=True)
        ]
    chosen = max(range(len(sentences)), key=lambda n: scores[n])
    if _asks(sentences[chosen]) and chosen + 1 < len(sentences):
        chosen += 1
    while (reply := _reply_after(sentences, chosen)) is not None:
        best = max(reply, key=lambda n: scores[n])
        if scores[best] < scores[chosen] - landing.reply_margin:
            break
        chosen = best
    return chosen


def play_from(sentence: SpokenSentence, reach: float) -> float:
    """Where to start playing for an answer in ``sentence``: where its speaker's turn began,
    when that was at most ``reach`` seconds before the sentence, or else the sentence itself."""
    if sentence.start - sentence.turn_start <= reach:
        return sentence.turn_start
    return sentence.start


def _asks(sentence: SpokenSentence) -> bool:
    return sentence.text.rstrip().endswith("?")


def _reply_after(sentences: Sequence[SpokenSentence], chosen: int) -> range | None:
    """The sentences of the turn that replies to the first question asked after ``chosen``
    (None where no question follows it, or no other turn follows the question)."""
    later = range(chosen + 1, len(sentences))
    asked = next((n for n in later if _asks(sentences[n])), None)
    if asked is None:
        return None
    turn_of = [s.turn_start for s in sentences]
    after = range(asked + 1, len(sentences))
    first = next((n for n in after if turn_of[n] != turn_of[asked]), None)
    if first is None:
        return None
    last = first
    while last + 1 < len(sentences) and turn_of[last + 1] == turn_of[first]:
        last += 1
    return range(first, last + 1)


def _turn_starts(segments: Sequence[Segment]) -> list[float]:
    starts: list[float] = []
    for number, segment in enumerate(segments):
        begins = segment.words[0].start if segment.words else segment.start
        before = segments[number - 1].speaker if number else None
        starts.append(
            starts[-1] if segment.speaker is not None and segment.speaker == before else begins
        )
    return starts
