"""Routes for people in the programme, and partner suggestions for each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlalchemy.orm import Session

from baton.service.api.access import SIGNED_IN, STAFF
from baton.service.api.callers import Caller, CallerDep, Forbidden
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.programme_schemas import (
    PartnerSuggestionPublic,
    PartnerSuggestions,
    PeopleList,
    PersonPublic,
)
from baton.service.api.schemas import Problem
from baton.service.programme import people
from baton.service.programme.forms import PersonChanges, PersonFields
from baton.service.programme.partners import suggest_partners

router = APIRouter(prefix="/api/v1/people", tags=["programme"], dependencies=SIGNED_IN)

PersonId = Annotated[str, Path(max_length=36)]
_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem},
    409: {"model": Problem},
    422: {"model": Problem},
}


@router.post("", dependencies=STAFF, status_code=status.HTTP_201_CREATED, responses=_ERRORS)
async def create_person(fields: PersonFields, runtime: RuntimeDep) -> PersonPublic:
    return await in_transaction(runtime, lambda s: PersonPublic.of(people.create_person(s, fields)))


@router.get(
    "",
    summary="Everyone in the programme, by name; or the one with an email (not for learners).",
    responses={403: {"model": Problem}},
)
async def list_people(
    caller: CallerDep,
    runtime: RuntimeDep,
    email: Annotated[str | None, Query(max_length=320)] = None,
) -> PeopleList:
    in_full = _sees_in_full(caller)
    if email is not None and not in_full:
        raise Forbidden("Looking people up by email is for mentors, curators and admins.")
    return await in_transaction(
        runtime,
        lambda s: PeopleList(
            people=[PersonPublic.of(p, in_full=in_full) for p in people.list_people(s, email)]
        ),
    )


@router.get("/{person_id}", responses=_ERRORS)
async def get_person(person_id: PersonId, caller: CallerDep, runtime: RuntimeDep) -> PersonPublic:
    in_full = _sees_in_full(caller)
    return await in_transaction(
        runtime, lambda s: PersonPublic.of(people.get_person(s, person_id), in_full=in_full)
    )


def _sees_in_full(caller: Caller) -> bool:
    """Everyone but a learner (and only a learner) sees a person's contact and plans."""
    return bool(caller.roles - {"learner"})


@router.patch(
    "/{person_id}",
    dependencies=STAFF,
    responses=_ERRORS,
    summary="Change the fields the body names.",
)
async def update_person(
    person_id: PersonId, changes: PersonChanges, runtime: RuntimeDep
) -> PersonPublic:
    return await in_transaction(
        runtime, lambda s: PersonPublic.of(people.update_person(s, person_id, changes))
    )


@router.delete(
    "/{person_id}",
    dependencies=STAFF,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_ERRORS,
    summary="Remove someone who is in no pair.",
)
async def delete_person(person_id: PersonId, runtime: RuntimeDep) -> Response:
    await in_transaction(runtime, lambda s: people.delete_person(s, person_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{person_id}/partner-suggestions",
    dependencies=STAFF,
    responses=_ERRORS,
    summary="Who would complement this person best, both ways, with the reason in words.",
)
async def partner_suggestions(
    person_id: PersonId,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> PartnerSuggestions:
    def work(session: Session) -> PartnerSuggestions:
        found = suggest_partners(session, runtime.dense, person_id, limit)
        return PartnerSuggestions(
            person_id=person_id, suggestions=[PartnerSuggestionPublic.of(f) for f in found]
        )

    return await in_transaction(runtime, work)
