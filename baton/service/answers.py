"""The answer inside each hit: the hit's sentence closest in meaning to the question, and where
to start playing for it (``workers/answers.py`` says why).

Sentence vectors are made at ingest (and again for the sentences a correction or a redaction
changes) and kept in the database beside the passages. A search reads the few dozen under the
hits it shows and compares them with the question's vector it already has: well under a
millisecond, where embedding them at search time would cost more than the search itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Row, and_, delete, or_, select
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
# A sentence is at most 120 words (``workers/passages.py``), well under a minute; a range of
# starts this wide finds every sentence whose middle lies in a span, through the index.
_LONGEST_SENTENCE_SECONDS = 120.0


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


def answers(
    session: Session,
    spans: Sequence[HitSpan],
    question: str,
    vector: npt.NDArray[np.float32],
    landing: Landing,
) -> list[Answer | None]:
    """For each span, the sentence that answers the ``question`` (whose vector is ``vector``;
    None where the span has no sentences stored: a recording processed before they were)."""
    if not spans:
        return []
    rows = session.execute(
        select(
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
                        Sentence.recording_id == span.recording_id,
                        Sentence.start >= span.start - _LONGEST_SENTENCE_SECONDS,
                        Sentence.start < span.end,
                    )
                    for span in spans
                )
            )
        )
    ).all()
    return [_answer_in(span, rows, question, vector, landing) for span in spans]


def _answer_in(
    span: HitSpan,
    rows: Sequence[_SentenceRow],
    question: str,
    vector: npt.NDArray[np.float32],
    landing: Landing,
) -> Answer | None:
    # A sentence belongs to the span its middle lies in: a shifted search window may begin
    # or end inside a sentence.
    inside = sorted(
        (
            row
            for row in rows
            if row.recording_id == span.recording_id
            and span.start <= (row.start + row.end) / 2 <= span.end
        ),
        key=lambda row: row.start,
    )
    if not inside:
        return None
    similarity = np.stack([unpacked(row.vector) for row in inside]) @ vector
    sentences = [SpokenSentence(r.start, r.end, r.turn_start, r.text) for r in inside]
    chosen = answering(sentences, similarity.tolist(), question, landing)
    sentence = sentences[chosen]
    return Answer(
        sentence.start,
        sentence.end,
        sentence.text,
        play_from(sentence, landing.turn_reach),
        round(float(similarity[chosen]), 4),
    )


def packed(vector: npt.NDArray[np.float32]) -> bytes:
    """A unit vector as a sentence row stores it (float16)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpacked(stored: bytes) -> npt.NDArray[np.float32]:
    """A sentence row's vector, back as float32."""
    return np.frombuffer(stored, dtype=np.float16).astype(np.float32)
