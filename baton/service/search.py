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

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.curation.glossary import expand_query, list_terms
from baton.service.db.curation import SearchLogEntry, Topic
from baton.service.db.engine import transaction
from baton.service.db.lookup import lookup
from baton.service.db.programme import Goal, Pair, Person
from baton.service.db.tables import Passage, Recording
from baton.service.index.base import IndexHit, IntRange, PayloadFilter
from baton.service.payloads import day_number
from baton.service.programme.pairs import pair_names
from baton.service.runtime import Runtime
from baton.service.speakers.names import SpeakerName, speaker_names, unnamed

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
PREFETCH = 50
# What the ranked pool brings back from the index: enough for hits and facets. The passage
# texts come from the database for the few hits shown (at 100 points, payload text doubled
# the query's time on Edge).
POOL_FIELDS = (
    "recording_id", "start", "end", "session_id", "pair_id", "goal_ids", "topic_ids", "person_ids",
    "speaker_ids",
)  # fmt: skip


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search; each list means "any of these"."""

    pair_ids: tuple[str, ...] = ()
    goal_ids: tuple[str, ...] = ()
    topic_ids: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()
    """People who took part in the session."""
    said_by: tuple[str, ...] = ()
    """People who say (a fair share of) the passage."""
    audiences: tuple[str, ...] = ()
    """Who is asking: only passages visible to one of these audiences (empty: no rule)."""
    date_from: date | None = None
    date_to: date | None = None

    def payload_filter(self) -> PayloadFilter:
        conditions: dict[str, str | list[str] | IntRange] = {}
        for key, values in (
            ("pair_id", self.pair_ids),
            ("goal_ids", self.goal_ids),
            ("topic_ids", self.topic_ids),
            ("person_ids", self.person_ids),
            ("speaker_ids", self.said_by),
            ("audiences", self.audiences),
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
            if value and key != "audiences"
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
    speakers: list[SpeakerName] = field(default_factory=list)
    """Who speaks in the passage, the main speaker first."""


@dataclass(frozen=True)
class FacetCount:
    id: str
    name: str
    count: int


@dataclass(frozen=True)
class SearchOutcome:
    search_id: str
    query: str
    filters: SearchFilters
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]
    best_similarity: float | None
    expanded_query: str


def search(
    runtime: Runtime, query: str, limit: int = 10, filters: SearchFilters | None = None
) -> SearchOutcome:
    """Rank passages of the library for ``query``; best first, at most ``limit``.

    One read session serves the glossary, the titles, the texts and the facet names. The
    search is not logged here: ``record_search`` does that, after the answer has gone out.
    """
    filters = filters or SearchFilters()
    payload_filter = filters.payload_filter() or None
    with runtime.sessions() as session:
        expanded = expand_query(query, list_terms(session))
        dense = [float(x) for x in runtime.dense.embed([query])[0]]
        sparse = runtime.sparse.embed_query(expanded)
        prefetch = max(PREFETCH, limit * 5)
        pool = runtime.index.search(
            dense,
            sparse,
            limit=2 * prefetch,
            filter=payload_filter,
            prefetch=prefetch,
            fields=POOL_FIELDS,
        )
        best_similarity = _best_similarity(runtime, dense, [hit.id for hit in pool])
        recording_ids = {str(hit.payload["recording_id"]) for hit in pool}
        titles = lookup(
            session, select(Recording.id, Recording.title).where(Recording.id.in_(recording_ids))
        )
        # A hit whose recording was deleted a moment ago is dropped, never shown half-gone.
        pool = [hit for hit in pool if hit.payload["recording_id"] in titles]
        shown = {
            row.id: row
            for row in session.execute(
                select(Passage.id, Passage.text, Passage.speakers).where(
                    Passage.id.in_([h.id for h in pool[:limit]])
                )
            )
        }
        voices = speaker_names(session, {str(h.payload["recording_id"]) for h in pool[:limit]})
        facets = _named(session, _count_facets(pool))
    hits = [
        SearchHit(
            recording_id=str(hit.payload["recording_id"]),
            title=titles[str(hit.payload["recording_id"])],
            start=float(hit.payload["start"]),
            end=float(hit.payload["end"]),
            text=shown[hit.id].text if hit.id in shown else "",
            score=round(hit.score, 6),
            session_id=hit.payload.get("session_id"),
            pair_id=hit.payload.get("pair_id"),
            goal_ids=list(hit.payload.get("goal_ids") or []),
            topic_ids=list(hit.payload.get("topic_ids") or []),
            speakers=_speakers(
                shown[hit.id].speakers if hit.id in shown else {},
                voices[str(hit.payload["recording_id"])],
            ),
        )
        for hit in pool[:limit]
    ]
    return SearchOutcome(
        search_id=str(uuid.uuid4()),
        query=query,
        filters=filters,
        hits=hits,
        facets=facets,
        best_similarity=best_similarity,
        expanded_query=expanded,
    )


def record_search(runtime: Runtime, outcome: SearchOutcome) -> None:
    """Log the search for the search-gaps report."""
    with transaction(runtime.sessions) as session:
        session.add(
            SearchLogEntry(
                id=outcome.search_id,
                query=outcome.query[:MAX_QUERY_CHARS],
                filters=outcome.filters.as_dict(),
                hit_count=len(outcome.hits),
                best_similarity=outcome.best_similarity,
            )
        )


def _speakers(shares: dict[str, float] | None, names: dict[str, SpeakerName]) -> list[SpeakerName]:
    ranked = sorted((shares or {}).items(), key=lambda item: -item[1])
    return [names.get(label) or unnamed(label) for label, _ in ranked]


_LIST_FACETS = (
    ("goal", "goal_ids"),
    ("topic", "topic_ids"),
    ("person", "person_ids"),
    ("said_by", "speaker_ids"),
)


def _count_facets(pool: list[IndexHit]) -> dict[str, Counter[str]]:
    facets = {name: Counter[str]() for name in ("pair", "goal", "topic", "person", "said_by")}
    for hit in pool:
        if hit.payload.get("pair_id"):
            facets["pair"][str(hit.payload["pair_id"])] += 1
        for name, key in _LIST_FACETS:
            for value in hit.payload.get(key) or []:
                facets[name][str(value)] += 1
    return facets


def _named(session: Session, facets: dict[str, Counter[str]]) -> dict[str, list[FacetCount]]:
    """Facet values with the names people know them by; values since deleted are left out."""
    wanted = facets["person"].keys() | facets["said_by"].keys()
    people = lookup(session, select(Person.id, Person.name).where(Person.id.in_(wanted)))
    names: dict[str, dict[str, str]] = {
        "goal": lookup(session, select(Goal.id, Goal.title).where(Goal.id.in_(facets["goal"]))),
        "topic": lookup(session, select(Topic.id, Topic.name).where(Topic.id.in_(facets["topic"]))),
        "person": people,
        "said_by": people,
        "pair": {},
    }
    names["pair"] = pair_names(
        session, list(session.scalars(select(Pair).where(Pair.id.in_(facets["pair"]))))
    )
    return {
        kind: [
            FacetCount(value, names[kind][value], count)
            for value, count in counts.most_common()
            if value in names[kind]
        ]
        for kind, counts in facets.items()
    }


def _best_similarity(runtime: Runtime, query: list[float], point_ids: list[str]) -> float | None:
    """The highest cosine between the query and any passage within the filters.

    The dense prefetch's best passages are all in the fused pool, so the best of the pool's
    stored vectors is the library's best, without a second scan of the index.
    """
    vectors = runtime.index.vectors(point_ids)
    if not vectors:
        return None
    matrix = np.asarray(list(vectors.values()), dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(query))
    return round(float(np.max(matrix @ np.asarray(query, dtype=np.float32) / norms)), 4)


def mark_unanswered(runtime: Runtime, search_id: str, comment: str | None) -> bool:
    """A person said this search did not answer their question; False if no such search."""
    with transaction(runtime.sessions) as session:
        entry = session.get(SearchLogEntry, search_id)
        if entry is None:
            return False
        entry.marked_unanswered = True
        entry.feedback = (comment or "").strip()[:2000] or entry.feedback
    return True
