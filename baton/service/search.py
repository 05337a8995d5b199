"""Hybrid search: the best passages by meaning (dense) and by words (BM25), fused with RRF.

Filters (pair, goal, topic, person, date range) go inside both index queries. The two rankings
are fused here (``fusion.py``) with weights that follow the question; then the best of that
fusion are ranked a third time by how close each passage's best sentences come to the
question, and all three are fused again. Each hit keeps what each ranking said of it, so it
can say why it matched: its similarity in meaning, its keyword score and the words it shares
with the question, its closest sentences, and the goals and topics it is tagged to.
Passages and the shifted search windows overlap, so a hit that mostly repeats a better one is
left out. Facet counts are taken over the moments the search ranked (the best ``prefetch`` by
meaning and the best ``prefetch`` by words), which is what "results" means for a ranked search. The
query's BM25 side is widened with the glossary's synonyms. Every search is logged with how well
the library could answer it (the best cosine similarity of any passage within the filters),
which the search-gaps report reads.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.models.sparse import SparseVector
from baton.service.answers import Answer, HitSentences, HitSpan
from baton.service.curation.glossary import expand_query, list_terms
from baton.service.db.curation import SearchLogEntry, Topic
from baton.service.db.engine import transaction
from baton.service.db.lookup import lookup
from baton.service.db.programme import Goal, Pair, Person
from baton.service.db.tables import Passage, Recording
from baton.service.fusion import FusedHit, FusionWeights, Signal, fuse
from baton.service.index.base import IndexHit, IntRange, PayloadFilter
from baton.service.payloads import day_number
from baton.service.programme.pairs import pair_names
from baton.service.runtime import Runtime
from baton.service.speakers.names import SpeakerName, speaker_names, unnamed
from baton.workers.answers import Landing

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
PREFETCH = 100
# What the ranked pool brings back from the index: enough for hits and facets. The passage
# texts come from the database for the few hits shown (at 100 points, payload text doubled
# the query's time on Edge).
POOL_FIELDS = (
    "recording_id", "start", "end", "session_id", "pair_id", "goal_ids", "topic_ids", "person_ids",
    "speaker_ids",
)  # fmt: skip


@dataclass(frozen=True)
class FacetCount:
    id: str
    name: str
    count: int


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
class MatchReason:
    """Why a passage came up: what each ranking said of it, and what it is tagged to."""

    similarity: float | None
    """Cosine similarity of the passage and the question (None: not in the meaning ranking)."""
    meaning_rank: int | None
    keyword_score: float | None
    """BM25 score (IDF-weighted) on the question's words (None: no word in common)."""
    keyword_rank: int | None
    sentence_similarity: float | None
    """Mean cosine of the passage's closest sentences (None: not in the sentence ranking)."""
    sentence_rank: int | None
    matched_words: list[str]
    """The passage's words that match the question's (stemmed, codes and numbers unified)."""
    goals: list[TagName]
    """The goals the passage is tagged to (suggested or confirmed)."""
    topics: list[TagName]


@dataclass(frozen=True)
class TagName:
    id: str
    name: str


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
    why: MatchReason | None = None
    answer: Answer | None = None
    """The passage's sentence that answers the question, and where to start playing."""

    @property
    def play_from(self) -> float:
        return self.answer.play_from if self.answer is not None else self.start


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
    settings = runtime.settings
    weights = FusionWeights(
        settings.search_rrf_k,
        settings.search_keyword_weight,
        settings.search_code_keyword_weight,
        settings.search_sentence_weight,
    )
    with runtime.sessions() as session:
        expanded = expand_query(query, list_terms(session))
        dense = [float(x) for x in runtime.dense.embed([query])[0]]
        sparse = runtime.sparse.embed_query(expanded)
        prefetch = max(PREFETCH, limit * 5)
        by_meaning = runtime.index.search(
            dense, None, limit=prefetch, filter=payload_filter, fields=POOL_FIELDS
        )
        by_words = (
            runtime.index.search(
                None, sparse, limit=prefetch, filter=payload_filter, fields=POOL_FIELDS
            )
            if sparse.indices
            else []
        )
        keyword_weight = weights.for_question(query)
        pool = fuse(by_meaning, by_words, k=weights.k, keyword_weight=keyword_weight)
        vector = np.asarray(dense, dtype=np.float32)
        head = pool[: max(settings.search_sentence_head, limit * 5)]
        under = HitSentences.read(session, [_span(f) for f in head], vector)
        if weights.sentences:
            by_sentences = _by_sentences(head, under, settings.search_sentence_top)
            pool = fuse(
                by_meaning,
                by_words,
                by_sentences,
                k=weights.k,
                keyword_weight=keyword_weight,
                sentence_weight=weights.sentences,
            )
        recording_ids = {str(f.hit.payload["recording_id"]) for f in pool}
        titles = lookup(
            session, select(Recording.id, Recording.title).where(Recording.id.in_(recording_ids))
        )
        # A hit whose recording was deleted a moment ago is dropped, never shown half-gone.
        pool = _distinct_moments([f for f in pool if f.hit.payload["recording_id"] in titles])
        shown = {
            row.id: row
            for row in session.execute(
                select(Passage.id, Passage.text, Passage.speakers).where(
                    Passage.id.in_([f.hit.id for f in pool[:limit]])
                )
            )
        }
        voices = speaker_names(session, {str(f.hit.payload["recording_id"]) for f in pool[:limit]})
        read = {f.hit.id for f in head}
        if any(f.hit.id not in read for f in pool[:limit]):
            under = HitSentences.read(session, [_span(f) for f in [*head, *pool[:limit]]], vector)
        landing = Landing(
            settings.search_answer_turn_reach,
            settings.search_answer_reply_margin,
            settings.search_answer_number_boost,
        )
        found = [under.answer(_span(f), query, landing) for f in pool[:limit]]
        facets = _named(session, _count_facets(pool))
    names = {kind: {f.id: f.name for f in counts} for kind, counts in facets.items()}
    hits = [
        _hit(
            fused,
            shown.get(fused.hit.id),
            titles[str(fused.hit.payload["recording_id"])],
            voices[str(fused.hit.payload["recording_id"])],
            runtime.sparse.matched_words,
            sparse,
            names,
            answer,
        )
        for fused, answer in zip(pool[:limit], found, strict=True)
    ]
    return SearchOutcome(
        search_id=str(uuid.uuid4()),
        query=query,
        filters=filters,
        hits=hits,
        facets=facets,
        best_similarity=round(by_meaning[0].score, 4) if by_meaning else None,
        expanded_query=expanded,
    )


def _hit(
    fused: FusedHit,
    row: Any,
    title: str,
    voices: dict[str, SpeakerName],
    matched_words: Callable[[SparseVector, str], list[str]],
    question: SparseVector,
    names: dict[str, dict[str, str]],
    answer: Answer | None,
) -> SearchHit:
    """One shown hit: the passage's place, text and speakers, and why it matched."""
    payload = fused.hit.payload
    text = row.text if row is not None else ""
    goal_ids = list(payload.get("goal_ids") or [])
    topic_ids = list(payload.get("topic_ids") or [])
    return SearchHit(
        recording_id=str(payload["recording_id"]),
        title=title,
        start=float(payload["start"]),
        end=float(payload["end"]),
        text=text,
        score=round(fused.score, 6),
        session_id=payload.get("session_id"),
        pair_id=payload.get("pair_id"),
        goal_ids=goal_ids,
        topic_ids=topic_ids,
        speakers=_speakers(row.speakers if row is not None else {}, voices),
        why=_reason(
            fused,
            matched_words(question, text) if fused.keywords else [],
            [TagName(g, names["goal"][g]) for g in goal_ids if g in names["goal"]],
            [TagName(t, names["topic"][t]) for t in topic_ids if t in names["topic"]],
        ),
        answer=answer,
    )


def _span(fused: FusedHit) -> HitSpan:
    payload = fused.hit.payload
    return HitSpan(str(payload["recording_id"]), float(payload["start"]), float(payload["end"]))


def _by_sentences(head: Sequence[FusedHit], under: HitSentences, top: int) -> list[IndexHit]:
    """The head of the pool again, by how close each passage's ``top`` best sentences come to
    the question (a passage with none stored is left out of this ranking)."""
    scored = [
        (IndexHit(f.hit.id, close, f.hit.payload), close)
        for f in head
        if (close := under.closeness(_span(f), top)) is not None
    ]
    return [hit for hit, _ in sorted(scored, key=lambda pair: -pair[1])]


def _distinct_moments(pool: list[FusedHit]) -> list[FusedHit]:
    """Best first, leaving out any hit that mostly repeats a better one: passages and the
    shifted search windows overlap, and one moment should be shown (and counted) once."""
    kept: list[FusedHit] = []
    spans: dict[str, list[tuple[float, float]]] = {}
    for fused in pool:
        payload = fused.hit.payload
        start, end = float(payload["start"]), float(payload["end"])
        shown = spans.setdefault(str(payload["recording_id"]), [])
        if not any(mostly_same(start, end, a, b) for a, b in shown):
            kept.append(fused)
            shown.append((start, end))
    return kept


def mostly_same(start: float, end: float, other_start: float, other_end: float) -> bool:
    """Two spans share more than half of the shorter one: one moment, shown once."""
    shared = min(end, other_end) - max(start, other_start)
    return shared > min(end - start, other_end - other_start) / 2


def _reason(
    fused: FusedHit, matched: list[str], goals: list[TagName], topics: list[TagName]
) -> MatchReason:
    def rounded(signal: Signal | None) -> float | None:
        return round(signal.score, 4) if signal is not None else None

    return MatchReason(
        similarity=rounded(fused.meaning),
        meaning_rank=fused.meaning.rank if fused.meaning else None,
        keyword_score=rounded(fused.keywords),
        keyword_rank=fused.keywords.rank if fused.keywords else None,
        sentence_similarity=rounded(fused.sentences),
        sentence_rank=fused.sentences.rank if fused.sentences else None,
        matched_words=matched,
        goals=goals,
        topics=topics,
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


def _count_facets(pool: list[FusedHit]) -> dict[str, Counter[str]]:
    facets = {name: Counter[str]() for name in ("pair", "goal", "topic", "person", "said_by")}
    for hit in (fused.hit for fused in pool):
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


def mark_unanswered(runtime: Runtime, search_id: str, comment: str | None) -> bool:
    """A person said this search did not answer their question; False if no such search."""
    with transaction(runtime.sessions) as session:
        entry = session.get(SearchLogEntry, search_id)
        if entry is None:
            return False
        entry.marked_unanswered = True
        entry.feedback = (comment or "").strip()[:2000] or entry.feedback
    return True
