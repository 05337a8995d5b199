"""How speakers are shown: a person's name where the voice is named, else "Speaker 1"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.db.programme import Person
from baton.service.db.speakers import RecordingSpeaker

# A passage counts as "said by" everyone who speaks at least this share of it (and by its
# main speaker): a reply of a few words does not make a passage someone's knowledge.
SAID_BY_SHARE = 0.25


@dataclass(frozen=True)
class SpeakerName:
    label: str
    name: str
    person_id: str | None = None
    named_by: str | None = None
    confidence: float | None = None


def unnamed(label: str) -> SpeakerName:
    number = label[1:] if label.startswith("S") and label[1:].isdigit() else label
    return SpeakerName(label=label, name=f"Speaker {number}")


def speaker_names(
    session: Session, recording_ids: Iterable[str]
) -> dict[str, dict[str, SpeakerName]]:
    """For each recording, its speakers by label, named where someone or a print said who."""
    wanted = list(dict.fromkeys(recording_ids))
    rows = session.execute(
        select(RecordingSpeaker, Person.name)
        .outerjoin(Person, Person.id == RecordingSpeaker.person_id)
        .where(RecordingSpeaker.recording_id.in_(wanted))
    ).all()
    names: dict[str, dict[str, SpeakerName]] = {r: {} for r in wanted}
    for speaker, person_name in rows:
        names[speaker.recording_id][speaker.label] = (
            SpeakerName(
                label=speaker.label,
                name=person_name,
                person_id=speaker.person_id,
                named_by=speaker.named_by,
                confidence=speaker.confidence,
            )
            if person_name
            else unnamed(speaker.label)
        )
    return names


def name_of(label: str | None, names: Mapping[str, SpeakerName]) -> SpeakerName | None:
    if label is None:
        return None
    return names.get(label) or unnamed(label)


def said_by(shares: Mapping[str, float], names: Mapping[str, SpeakerName]) -> list[str]:
    """The people a passage counts as said by: its main speaker and anyone with a fair share."""
    total = sum(shares.values())
    people: list[str] = []
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    for rank, (label, seconds) in enumerate(ranked):
        person = names[label].person_id if label in names else None
        if person and (rank == 0 or seconds >= SAID_BY_SHARE * total) and person not in people:
            people.append(person)
    return people
