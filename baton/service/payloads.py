"""The filterable fields each passage carries in the index, kept in step with the database.

Search filters run inside the index query, so every fact a filter needs lives on the point:
the recording's session, pair, participants and day, the people it is said by, and the goals
and topics its live tags (suggested or confirmed) point to. A topic's parent is added beside
it, so filtering on a parent topic finds the passages of its children too.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.accounts.audiences import CURATORS, recording_audiences
from baton.service.db.curation import LIVE_TAG_STATUSES, Tag, Topic
from baton.service.db.lookup import lookup
from baton.service.db.programme import MentoringSession
from baton.service.db.tables import Passage, Recording
from baton.service.index.base import IndexPoint
from baton.service.runtime import Runtime
from baton.service.speakers.names import said_by, speaker_names
from baton.workers.embed import EmbeddedPassage

log = logging.getLogger(__name__)


def day_number(day: date) -> int:
    """A date as the integer YYYYMMDD, which range filters compare."""
    return day.year * 10_000 + day.month * 100 + day.day


def recording_fields(session: Session, recording: Recording) -> dict[str, Any]:
    """What every passage of the recording shares: session, pair, people, day, audiences."""
    meeting = session.get(MentoringSession, recording.session_id) if recording.session_id else None
    held_on = meeting.held_on if meeting else recording.created_at.date()
    return {
        "session_id": meeting.id if meeting else None,
        "pair_id": meeting.pair_id if meeting else None,
        "person_ids": sorted(p.id for p in meeting.participants) if meeting else [],
        "day": day_number(held_on),
        "audiences": recording_audiences(
            meeting.pair_id if meeting else None,
            recording.published_at is not None,
            recording.uploaded_by,
        ),
    }


def passage_fields(session: Session, recording_id: str) -> dict[str, dict[str, Any]]:
    """The filterable fields of each of the recording's passages, by passage (point) id.

    Tags are on the passages proper; a shifted search window (phase 1 and up) carries the
    goals and topics of the passages it mostly lies over, so filters and chips find it too.
    """
    recording = session.get(Recording, recording_id)
    if recording is None:
        return {}
    shared = recording_fields(session, recording)
    passages = session.execute(
        select(Passage.id, Passage.speakers, Passage.start, Passage.end, Passage.phase).where(
            Passage.recording_id == recording_id
        )
    ).all()
    names = speaker_names(session, [recording_id])[recording_id]
    goals: dict[str, set[str]] = defaultdict(set)
    topics: dict[str, set[str]] = defaultdict(set)
    parents = lookup(session, select(Topic.id, Topic.parent_id))
    for tag in session.scalars(
        select(Tag).where(Tag.recording_id == recording_id, Tag.status.in_(LIVE_TAG_STATUSES))
    ):
        if tag.goal_id:
            goals[tag.passage_id].add(tag.goal_id)
        if tag.topic_id:
            topics[tag.passage_id].add(tag.topic_id)
            if parents.get(tag.topic_id):
                topics[tag.passage_id].add(str(parents[tag.topic_id]))
    # The passages proper follow one another without overlapping: sorted by start, their ends
    # are sorted too, so the few a window lies over are found by bisection.
    proper = sorted((row for row in passages if row.phase == 0), key=lambda row: row.start)
    ends = [row.end for row in proper]
    for window in (row for row in passages if row.phase != 0):
        for at in range(bisect_right(ends, window.start), len(proper)):
            under = proper[at]
            if under.start >= window.end:
                break
            if _mostly_over(window.start, window.end, under.start, under.end):
                goals[window.id] |= goals[under.id]
                topics[window.id] |= topics[under.id]
    return {
        row.id: {
            **shared,
            "goal_ids": sorted(goals[row.id]),
            "topic_ids": sorted(topics[row.id]),
            "speaker_ids": said_by(row.speakers or {}, names),
        }
        for row in passages
    }


def _mostly_over(start: float, end: float, under_start: float, under_end: float) -> bool:
    """The span start..end lies over at least a third of itself on under_start..under_end."""
    return min(end, under_end) - max(start, under_start) > (end - start) / 3


def sync_payloads(runtime: Runtime, recording_ids: Iterable[str]) -> None:
    """Write the current filterable fields onto the recordings' points in the index."""
    for recording_id in dict.fromkeys(recording_ids):
        with runtime.sessions() as session:
            fields = passage_fields(session, recording_id)
        # Points with identical fields share one update.
        groups: dict[str, tuple[list[str], dict[str, Any]]] = {}
        for point_id, payload in fields.items():
            key = repr(sorted(payload.items()))
            groups.setdefault(key, ([], payload))[0].append(point_id)
        for point_ids, payload in groups.values():
            runtime.index.set_payload(point_ids, payload)


def label_unlabelled_points(runtime: Runtime) -> int:
    """Give the points of a library indexed before access rules existed their fields again.

    Such points carry no audiences, so searches, which filter on them, would never find them.
    Every recording carries the curators' audience, so a count tells whether any point lacks
    them; only then is every recording synced, once. Returns how many recordings were synced.
    """
    if runtime.index.count() == runtime.index.count({"audiences": [CURATORS]}):
        return 0
    with runtime.sessions() as session:
        recording_ids = list(session.scalars(select(Recording.id)))
    sync_payloads(runtime, recording_ids)
    log.info("gave %d recording(s) their audiences in the index", len(recording_ids))
    return len(recording_ids)


def passage_point(
    recording_id: str, point_id: str, embedded: EmbeddedPassage, fields: dict[str, Any]
) -> IndexPoint:
    """A passage as an index point: its vectors, its place and text, and its filter fields."""
    passage = embedded.passage
    return IndexPoint(
        id=point_id,
        dense=embedded.dense,
        sparse=embedded.sparse,
        payload={
            "recording_id": recording_id,
            "position": passage.position,
            "start": passage.start,
            "end": passage.end,
            "text": passage.text,
            "language": passage.language,
            **fields,
        },
    )
