"""What the programme routes send back: people, pairs, goals, sessions, partner suggestions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from baton.service.db.programme import Goal, MentoringSession, Person
from baton.service.programme.goals import GoalProgress
from baton.service.programme.pairs import PairState
from baton.service.programme.partners import PartnerSuggestion


class PersonPublic(BaseModel):
    """A person of the programme. A learner sees what a learner needs to know whom to ask:
    name, role, where they work and what they teach; not their email, what they are learning
    or when they leave (those are for mentors, curators and admins)."""

    id: str
    name: str
    email: str | None = Field(description="Empty for a learner.")
    job_title: str | None
    department: str | None
    site: str | None
    skills_to_teach: list[str]
    skills_to_learn: list[str] = Field(description="Empty for a learner.")
    leaving_date: date | None = Field(description="Empty for a learner.")
    created: datetime

    @classmethod
    def of(cls, person: Person, *, in_full: bool = True) -> PersonPublic:
        return cls(
            id=person.id,
            name=person.name,
            email=person.email if in_full else None,
            job_title=person.job_title,
            department=person.department,
            site=person.site,
            skills_to_teach=list(person.skills_to_teach),
            skills_to_learn=list(person.skills_to_learn) if in_full else [],
            leaving_date=person.leaving_date if in_full else None,
            created=person.created_at,
        )


class PeopleList(BaseModel):
    people: list[PersonPublic]


class PairPublic(BaseModel):
    id: str
    name: str = Field(description="The two members' names.")
    member_ids: list[str]
    started_on: date
    cadence_days: int
    session_minutes: int
    status: str
    session_count: int
    last_session_on: date | None
    next_due_on: date
    overdue: bool = Field(description="Active, and the next session by its cadence is past.")

    @classmethod
    def of(cls, state: PairState, name: str) -> PairPublic:
        pair = state.pair
        return cls(
            id=pair.id,
            name=name,
            member_ids=list(pair.member_ids),
            started_on=pair.started_on,
            cadence_days=pair.cadence_days,
            session_minutes=pair.session_minutes,
            status=pair.status,
            session_count=state.session_count,
            last_session_on=state.last_session_on,
            next_due_on=state.next_due_on,
            overdue=state.overdue,
        )


class PairList(BaseModel):
    pairs: list[PairPublic]


class MilestonePublic(BaseModel):
    title: str
    due_date: date | None
    done: bool


class SpokenSharePublic(BaseModel):
    person_id: str | None
    name: str
    minutes: float


class GoalProgressPublic(BaseModel):
    minutes_captured: float
    passages: int
    confirmed_passages: int
    last_session_id: str | None
    last_session_on: date | None
    milestones_done: int
    milestones_total: int
    spoken: list[SpokenSharePublic] = Field(
        default_factory=list,
        description="Who taught whom: minutes each speaker talks in the goal's passages.",
    )


class GoalPublic(BaseModel):
    id: str
    pair_id: str
    teacher_id: str
    learner_id: str
    title: str
    description: str
    milestones: list[MilestonePublic]
    status: str
    created: datetime
    progress: GoalProgressPublic | None = None

    @classmethod
    def of(cls, goal: Goal, progress: GoalProgress | None = None) -> GoalPublic:
        milestones: list[dict[str, Any]] = list(goal.milestones)
        return cls(
            id=goal.id,
            pair_id=goal.pair_id,
            teacher_id=goal.teacher_id,
            learner_id=goal.learner_id,
            title=goal.title,
            description=goal.description,
            milestones=[MilestonePublic(**m) for m in milestones],
            status=goal.status,
            created=goal.created_at,
            progress=(
                GoalProgressPublic(
                    **{
                        **progress.__dict__,
                        "spoken": [SpokenSharePublic(**s.__dict__) for s in progress.spoken],
                    }
                )
                if progress
                else None
            ),
        )


class GoalList(BaseModel):
    goals: list[GoalPublic]


class SessionPublic(BaseModel):
    id: str
    pair_id: str
    held_on: date
    title: str
    notes: str
    participant_ids: list[str]
    recording_ids: list[str]

    @classmethod
    def of(cls, meeting: MentoringSession, recording_ids: list[str]) -> SessionPublic:
        return cls(
            id=meeting.id,
            pair_id=meeting.pair_id,
            held_on=meeting.held_on,
            title=meeting.title,
            notes=meeting.notes,
            participant_ids=[p.id for p in meeting.participants],
            recording_ids=recording_ids,
        )


class SessionList(BaseModel):
    sessions: list[SessionPublic]


class SkillMatchPublic(BaseModel):
    skill: str
    wanted: str
    score: float


class PartnerSuggestionPublic(BaseModel):
    person: PersonPublic
    score: float
    they_teach: list[SkillMatchPublic] = Field(description="What the partner can teach you.")
    you_teach: list[SkillMatchPublic] = Field(description="What you can teach the partner.")
    reason: str

    @classmethod
    def of(cls, suggestion: PartnerSuggestion) -> PartnerSuggestionPublic:
        return cls(
            person=PersonPublic.of(suggestion.person),
            score=suggestion.score,
            they_teach=[SkillMatchPublic(**m.__dict__) for m in suggestion.they_teach],
            you_teach=[SkillMatchPublic(**m.__dict__) for m in suggestion.you_teach],
            reason=suggestion.reason,
        )


class PartnerSuggestions(BaseModel):
    person_id: str
    suggestions: list[PartnerSuggestionPublic]
