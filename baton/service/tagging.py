"""Tag a recording's passages to its pair's goals and to the curated topics, keeping decisions.

Runs as the last ingest stage and again whenever goals, topics or the recording's session
change. Suggestions are recomputed from scratch each time, but a person's decisions stand:
a confirmed tag is kept, and a rejected one blocks any new suggestion of the same goal or
topic over the same stretch of audio, even if re-processing cut the passages differently.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select

from baton.service.db.curation import SUGGESTED, Tag, Topic
from baton.service.db.engine import transaction
from baton.service.db.programme import Goal, MentoringSession
from baton.service.db.tables import Passage, Recording
from baton.service.payloads import sync_payloads
from baton.service.runtime import Runtime
from baton.workers.tagging import TagRule, TagSuggestion, TagTarget, suggest_tags, target_terms

log = logging.getLogger(__name__)

# Goals nobody pursues any more get no new tags.
_TAGGED_GOAL_STATUSES = ("active", "achieved", "paused")


@dataclass(frozen=True)
class Span:
    start: float
    end: float

    def overlaps_mostly(self, other: Span) -> bool:
        """True when the two share at least half of the shorter one."""
        shared = min(self.end, other.end) - max(self.start, other.start)
        shorter = min(self.end - self.start, other.end - other.start)
        return shared > 0 and shared >= 0.5 * max(shorter, 1e-6)


def goal_targets(goals: Iterable[Goal]) -> list[TagTarget]:
    return [
        TagTarget(
            id=goal.id,
            text=f"{goal.title}. {goal.description}".strip(),
            terms=target_terms(goal.title, *_clauses(goal.description)),
        )
        for goal in goals
    ]


def topic_targets(topics: Iterable[Topic]) -> list[TagTarget]:
    return [
        TagTarget(
            id=topic.id,
            text=". ".join(
                part for part in (topic.name, topic.description, ", ".join(topic.keywords)) if part
            ),
            terms=target_terms(topic.name, *topic.keywords, *topic.synonyms),
        )
        for topic in topics
    ]


def retag_recordings(runtime: Runtime, recording_ids: Iterable[str]) -> None:
    for recording_id in dict.fromkeys(recording_ids):
        retag_recording(runtime, recording_id)


def retag_recording(runtime: Runtime, recording_id: str) -> int:
    """Recompute the recording's suggested tags and refresh its index payloads; returns how
    many suggestions it now has. A recording not yet indexed is left for its ingest job."""
    settings = runtime.settings
    with runtime.sessions() as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            return 0
        passages = list(
            session.scalars(
                select(Passage)
                .where(Passage.recording_id == recording_id, Passage.phase == 0)
                .order_by(Passage.position)
            )
        )
        goals: list[Goal] = []
        if recording.session_id:
            pair_id = session.scalar(
                select(MentoringSession.pair_id).where(MentoringSession.id == recording.session_id)
            )
            goals = list(
                session.scalars(
                    select(Goal).where(
                        Goal.pair_id == pair_id, Goal.status.in_(_TAGGED_GOAL_STATUSES)
                    )
                )
            )
        topics = list(session.scalars(select(Topic)))
    vectors = runtime.index.vectors([p.id for p in passages])
    passages = [p for p in passages if p.id in vectors]
    if not passages:
        return 0
    passage_vectors = np.asarray([vectors[p.id] for p in passages], dtype=np.float32)
    texts = [p.text for p in passages]
    found: list[tuple[str, TagSuggestion]] = []
    for kind, targets, rule in (
        ("goal", goal_targets(goals), TagRule(settings.goal_tag_threshold)),
        (
            "topic",
            topic_targets(topics),
            TagRule(settings.topic_tag_threshold, words_to_saturate=2),
        ),
    ):
        if targets:
            target_vectors = runtime.dense.embed([t.text for t in targets])
            suggestions = suggest_tags(texts, passage_vectors, targets, target_vectors, rule)
            found += [(kind, s) for s in suggestions]
    kept = _store(runtime, recording_id, passages, found, {g.id for g in goals})
    sync_payloads(runtime, [recording_id])
    log.info(
        "recording=%s stage=tag %d passages, %d goals, %d topics: %d suggestions kept",
        recording_id,
        len(passages),
        len(goals),
        len(topics),
        kept,
    )
    return kept


def _store(
    runtime: Runtime,
    recording_id: str,
    passages: Sequence[Passage],
    found: Sequence[tuple[str, TagSuggestion]],
    goal_ids: set[str],
) -> int:
    """Replace the recording's suggestions, leaving decided tags and their stretches alone.

    Goal tags of goals that are no longer this recording's (it moved to another pair's
    session, or out of its session) go, decided or not: they belong to another pair's story.
    """
    with transaction(runtime.sessions) as session:
        session.execute(
            delete(Tag).where(
                Tag.recording_id == recording_id,
                Tag.goal_id.is_not(None),
                Tag.goal_id.not_in(goal_ids),
            )
        )
        decided = list(
            session.scalars(
                select(Tag).where(Tag.recording_id == recording_id, Tag.status != SUGGESTED)
            )
        )
        session.execute(
            delete(Tag).where(Tag.recording_id == recording_id, Tag.status == SUGGESTED)
        )
        _follow_passages(decided, passages)
        held = {(t.passage_id, t.goal_id or t.topic_id) for t in decided}
        kept = 0
        for kind, suggestion in found:
            passage = passages[suggestion.passage]
            span = Span(passage.start, passage.end)
            if (passage.id, suggestion.target_id) in held or any(
                (tag.goal_id if kind == "goal" else tag.topic_id) == suggestion.target_id
                and Span(tag.start, tag.end).overlaps_mostly(span)
                for tag in decided
            ):
                continue
            session.add(
                Tag(
                    recording_id=recording_id,
                    passage_id=passage.id,
                    start=passage.start,
                    end=passage.end,
                    goal_id=suggestion.target_id if kind == "goal" else None,
                    topic_id=suggestion.target_id if kind == "topic" else None,
                    score=suggestion.score,
                    similarity=suggestion.similarity,
                    matched_words=list(suggestion.matched_words),
                    status=SUGGESTED,
                )
            )
            kept += 1
    return kept


def _follow_passages(decided: Sequence[Tag], passages: Sequence[Passage]) -> None:
    """Point each decided tag at the passage that now covers most of its stretch.

    Passage ids follow positions, so after a re-cut an id may name another stretch: a tag
    stays where it is only if its passage still covers its span.
    """
    spans = {p.id: Span(p.start, p.end) for p in passages}

    def still_there(tag: Tag) -> bool:
        span = spans.get(tag.passage_id)
        return span is not None and span.overlaps_mostly(Span(tag.start, tag.end))

    taken = {(t.passage_id, t.goal_id, t.topic_id) for t in decided if still_there(t)}
    for tag in decided:
        if still_there(tag):
            continue
        span = Span(tag.start, tag.end)
        best = max(
            passages,
            key=lambda p: min(p.end, span.end) - max(p.start, span.start),
            default=None,
        )
        if best is None or not Span(best.start, best.end).overlaps_mostly(span):
            continue
        if (best.id, tag.goal_id, tag.topic_id) not in taken:
            taken.add((best.id, tag.goal_id, tag.topic_id))
            tag.passage_id = best.id


def _clauses(text: str) -> list[str]:
    """A description split where its ideas split, so each clause yields its own phrases."""
    for mark in ",;:":
        text = text.replace(mark, ".")
    return [part for part in text.split(".") if part.strip()]
