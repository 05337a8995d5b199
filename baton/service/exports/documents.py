"""What an export is made of, loaded once and rendered into any format.

Renderers (``recording_formats.py``, ``topic_pack.py``) are pure functions over these frozen
values, so each format is tested by parsing it back without a database or a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ExportLine:
    """One stretch of speech by one speaker: a transcript segment as people should read it."""

    start: float
    end: float
    text: str
    speaker: str | None
    """The speaker's name if known ("Graham Pickering"), else their label ("Speaker 1")."""


@dataclass(frozen=True)
class RecordingDocument:
    """A recording's transcript with the facts a reader needs around it."""

    recording_id: str
    title: str
    duration: float
    language: str | None
    held_on: date | None
    pair: str | None
    """The pair's name ("Graham Pickering & Priya Nair"), when the recording is in a session."""
    link: str
    """Where the recording opens in the web app (its moments add ``&t=<seconds>``)."""
    lines: tuple[ExportLine, ...]


@dataclass(frozen=True)
class PackPassage:
    """One approved passage of a topic, with who said it, when, and a link to the moment."""

    recording_id: str
    recording_title: str
    held_on: date | None
    start: float
    end: float
    text: str
    speakers: tuple[str, ...]
    """Names (or labels) of who speaks in the passage, the main speaker first."""
    link: str


@dataclass(frozen=True)
class TopicPack:
    """A topic's knowledge pack: everything the experts said about it, for an onboarding binder."""

    topic_id: str
    name: str
    description: str | None
    keywords: tuple[str, ...]
    owner: str | None
    generated_at: datetime
    passages: tuple[PackPassage, ...]
