"""Account administration (admins only): add accounts, change roles, disable, reset passwords."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy.orm import Session

from baton.service.accounts import users
from baton.service.api.access import ADMINS
from baton.service.api.account_schemas import PasswordReset, UserChanges, UserCreate, UserPublic
from baton.service.api.callers import AdminDep
from baton.service.api.deps import RuntimeDep, in_transaction
from baton.service.api.schemas import Problem

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
    return await in_transaction(
        runtime,
        lambda s: UserPublic.of(users.change_user(s, user_id[:36], **values, actor=admin.email)),
    )


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
