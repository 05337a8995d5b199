"""What the HTTP API sends back: public shapes, separate from the database rows."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from baton.service.api.transcript_schemas import SpeakerPublic
from baton.service.db.tables import Recording
from baton.service.search import SearchHit

Status = Literal["queued", "processing", "ready", "failed"]


class RecordingPublic(BaseModel):
    id: str
    title: str
    status: Status
    stage: str | None = Field(description="The stage running now, or the last one run.")
    progress: float = Field(ge=0, le=1)
    error: str | None = Field(description="Why processing failed, and what to do about it.")
    duration: float | None = Field(description="Length in seconds.")
    language: str | None
    has_video: bool
    size_bytes: int
    created: datetime
    session_id: str | None = Field(None, description="The mentoring session it belongs to.")
    published: bool = Field(False, description="In the library for everyone signed in.")
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    refining: bool = Field(
        False,
        description="A more accurate transcript is being made; the recording is searchable "
        "on its first transcript meanwhile, and corrections wait until it is done.",
    )
    works_on: bool = Field(
        False,
        description="The caller works on it (a curator, its pair or its uploader): consent, "
        "naming voices and corrections are theirs; a reader of the library only plays it.",
    )

    @classmethod
    def of(cls, recording: Recording) -> RecordingPublic:
        job = recording.status_job
        return cls(
            id=recording.id,
            title=recording.title,
            status=job.status if job else "queued",
            stage=job.stage if job else None,
            progress=job.progress if job else 0.0,
            error=job.error if job else None,
            duration=recording.duration,
            language=recording.language,
            has_video=recording.has_video,
            size_bytes=recording.size_bytes,
            created=recording.created_at,
            session_id=recording.session_id,
            published=recording.published_at is not None,
            stage_seconds=dict(job.stage_seconds or {}) if job else {},
            refining=recording.refining,
        )


class RecordingAccepted(RecordingPublic):
    duplicate: bool = Field(description="True when the same file was already in the library.")


class RecordingList(BaseModel):
    recordings: list[RecordingPublic]


class ReprocessRequest(BaseModel):
    whisper_model: str | None = Field(
        None,
        max_length=300,
        description="Re-transcribe with this model: bundled 'tiny.en' or 'base', or a folder.",
    )


class TagNamePublic(BaseModel):
    id: str
    name: str


class MatchReasonPublic(BaseModel):
    """Why a hit came up: each ranking's verdict and what the passage is tagged to."""

    similarity: float | None = Field(
        description="Cosine similarity of passage and question (null: not among the closest)."
    )
    meaning_rank: int | None = Field(description="Place in the ranking by meaning (1 = best).")
    keyword_score: float | None = Field(
        description="BM25 score on the question's words (null: no word in common)."
    )
    keyword_rank: int | None = Field(description="Place in the ranking by words (1 = best).")
    sentence_similarity: float | None = Field(
        None,
        description="Mean cosine similarity of the passage's closest sentences and the question "
        "(null: not among the best points, or no sentences stored).",
    )
    sentence_rank: int | None = Field(
        None, description="Place in the ranking by closest sentences (1 = best)."
    )
    matched_words: list[str] = Field(
        description="The passage's words that match the question's (stemmed; codes and "
        "numbers however written)."
    )
    goals: list[TagNamePublic] = Field(description="Goals the passage is tagged to.")
    topics: list[TagNamePublic] = Field(description="Topics the passage is tagged to.")


class AnswerPublic(BaseModel):
    """The sentence of a hit that answers the question: the closest in meaning to it, or the
    reply to a question asked in the session that is."""

    start: float
    end: float
    text: str
    similarity: float = Field(description="Cosine similarity of sentence and question.")


class HitPublic(BaseModel):
    recording_id: str
    title: str
    start: float = Field(description="Where the passage begins (seconds).")
    end: float
    text: str = Field(description="The whole passage.")
    play_from: float = Field(
        description="Where to start playing: the answering sentence, or where its speaker's "
        "turn began just before it."
    )
    answer: AnswerPublic | None = Field(
        None,
        description="The passage's sentence that answers the question (null for a recording "
        "processed before sentences were kept).",
    )
    score: float
    session_id: str | None = None
    pair_id: str | None = None
    goal_ids: list[str] = Field(default_factory=list)
    topic_ids: list[str] = Field(default_factory=list)
    speakers: list[SpeakerPublic] = Field(
        default_factory=list, description="Who speaks in the passage, the main speaker first."
    )
    why: MatchReasonPublic | None = Field(None, description="Why this passage matched.")

    @classmethod
    def of(cls, hit: SearchHit) -> HitPublic:
        why = hit.why and MatchReasonPublic.model_validate(hit.why, from_attributes=True)
        answer = hit.answer and AnswerPublic.model_validate(hit.answer, from_attributes=True)
        fields = {
            **hit.__dict__,
            "speakers": [SpeakerPublic.of(s) for s in hit.speakers],
            "why": why,
            "answer": answer,
            "play_from": hit.play_from,
        }
        return cls(**fields)


class FacetValue(BaseModel):
    id: str
    name: str
    count: int


class SearchResults(BaseModel):
    search_id: str = Field(description="Send feedback about this search with this id.")
    query: str
    hits: list[HitPublic]
    facets: dict[str, list[FacetValue]] = Field(
        default_factory=dict,
        description="Per filter (pair, goal, topic, person, said_by): how many ranked "
        "passages each value holds, among the passages this search ranked.",
    )
    best_similarity: float | None = Field(
        None, description="How close the library's best passage came to the question (cosine)."
    )


class Problem(BaseModel):
    """Every error: a sentence a person can act on."""

    detail: str


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(default_factory=dict)
