"""The topic taxonomy: create, rename, describe, nest one level, merge, delete, and list what
each topic holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from baton.service.curation.forms import TopicChanges, TopicFields
from baton.service.db.curation import Tag, Topic
from baton.service.db.lookup import get_or_refuse
from baton.service.db.programme import MentoringSession
from baton.service.db.tables import Passage, Recording
from baton.service.errors import Conflict, Invalid, flush_or_conflict
from baton.service.programme.forms import distinct
from baton.service.programme.people import get_person
from baton.service.speakers.names import speaker_names, unnamed


@dataclass(frozen=True)
class TopicCounts:
    approved: int
    suggested: int
    minutes_approved: float


@dataclass(frozen=True)
class TopicPassage:
    """An approved passage of a topic, with where and when it was said, and by whom."""

    tag_id: int
    topic_id: str
    recording_id: str
    recording_title: str
    session_id: str | None
    held_on: date | None
    start: float
    end: float
    text: str
    speakers: list[str]


def create_topic(session: Session, fields: TopicFields) -> Topic:
    _name_free(session, fields.name)
    topic = Topic(id=str(uuid.uuid4()), **fields.model_dump(exclude={"parent_id", "owner_id"}))
    _set_parent(session, topic, fields.parent_id)
    _set_owner(session, topic, fields.owner_id)
    session.add(topic)
    flush_or_conflict(session, f"A topic called {fields.name!r} already exists.")
    return topic


def update_topic(session: Session, topic_id: str, changes: TopicChanges) -> Topic:
    topic = get_topic(session, topic_id)
    values = changes.model_dump(exclude_unset=True)
    if values.get("name") and values["name"].casefold() != topic.name.casefold():
        _name_free(session, values["name"])
    for key in ("name", "description", "keywords", "synonyms"):
        if values.get(key) is not None:
            setattr(topic, key, values[key])
    if "parent_id" in values:
        _set_parent(session, topic, values["parent_id"])
    if "owner_id" in values:
        _set_owner(session, topic, values["owner_id"])
    flush_or_conflict(session, f"A topic called {topic.name!r} already exists.")
    return topic


def delete_topic(session: Session, topic_id: str) -> list[str]:
    """Delete a topic and its tags (children move to the top level); returns the recordings
    whose passages carried it."""
    topic = get_topic(session, topic_id)
    recording_ids = _recordings_tagged(session, [topic_id])
    for child in session.scalars(select(Topic).where(Topic.parent_id == topic_id)):
        child.parent_id = None
    session.delete(topic)
    return recording_ids


def merge_topics(session: Session, source_id: str, into_id: str) -> tuple[Topic, list[str]]:
    """Fold ``source`` into ``into``: every tag moves across (a confirmed one stays confirmed),
    the source's name becomes a synonym, its keywords and children move, and it is deleted.
    Returns the surviving topic and the recordings whose passages changed."""
    if source_id == into_id:
        raise Invalid("into_id: a topic cannot be merged into itself.")
    source, target = get_topic(session, source_id), get_topic(session, into_id)
    recording_ids = _recordings_tagged(session, [source_id])
    held = {t.passage_id: t for t in session.scalars(select(Tag).where(Tag.topic_id == into_id))}
    for tag in list(session.scalars(select(Tag).where(Tag.topic_id == source_id))):
        twin = held.get(tag.passage_id)
        if twin is None:
            tag.topic_id = into_id
            held[tag.passage_id] = tag
            continue
        if _rank(tag.status) > _rank(twin.status):
            twin.status, twin.decided_at = tag.status, tag.decided_at
        twin.score = max(twin.score, tag.score)
        session.delete(tag)
    target.synonyms = distinct([*target.synonyms, source.name, *source.synonyms])
    target.keywords = distinct([*target.keywords, *source.keywords])
    if target.parent_id == source_id:
        target.parent_id = source.parent_id
    new_parent = target.id if target.parent_id is None else target.parent_id
    for child in session.scalars(select(Topic).where(Topic.parent_id == source_id)):
        child.parent_id = new_parent if child.id != new_parent else None
    session.flush()
    session.delete(source)
    return target, recording_ids


def get_topic(session: Session, topic_id: str) -> Topic:
    return get_or_refuse(session, Topic, topic_id, "topic")


def list_topics(session: Session) -> list[Topic]:
    return list(session.scalars(select(Topic).order_by(Topic.name)))


def topic_counts(session: Session, visible: Select[str] | None = None) -> dict[str, TopicCounts]:
    """Approved and suggested passages per topic (its own tags, not its children's), counting
    only the recordings in ``visible`` when given: a count must not reveal a private passage."""
    counts: dict[str, dict[str, tuple[int, float]]] = {}
    query = (
        select(Tag.topic_id, Tag.status, func.count(), func.sum(Tag.end - Tag.start))
        .where(Tag.topic_id.is_not(None))
        .group_by(Tag.topic_id, Tag.status)
    )
    if visible is not None:
        query = query.where(Tag.recording_id.in_(visible))
    for topic_id, status, number, seconds in session.execute(query):
        counts.setdefault(str(topic_id), {})[status] = (int(number), float(seconds or 0))
    return {
        topic_id: TopicCounts(
            approved=by.get("confirmed", (0, 0.0))[0],
            suggested=by.get("suggested", (0, 0.0))[0],
            minutes_approved=round(by.get("confirmed", (0, 0.0))[1] / 60, 2),
        )
        for topic_id, by in counts.items()
    }


def topic_passages(
    session: Session, topic_id: str, visible: Select[str] | None = None
) -> list[TopicPassage]:
    """The approved passages of a topic and of its child topics, oldest session first, each
    with who says it (named voices, the main speaker first); only those of the recordings in
    ``visible`` when given."""
    get_topic(session, topic_id)
    children = list(session.scalars(select(Topic.id).where(Topic.parent_id == topic_id)))
    query = (
        select(Tag, Passage.text, Passage.speakers, Recording.title, Recording.session_id)
        .join(Passage, Passage.id == Tag.passage_id)
        .join(Recording, Recording.id == Tag.recording_id)
        .where(Tag.topic_id.in_([topic_id, *children]), Tag.status == "confirmed")
    )
    if visible is not None:
        query = query.where(Tag.recording_id.in_(visible))
    rows = session.execute(query).all()
    meetings = {
        m.id: m
        for m in session.scalars(
            select(MentoringSession).where(
                MentoringSession.id.in_({r.session_id for r in rows if r.session_id})
            )
        )
    }
    voices = speaker_names(session, {tag.recording_id for tag, *_ in rows})
    found = []
    for tag, text, shares, title, session_id in rows:
        meeting = meetings.get(session_id) if session_id else None
        found.append(
            TopicPassage(
                tag_id=tag.id,
                topic_id=str(tag.topic_id),
                recording_id=tag.recording_id,
                recording_title=title,
                session_id=session_id,
                held_on=meeting.held_on if meeting else None,
                start=tag.start,
                end=tag.end,
                text=text,
                speakers=[
                    (voices[tag.recording_id].get(label) or unnamed(label)).name
                    for label, _ in sorted((shares or {}).items(), key=lambda item: -item[1])
                ],
            )
        )
    found.sort(key=lambda p: (p.held_on or date.max, p.recording_id, p.start))
    return found


def _rank(status: str) -> int:
    return {"suggested": 0, "rejected": 1, "confirmed": 2}.get(status, 0)


def _recordings_tagged(session: Session, topic_ids: list[str]) -> list[str]:
    return list(
        session.scalars(select(Tag.recording_id).where(Tag.topic_id.in_(topic_ids)).distinct())
    )


def _set_parent(session: Session, topic: Topic, parent_id: str | None) -> None:
    """Topics nest one level: a parent must be top-level, and a parent cannot be nested."""
    if parent_id is None:
        topic.parent_id = None
        return
    if parent_id == topic.id:
        raise Invalid("parent_id: a topic cannot be its own parent.")
    parent = get_topic(session, parent_id)
    if parent.parent_id is not None:
        raise Invalid(f"parent_id: {parent.name!r} is itself nested; topics nest one level only.")
    if topic.id and session.scalars(select(Topic.id).where(Topic.parent_id == topic.id)).first():
        raise Invalid(
            f"parent_id: {topic.name!r} has topics nested under it, so it cannot be nested."
        )
    topic.parent_id = parent_id


def _set_owner(session: Session, topic: Topic, owner_id: str | None) -> None:
    if owner_id is not None:
        get_person(session, owner_id)
    topic.owner_id = owner_id


def _name_free(session: Session, name: str) -> None:
    taken = session.scalars(
        select(Topic.id).where(or_(func.lower(Topic.name) == name.casefold()))
    ).first()
    if taken:
        raise Conflict(
            f"A topic called {name!r} already exists: merge into it or pick another name."
        )
