"""What a client sends to create or change programme records, validated once for API and CLI.

A ``...Fields`` model creates a record; its ``...Changes`` twin has every field optional and
changes only the fields a request names (JSON merge-patch semantics).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("must be an email address such as name@example.com")
    return value


def distinct(values: list[str]) -> list[str]:
    """Drop repeats, ignoring case, keeping the first spelling and the order."""
    seen: set[str] = set()
    kept = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]
Terms = Annotated[list[Term], Field(max_length=100), AfterValidator(distinct)]
PairStatus = Literal["active", "paused", "ended"]
GoalStatus = Literal["active", "achieved", "paused", "dropped"]


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonFields(Form):
    name: Name
    email: Email
    job_title: ShortText | None = None
    department: ShortText | None = None
    site: ShortText | None = None
    skills_to_teach: Terms = []
    skills_to_learn: Terms = []
    leaving_date: date | None = Field(None, description="Planned leaving or retirement date.")


class PersonChanges(Form):
    name: Name | None = None
    email: Email | None = None
    job_title: ShortText | None = None
    department: ShortText | None = None
    site: ShortText | None = None
    skills_to_teach: Terms | None = None
    skills_to_learn: Terms | None = None
    leaving_date: date | None = None


class PairFields(Form):
    member_ids: Annotated[list[str], Field(min_length=2, max_length=2)] = Field(
        description="The two people of the pair; each teaches the other something."
    )
    started_on: date
    cadence_days: int = Field(14, ge=1, le=366, description="Meet every this many days.")
    session_minutes: int = Field(30, ge=5, le=480, description="Agreed length of a session.")
    status: PairStatus = "active"


class PairChanges(Form):
    started_on: date | None = None
    cadence_days: int | None = Field(None, ge=1, le=366)
    session_minutes: int | None = Field(None, ge=5, le=480)
    status: PairStatus | None = None


class Milestone(Form):
    title: Title
    due_date: date | None = None
    done: bool = False


class GoalFields(Form):
    teacher_id: str = Field(description="The pair member who teaches; the other one learns.")
    title: Title
    description: Text = ""
    milestones: Annotated[list[Milestone], Field(max_length=50)] = []
    status: GoalStatus = "active"


class GoalChanges(Form):
    teacher_id: str | None = None
    title: Title | None = None
    description: Text | None = None
    milestones: Annotated[list[Milestone], Field(max_length=50)] | None = None
    status: GoalStatus | None = None


class SessionFields(Form):
    held_on: date
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    notes: Text = ""
    participant_ids: Annotated[list[str], Field(max_length=20)] | None = Field(
        None, description="Who took part; the pair's two members when left out."
    )


class SessionChanges(Form):
    held_on: date | None = None
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    notes: Text | None = None
    participant_ids: Annotated[list[str], Field(max_length=20)] | None = None
