"""People in the programme: add, change, list, remove (never while they are in a pair)."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from baton.service.db.lookup import get_or_refuse
from baton.service.db.programme import Pair, Person
from baton.service.errors import Conflict, flush_or_conflict
from baton.service.programme.forms import PersonChanges, PersonFields


def create_person(session: Session, fields: PersonFields) -> Person:
    _email_free(session, fields.email)
    person = Person(id=str(uuid.uuid4()), **fields.model_dump())
    session.add(person)
    flush_or_conflict(session, f"Someone in the programme already has the email {fields.email}.")
    return person


def update_person(session: Session, person_id: str, changes: PersonChanges) -> Person:
    person = get_person(session, person_id)
    values = changes.model_dump(exclude_unset=True)
    if values.get("email") not in (None, person.email):
        _email_free(session, values["email"])
    for key, value in values.items():
        if value is None and key in ("name", "email", "skills_to_teach", "skills_to_learn"):
            continue  # required fields: null means "leave as is"
        setattr(person, key, value)
    flush_or_conflict(session, f"Someone in the programme already has the email {person.email}.")
    return person


def delete_person(session: Session, person_id: str) -> None:
    """Remove a person who is in no pair; a pair member must leave their pairs first."""
    person = get_person(session, person_id)
    paired = session.scalars(
        select(Pair.id).where(
            or_(Pair.first_member_id == person_id, Pair.second_member_id == person_id)
        )
    ).first()
    if paired is not None:
        raise Conflict(
            f"{person.name} is a member of pair {paired}. Delete or end the pair first; "
            "ending it keeps the sessions that were recorded."
        )
    session.delete(person)


def get_person(session: Session, person_id: str) -> Person:
    return get_or_refuse(session, Person, person_id, "person")


def list_people(session: Session, email: str | None = None) -> list[Person]:
    query = select(Person).order_by(Person.name)
    if email:
        query = query.where(Person.email == email.strip().lower())
    return list(session.scalars(query))


def _email_free(session: Session, email: str) -> None:
    if session.scalars(select(Person.id).where(Person.email == email)).first():
        raise Conflict(f"Someone in the programme already has the email {email}.")
