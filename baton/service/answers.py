"""The sentences inside each hit: how close its best ones come to the question (a third
ranking of the pool's head), and the one that answers, with where to start playing for it
(``workers/answers.py`` says why).

Sentence vectors are made at ingest (and again for the sentences a correction or a redaction
changes) and kept in the database beside the passages. A search reads the few hundred under
the best points of its pool in one query and compares them with the question's vector it
already has (about 3 ms on 2 cores), where embedding them at search time would cost more than
the search itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from sqlalchemy import Row, Select, and_, bindparam, delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from baton.models.text_embedding import TextEmbedder
from baton.service.db.tables import Sentence
from baton.workers.answers import (
    Landing,
    SpokenSentence,
    answering,
    play_from,
    spoken_sentences,
)
from baton.workers.transcript import Segment

EmbeddedSentence = tuple[SpokenSentence, bytes]
"""A sentence and its vector, packed as stored."""
_SentenceRow = Row[str, float, float, float, str, bytes]
"""What search reads of a sentence: recording, start, end, turn start, text, vector."""
# A sentence is at most 120 words (``workers/passages.py``), about a minute at its slowest: one
# whose middle lies in a span starts at most half of that before it. The index on recording and
# start narrows the read to that range; the middle, tested in SQL too, keeps only what is inside.
_HALF_LONGEST_SENTENCE_SECONDS = 60.0


@dataclass(frozen=True)
class Answer:
    """The sentence of a hit that answers the question, and where playing should start."""

    start: float
    end: float
    text: str
    play_from: float
    similarity: float


@dataclass(frozen=True)
class HitSpan:
    """A hit's place: which recording, from when to when (seconds)."""

    recording_id: str
    start: float
    end: float


def embed_sentences(
    sessions: sessionmaker[Session],
    dense: TextEmbedder,
    recording_id: str,
    segments: Sequence[Segment],
) -> list[EmbeddedSentence]:
    """The sentences of ``segments`` with their vectors: a sentence stored before with the same
    words and times keeps its vector, the others are embedded now."""
    spoken = spoken_sentences(segments)
    with sessions() as session:
        kept = {
            (row.start, row.end, row.text): row.vector
            for row in session.execute(
                select(Sentence.start, Sentence.end, Sentence.text, Sentence.vector).where(
                    Sentence.recording_id == recording_id
                )
            )
        }
    fresh = [s for s in spoken if (s.start, s.end, s.text) not in kept]
    if fresh:
        vectors = dense.embed([s.text for s in fresh])
        kept.update(
            ((s.start, s.end, s.text), packed(v)) for s, v in zip(fresh, vectors, strict=True)
        )
    return [(s, kept[(s.start, s.end, s.text)]) for s in spoken]


def replace_sentences(
    session: Session, recording_id: str, sentences: Sequence[EmbeddedSentence]
) -> None:
    """Store ``sentences`` as all the recording's sentences."""
    session.execute(delete(Sentence).where(Sentence.recording_id == recording_id))
    session.add_all(
        Sentence(
            recording_id=recording_id,
            start=s.start,
            end=s.end,
            turn_start=s.turn_start,
            text=s.text,
            vector=vector,
        )
        for s, vector in sentences
    )


class HitSentences:
    """The stored sentences under a set of hits, read in one query, each one's closeness to
    the question computed once: search ranks the head of its pool by them, then picks each
    shown hit's answer from them."""

    def __init__(self, rows: Sequence[_SentenceRow], vector: npt.NDArray[np.float32]) -> None:
        self._by_recording: dict[str, _RecordingSentences] = {}
        if not rows:
            return
        stored = np.frombuffer(b"".join(row.vector for row in rows), dtype=np.float16)
        similarity = (stored.reshape(len(rows), -1).astype(np.float32) @ vector).tolist()
        grouped: dict[str, list[tuple[_SentenceRow, float]]] = {}
        for row, close in zip(rows, similarity, strict=True):
            grouped.setdefault(row.recording_id, []).append((row, close))
        for recording_id, found in grouped.items():
            found.sort(key=_middle)
            self._by_recording[recording_id] = _RecordingSentences(
                [_middle(pair) for pair in found], found
            )

    @classmethod
    def read(
        cls, session: Session, spans: Sequence[HitSpan], vector: npt.NDArray[np.float32]
    ) -> HitSentences:
        """The sentences under ``spans`` (overlapping spans read as one range)."""
        ranges = _merged(spans)
        if not ranges:
            return cls([], vector)
        params: dict[str, object] = {}
        for n, (recording_id, start, end) in enumerate(ranges):
            params |= {f"r{n}": recording_id, f"lo{n}": start, f"hi{n}": end}
            params |= {f"reach{n}": start - _HALF_LONGEST_SENTENCE_SECONDS, f"until{n}": end}
        rows = session.execute(_sentences_in(len(ranges)), params).all()
        return cls(rows, vector)

    def closeness(self, span: HitSpan, top: int) -> float | None:
        """The mean similarity of the span's ``top`` closest sentences (None: none stored)."""
        inside = sorted((close for _, close in self._inside(span)), reverse=True)
        return sum(inside[:top]) / len(inside[:top]) if inside else None

    def answer(self, span: HitSpan, question: str, landing: Landing) -> Answer | None:
        """The span's sentence that answers ``question`` (None where the span has no
        sentences stored: a recording processed before they were)."""
        inside = self._inside(span)
        if not inside:
            return None
        sentences = [SpokenSentence(r.start, r.end, r.turn_start, r.text) for r, _ in inside]
        similarity = [close for _, close in inside]
        chosen = answering(sentences, similarity, question, landing)
        sentence = sentences[chosen]
        return Answer(
            sentence.start,
            sentence.end,
            sentence.text,
            play_from(sentence, landing.turn_reach),
            round(similarity[chosen], 4),
        )

    def _inside(self, span: HitSpan) -> list[tuple[_SentenceRow, float]]:
        # A sentence belongs to the span its middle lies in: a shifted search window may begin
        # or end inside a sentence.
        found = self._by_recording.get(span.recording_id)
        if found is None:
            return []
        first = bisect_left(found.middles, span.start)
        return found.sentences[first : bisect_right(found.middles, span.end)]


@dataclass(frozen=True)
class _RecordingSentences:
    """One recording's sentences read for a search, in order, with their middles to bisect."""

    middles: list[float]
    sentences: list[tuple[_SentenceRow, float]]


def _middle(pair: tuple[_SentenceRow, float]) -> float:
    return float(pair[0].start + pair[0].end) / 2


@lru_cache(maxsize=128)
def _sentences_in(ranges: int) -> Select[str, float, float, float, str, bytes]:
    """The query for the sentences whose middles lie in ``ranges`` ranges, built once for each
    number of them: building the expression anew cost more than running it."""
    middle = (Sentence.start + Sentence.end) / 2
    return select(
        Sentence.recording_id,
        Sentence.start,
        Sentence.end,
        Sentence.turn_start,
        Sentence.text,
        Sentence.vector,
    ).where(
        or_(
            *(
                and_(
                    Sentence.recording_id == bindparam(f"r{n}"),
                    Sentence.start >= bindparam(f"reach{n}"),
                    Sentence.start < bindparam(f"until{n}"),
                    middle >= bindparam(f"lo{n}"),
                    middle <= bindparam(f"hi{n}"),
                )
                for n in range(ranges)
            )
        )
    )


def _merged(spans: Sequence[HitSpan]) -> list[tuple[str, float, float]]:
    """Each recording's spans as few ranges as cover them (passages and the shifted search
    windows overlap), so one query reads them all."""
    merged: list[tuple[str, float, float]] = []
    for span in sorted(spans, key=lambda s: (s.recording_id, s.start)):
        if merged and merged[-1][0] == span.recording_id and span.start <= merged[-1][2]:
            recording_id, start, end = merged[-1]
            merged[-1] = (recording_id, start, max(end, span.end))
        else:
            merged.append((span.recording_id, span.start, span.end))
    return merged


def packed(vector: npt.NDArray[np.float32]) -> bytes:
    """A unit vector as a sentence row stores it (float16)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpacked(stored: bytes) -> npt.NDArray[np.float32]:
    """A sentence row's vector, back as float32."""
    return np.frombuffer(stored, dtype=np.float16).astype(np.float32)
