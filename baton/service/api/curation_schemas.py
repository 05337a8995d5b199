"""What the curation routes send back: topics, glossary terms, tags with their evidence."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from baton.service.curation.tags import TagView
from baton.service.curation.topics import TopicCounts, TopicPassage
from baton.service.db.curation import GlossaryTerm, Topic


class TopicPublic(BaseModel):
    id: str
    name: str
    description: str
    keywords: list[str]
    synonyms: list[str]
    parent_id: str | None
    owner_id: str | None
    approved_passages: int = 0
    suggested_passages: int = 0
    minutes_approved: float = 0.0

    @classmethod
    def of(cls, topic: Topic, counts: TopicCounts | None = None) -> TopicPublic:
        return cls(
            id=topic.id,
            name=topic.name,
            description=topic.description,
            keywords=list(topic.keywords),
            synonyms=list(topic.synonyms),
            parent_id=topic.parent_id,
            owner_id=topic.owner_id,
            approved_passages=counts.approved if counts else 0,
            suggested_passages=counts.suggested if counts else 0,
            minutes_approved=counts.minutes_approved if counts else 0.0,
        )


class TopicList(BaseModel):
    topics: list[TopicPublic]


class TopicPassagePublic(BaseModel):
    tag_id: int
    topic_id: str
    recording_id: str
    recording_title: str
    session_id: str | None
    held_on: date | None
    start: float
    end: float
    text: str
    speakers: list[str] = Field(description="Who spoke: the session's participants for now.")

    @classmethod
    def of(cls, passage: TopicPassage) -> TopicPassagePublic:
        return cls(**passage.__dict__)


class TopicPassages(BaseModel):
    topic_id: str
    passages: list[TopicPassagePublic]


class GlossaryTermPublic(BaseModel):
    id: str
    term: str
    synonyms: list[str]
    description: str

    @classmethod
    def of(cls, term: GlossaryTerm) -> GlossaryTermPublic:
        return cls(
            id=term.id, term=term.term, synonyms=list(term.synonyms), description=term.description
        )


class GlossaryList(BaseModel):
    terms: list[GlossaryTermPublic]


class TagPublic(BaseModel):
    id: int
    kind: str = Field(description="goal or topic")
    goal_id: str | None
    topic_id: str | None
    target_name: str
    status: str
    recording_id: str
    recording_title: str
    passage_id: str
    start: float
    end: float
    text: str
    score: float = Field(description="The evidence score that cleared the threshold.")
    similarity: float = Field(description="Cosine similarity of passage and goal or topic.")
    matched_words: list[str] = Field(description="The goal's or topic's own words it says.")
    decided_at: datetime | None

    @classmethod
    def of(cls, view: TagView) -> TagPublic:
        tag = view.tag
        return cls(
            id=tag.id,
            kind=view.kind,
            goal_id=tag.goal_id,
            topic_id=tag.topic_id,
            target_name=view.target_name,
            status=tag.status,
            recording_id=tag.recording_id,
            recording_title=view.recording_title,
            passage_id=tag.passage_id,
            start=tag.start,
            end=tag.end,
            text=view.text,
            score=tag.score,
            similarity=tag.similarity,
            matched_words=list(tag.matched_words),
            decided_at=tag.decided_at,
        )


class TagList(BaseModel):
    tags: list[TagPublic]
    total: int
