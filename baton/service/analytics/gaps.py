"""Search gaps: what people asked that the library could not answer, grouped and counted.

A search is a gap when the best passage within its filters was less similar to the query
than ``search_gap_similarity`` (MiniLM cosine), when nothing was found, or when the person
marked it as not answering their question. Gaps are grouped by meaning (queries whose
embeddings are within ``SAME_QUESTION`` cosine join the first such group), so "how do I lock
out P4" and "lockout procedure for P4" count as one question a pair could be asked to cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from baton.models.text_embedding import TextEmbedder
from baton.service.db.curation import SearchLogEntry

SAME_QUESTION = 0.8
# The newest gap searches read per report; enough for months of a programme's questions.
MAX_ENTRIES = 2000


@dataclass(frozen=True)
class SearchGap:
    query: str
    count: int
    marked_unanswered: int
    best_similarity: float | None
    last_asked: datetime
    examples: list[str]
    feedback: list[str]


def search_gaps(session: Session, embedder: TextEmbedder, threshold: float) -> list[SearchGap]:
    entries = list(
        session.scalars(
            select(SearchLogEntry)
            .where(
                or_(
                    SearchLogEntry.marked_unanswered.is_(True),
                    SearchLogEntry.best_similarity.is_(None),
                    SearchLogEntry.best_similarity < threshold,
                    SearchLogEntry.hit_count == 0,
                )
            )
            .order_by(SearchLogEntry.asked_at.desc())
            .limit(MAX_ENTRIES)
        )
    )
    if not entries:
        return []
    vectors = embedder.embed([e.query for e in entries])
    groups: list[list[int]] = []
    heads: list[int] = []
    for i in range(len(entries)):
        similarities = [float(np.dot(vectors[i], vectors[h])) for h in heads]
        if similarities and max(similarities) >= SAME_QUESTION:
            groups[int(np.argmax(similarities))].append(i)
        else:
            heads.append(i)
            groups.append([i])
    gaps = []
    for members in groups:
        asked = [entries[i] for i in members]
        wordings = list(dict.fromkeys(e.query for e in asked))
        scores = [e.best_similarity for e in asked if e.best_similarity is not None]
        gaps.append(
            SearchGap(
                query=max(wordings, key=lambda w: sum(e.query == w for e in asked)),
                count=len(asked),
                marked_unanswered=sum(e.marked_unanswered for e in asked),
                best_similarity=round(max(scores), 4) if scores else None,
                last_asked=max(e.asked_at for e in asked),
                examples=wordings[:5],
                feedback=[e.feedback for e in asked if e.feedback][:5],
            )
        )
    gaps.sort(key=lambda g: (-g.count, -g.marked_unanswered, g.query))
    return gaps
