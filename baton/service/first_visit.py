"""What a new starter sees before they ask anything: what the library holds for them.

An empty search box teaches nothing. The first visit shows the topics with how many passages
each holds that this person may see, the sessions published most recently, and questions other
people asked that found an answer.

A question from the search log is shown only when the *published* library answers it now: its
best passage by meaning among published recordings is at least as close as the search-gap
threshold. So a question answered only by a pair's private session never appears, whoever
looks; and a question whose answer was taken out of the library disappears with it. Questions
someone marked as not answered are never shown. The check costs one dense query per
candidate, so it runs on a few of the most asked and is kept for a few minutes, but never past
a change to what is published.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import desc, func, select
from sqlalchemy.orm import Session

from baton.service.accounts.audiences import LIBRARY, Viewer, may_see, visible_recording_ids
from baton.service.curation.topics import list_topics, topic_counts
from baton.service.db.curation import SearchLogEntry
from baton.service.db.programme import MentoringSession
from baton.service.db.tables import Recording
from baton.service.jobs import READY
from baton.service.runtime import Runtime
from baton.service.search import SearchFilters

LATEST_SESSIONS = 5
ANSWERED_QUESTIONS = 6
CANDIDATES = 30
"""How many of the most asked questions are checked against the published library."""
CHECK_SECONDS = 300.0
"""How long the answered questions are kept before they are checked again."""


@dataclass(frozen=True)
class TopicSummary:
    id: str
    name: str
    passages: int
    """Approved and suggested passages this person may see."""


@dataclass(frozen=True)
class LatestSession:
    recording_id: str
    title: str
    held_on: str | None
    duration_seconds: float | None
    published_at: datetime | None


@dataclass(frozen=True)
class AnsweredQuestion:
    question: str
    times_asked: int


@dataclass(frozen=True)
class FirstVisit:
    topics: list[TopicSummary]
    latest: list[LatestSession]
    answered: list[AnsweredQuestion]


def topics_with_counts(session: Session, viewer: Viewer) -> list[TopicSummary]:
    """Topics that hold something this person may see, the fullest first."""
    counts = topic_counts(session, visible_recording_ids(session, viewer))
    found = []
    for topic in list_topics(session):
        held = counts.get(topic.id)
        passages = held.approved + held.suggested if held else 0
        if passages:
            found.append(TopicSummary(topic.id, topic.name, passages))
    return sorted(found, key=lambda t: (-t.passages, t.name))


def latest_published(session: Session, viewer: Viewer) -> list[LatestSession]:
    """The recordings published most recently, that are ready to play."""
    rows = session.execute(
        select(Recording, MentoringSession.held_on)
        .outerjoin(MentoringSession, MentoringSession.id == Recording.session_id)
        .where(Recording.published_at.is_not(None))
        .order_by(desc(Recording.published_at))
        .limit(LATEST_SESSIONS * 4)
    ).all()
    found: list[LatestSession] = []
    for recording, held_on in rows:
        if len(found) == LATEST_SESSIONS:
            break
        job = recording.status_job
        if job is None or job.status != READY or not may_see(session, viewer, recording):
            continue
        found.append(
            LatestSession(
                recording_id=recording.id,
                title=recording.title or recording.original_filename,
                held_on=held_on.isoformat() if held_on else None,
                duration_seconds=recording.duration,
                published_at=recording.published_at,
            )
        )
    return found


class AnsweredQuestions:
    """The most asked questions the published library answers, checked again after a few
    minutes, and at once when a recording is published or taken out of the library."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._published: tuple[object, ...] = ()
        self._found: list[AnsweredQuestion] = []

    def get(self, runtime: Runtime) -> list[AnsweredQuestion]:
        with self._lock:
            with runtime.sessions() as session:
                published = _published_state(session)
            fresh = time.monotonic() - self._checked_at < CHECK_SECONDS
            if not fresh or published != self._published:
                self._found = _answered(runtime)
                self._checked_at = time.monotonic()
                self._published = published
            return self._found


def _published_state(session: Session) -> tuple[object, ...]:
    """What changes whenever a recording is published or taken out of the library."""
    row = session.execute(
        select(func.count(Recording.id), func.max(Recording.published_at)).where(
            Recording.published_at.is_not(None)
        )
    ).one()
    return tuple(row)


def _answered(runtime: Runtime) -> list[AnsweredQuestion]:
    with runtime.sessions() as session:
        asked = _most_asked(session)
    if not asked:
        return []
    threshold = runtime.settings.search_gap_similarity
    published = SearchFilters(audiences=(LIBRARY,)).payload_filter()
    vectors = runtime.dense.embed([question for question, _ in asked])
    found = []
    for (question, times), vector in zip(asked, vectors, strict=True):
        best = runtime.index.search(
            [float(x) for x in vector], None, limit=1, filter=published, fields=["recording_id"]
        )
        if best and best[0].score >= threshold:
            found.append(AnsweredQuestion(question, times))
        if len(found) == ANSWERED_QUESTIONS:
            break
    return found


def _most_asked(session: Session) -> list[tuple[str, int]]:
    """The questions asked most (the same words, whatever the case), none marked as not
    answered and none that found nothing, as they were last typed."""
    rows = session.execute(
        select(SearchLogEntry.query, SearchLogEntry.marked_unanswered, SearchLogEntry.hit_count)
        .order_by(desc(SearchLogEntry.asked_at))
        .limit(5000)
    ).all()
    times: Counter[str] = Counter()
    shown: dict[str, str] = {}
    refused: set[str] = set()
    for query, unanswered, hits in rows:
        key = " ".join(query.casefold().split())
        if unanswered or not hits:
            refused.add(key)
            continue
        times[key] += 1
        shown.setdefault(key, " ".join(query.split()))
    return [(shown[key], n) for key, n in times.most_common() if key not in refused][:CANDIDATES]


def first_visit(session: Session, viewer: Viewer, answered: list[AnsweredQuestion]) -> FirstVisit:
    return FirstVisit(
        topics=topics_with_counts(session, viewer),
        latest=latest_published(session, viewer),
        answered=answered,
    )
