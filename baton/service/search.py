"""Hybrid search: the question's dense and BM25 vectors, fused by the index with RRF.

Filters (pair, goal, topic, person, date range) go inside the index query. Facet counts are
taken over the passages the search ranked (the best ``prefetch`` by meaning and the best
``prefetch`` by words, fused), which is what "results" means for a ranked search. The query's
BM25 side is widened with the glossary's synonyms. Every search is logged with how well the
library could answer it (the best cosine similarity of any passage within the filters), which
the search-gaps report reads.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from baton.service.curation.glossary import expand_query, list_terms
from baton.service.db.curation import SearchLogEntry
from baton.service.db.engine import transaction
from baton.service.db.tables import Recording
from baton.service.index.base import IntRange, PayloadFilter
from baton.service.payloads import day_number
from baton.service.runtime import Runtime

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
PREFETCH = 50


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search; each list means "any of these"."""

    pair_ids: tuple[str, ...] = ()
    goal_ids: tuple[str, ...] = ()
    topic_ids: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def payload_filter(self) -> PayloadFilter:
        conditions: dict[str, str | list[str] | IntRange] = {}
        for key, values in (
            ("pair_id", self.pair_ids),
            ("goal_ids", self.goal_ids),
            ("topic_ids", self.topic_ids),
            ("person_ids", self.person_ids),
        ):
            if values:
                conditions[key] = list(values)
        if self.date_from or self.date_to:
            conditions["day"] = IntRange(
                gte=day_number(self.date_from) if self.date_from else None,
                lte=day_number(self.date_to) if self.date_to else None,
            )
        return conditions

    def as_dict(self) -> dict[str, object]:
        return {
            key: value if not isinstance(value, date) else value.isoformat()
            for key, value in self.__dict__.items()
            if value
        }


@dataclass(frozen=True)
class SearchHit:
    """One moment of one recording that answers the question."""

    recording_id: str
    title: str
    start: float
    end: float
    text: str
    score: float
    session_id: str | None = None
    pair_id: str | None = None
    goal_ids: list[str] = field(default_factory=list)
    topic_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchOutcome:
    search_id: str
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    best_similarity: float | None
    expanded_query: str


def search(
    runtime: Runtime,
    query: str,
    limit: int = 10,
    filters: SearchFilters | None = None,
    *,
    log_search: bool = True,
) -> SearchOutcome:
    """Rank passages of the library for ``query``; best first, at most ``limit``."""
    filters = filters or SearchFilters()
    payload_filter = filters.payload_filter() or None
    with runtime.sessions() as session:
        expanded = expand_query(query, list_terms(session))
    dense = [float(x) for x in runtime.dense.embed([query])[0]]
    sparse = runtime.sparse.embed_query(expanded)
    prefetch = max(PREFETCH, limit * 5)
    pool = runtime.index.search(
        dense, sparse, limit=2 * prefetch, filter=payload_filter, prefetch=prefetch
    )
    nearest = runtime.index.search(dense, None, limit=1, filter=payload_filter)
    best_similarity = round(nearest[0].score, 4) if nearest else None
    recording_ids = {str(hit.payload["recording_id"]) for hit in pool}
    with runtime.sessions() as session:
        rows = session.execute(
            select(Recording.id, Recording.title).where(Recording.id.in_(recording_ids))
        )
        titles = {recording_id: title for recording_id, title in rows}
    # A hit whose recording was deleted a moment ago is dropped, never shown half-gone.
    pool = [hit for hit in pool if hit.payload["recording_id"] in titles]
    hits = [
        SearchHit(
            recording_id=str(hit.payload["recording_id"]),
            title=titles[str(hit.payload["recording_id"])],
            start=float(hit.payload["start"]),
            end=float(hit.payload["end"]),
            text=str(hit.payload["text"]),
            score=round(hit.score, 6),
            session_id=hit.payload.get("session_id"),
            pair_id=hit.payload.get("pair_id"),
            goal_ids=list(hit.payload.get("goal_ids") or []),
            topic_ids=list(hit.payload.get("topic_ids") or []),
        )
        for hit in pool[:limit]
    ]
    facets = {name: Counter[str]() for name in ("pair", "goal", "topic", "person")}
    for hit in pool:
        if hit.payload.get("pair_id"):
            facets["pair"][str(hit.payload["pair_id"])] += 1
        for name, key in (("goal", "goal_ids"), ("topic", "topic_ids"), ("person", "person_ids")):
            for value in hit.payload.get(key) or []:
                facets[name][str(value)] += 1
    search_id = str(uuid.uuid4())
    if log_search:
        with transaction(runtime.sessions) as session:
            session.add(
                SearchLogEntry(
                    id=search_id,
                    query=query[:MAX_QUERY_CHARS],
                    filters=filters.as_dict(),
                    hit_count=len(hits),
                    best_similarity=best_similarity,
                )
            )
    return SearchOutcome(
        search_id=search_id,
        hits=hits,
        facets={name: dict(counts.most_common()) for name, counts in facets.items()},
        best_similarity=best_similarity,
        expanded_query=expanded,
    )


def mark_unanswered(runtime: Runtime, search_id: str, comment: str | None) -> bool:
    """A person said this search did not answer their question; False if no such search."""
    with transaction(runtime.sessions) as session:
        entry = session.get(SearchLogEntry, search_id)
        if entry is None:
            return False
        entry.marked_unanswered = True
        entry.feedback = (comment or "").strip()[:2000] or entry.feedback
    return True
