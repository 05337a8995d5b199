"""What curators send to create or change topics and glossary terms."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from baton.service.programme.forms import Form, Name, Terms, Text

TagStatus = Literal["suggested", "confirmed", "rejected"]


class TopicFields(Form):
    name: Name
    description: Text = ""
    keywords: Terms = Field(default_factory=list)
    synonyms: Terms = Field(default_factory=list)
    parent_id: str | None = Field(None, description="Nest under this topic (one level only).")
    owner_id: str | None = Field(None, description="The person who looks after the topic.")


class TopicChanges(Form):
    name: Name | None = None
    description: Text | None = None
    keywords: Terms | None = None
    synonyms: Terms | None = None
    parent_id: str | None = None
    owner_id: str | None = None


class TopicMerge(Form):
    into_id: str = Field(description="The topic that absorbs this one and keeps its passages.")


class GlossaryFields(Form):
    term: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    synonyms: Terms = Field(default_factory=list)
    description: Text = ""


class GlossaryChanges(Form):
    term: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    ) = None
    synonyms: Terms | None = None
    description: Text | None = None


class TagDecision(Form):
    status: TagStatus = Field(
        description="confirmed or rejected; suggested undoes a decision. A rejection is kept "
        "through re-processing."
    )
