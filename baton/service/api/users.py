"""Account administration (admins only): add accounts, change roles, disable, reset passwords."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy.orm import Session

from baton.service.accounts import users
from baton.service.accounts.audit import audit
from baton.service.accounts.browser import sign_out_everywhere
from baton.service.api.access import ADMINS
from baton.service.api.account_schemas import PasswordReset, UserChanges, UserCreate, UserPublic
from baton.service.api.callers import AdminDep
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.schemas import Problem
from baton.service.db.programme import Person
from baton.service.errors import not_found

router = APIRouter(prefix="/api/v1/users", tags=["accounts"], dependencies=ADMINS)
_ERRORS: dict[int | str, dict[str, object]] = {
    403: {"model": Problem},
    404: {"model": Problem},
    409: {"model": Problem},
    422: {"model": Problem},
}


@router.get("", response_model=list[UserPublic], responses=_ERRORS, summary="Every account.")
async def list_users(admin: AdminDep, runtime: RuntimeDep) -> list[UserPublic]:
    return await in_transaction(runtime, lambda s: [UserPublic.of(u) for u in users.list_users(s)])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    responses=_ERRORS,
    summary="Add an account (a password, or none for single sign-on only).",
)
async def create_user(body: UserCreate, admin: AdminDep, runtime: RuntimeDep) -> UserPublic:
    def create(session: Session) -> UserPublic:
        user = users.create_user(
            session,
            body.email,
            body.password,
            body.roles,
            person_id=body.person_id,
            actor=admin.email,
        )
        return UserPublic.of(user)

    return await in_transaction(runtime, create)


@router.patch(
    "/{user_id}",
    response_model=UserPublic,
    responses=_ERRORS,
    summary="Change an account's roles or person, or disable it (which signs it out).",
)
async def change_user(
    user_id: str, body: UserChanges, admin: AdminDep, runtime: RuntimeDep
) -> UserPublic:
    values = body.model_dump(exclude_unset=True)

    def change(session: Session) -> UserPublic:
        user = users.get_user(session, user_id[:36])
        if values.get("roles") is not None:
            user.roles = users.check_roles(values["roles"])
        if "person_id" in values:
            person_id = values["person_id"]
            if person_id is not None and session.get(Person, person_id) is None:
                raise not_found("person", person_id)
            user.person_id = person_id
        if values.get("disabled") is not None:
            user.disabled = bool(values["disabled"])
            if user.disabled:
                sign_out_everywhere(session, user.id)
        audit(session, "user.changed", actor=admin.email, target=user.id, **values)
        return UserPublic.of(user)

    return await in_transaction(runtime, change)


@router.post(
    "/{user_id}/password",
    response_model=UserPublic,
    responses=_ERRORS,
    summary="Set a forgotten password anew; lifts a lockout and signs the account out.",
)
async def reset_password(
    user_id: str, body: PasswordReset, admin: AdminDep, runtime: RuntimeDep
) -> UserPublic:
    return await in_transaction(
        runtime,
        lambda s: UserPublic.of(
            users.reset_password(s, user_id[:36], body.password, actor=admin.email)
        ),
    )
