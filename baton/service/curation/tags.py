"""The review queue: suggested tags with their evidence, and the decisions people make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.db.curation import Tag, Topic
from baton.service.db.lookup import lookup
from baton.service.db.programme import Goal
from baton.service.db.tables import Passage, Recording
from baton.service.errors import not_found

TagKind = Literal["goal", "topic"]


@dataclass(frozen=True)
class TagView:
    """A tag with everything a reviewer needs to judge it."""

    tag: Tag
    kind: TagKind
    target_name: str
    recording_title: str
    text: str


@dataclass(frozen=True)
class TagQuery:
    kind: TagKind | None = None
    status: str | None = None
    goal_id: str | None = None
    topic_id: str | None = None
    recording_id: str | None = None
    limit: int = 50
    offset: int = 0


def list_tags(session: Session, query: TagQuery) -> tuple[list[TagView], int]:
    """Tags matching ``query``, strongest evidence first, and how many match in all."""
    statement = select(Tag)
    if query.kind == "goal":
        statement = statement.where(Tag.goal_id.is_not(None))
    elif query.kind == "topic":
        statement = statement.where(Tag.topic_id.is_not(None))
    for column, value in (
        (Tag.status, query.status),
        (Tag.goal_id, query.goal_id),
        (Tag.topic_id, query.topic_id),
        (Tag.recording_id, query.recording_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    tags = list(session.scalars(statement.order_by(Tag.score.desc(), Tag.id)))
    page = tags[query.offset : query.offset + query.limit]
    return describe(session, page), len(tags)


def decide(session: Session, tag_id: int, status: str) -> TagView:
    """Confirm, reject, or return a tag to 'suggested'; the time of the decision is kept."""
    tag = session.get(Tag, tag_id)
    if tag is None:
        raise not_found("tag", str(tag_id))
    tag.status = status
    tag.decided_at = None if status == "suggested" else datetime.now(UTC)
    session.flush()
    return describe(session, [tag])[0]


def describe(session: Session, tags: list[Tag]) -> list[TagView]:
    goal_names = lookup(
        session, select(Goal.id, Goal.title).where(Goal.id.in_({t.goal_id for t in tags}))
    )
    topic_names = lookup(
        session, select(Topic.id, Topic.name).where(Topic.id.in_({t.topic_id for t in tags}))
    )
    titles = lookup(
        session,
        select(Recording.id, Recording.title).where(
            Recording.id.in_({t.recording_id for t in tags})
        ),
    )
    texts = lookup(
        session,
        select(Passage.id, Passage.text).where(Passage.id.in_({t.passage_id for t in tags})),
    )
    return [
        TagView(
            tag=tag,
            kind="goal" if tag.goal_id else "topic",
            target_name=goal_names.get(tag.goal_id or "", "")
            or topic_names.get(tag.topic_id or "", ""),
            recording_title=titles.get(tag.recording_id, ""),
            text=texts.get(tag.passage_id, ""),
        )
        for tag in tags
    ]
