"""User accounts: create, find, change roles, reset a password, and the first admin."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from baton.service.accounts.audit import audit
from baton.service.accounts.browser import sign_out_everywhere
from baton.service.accounts.passwords import hash_password
from baton.service.accounts.tokens import revoke_every_token
from baton.service.db.accounts import SignInFailures, User
from baton.service.db.programme import Person
from baton.service.errors import Conflict, Invalid, flush_or_conflict, not_found

log = logging.getLogger(__name__)

ROLES = ("admin", "curator", "mentor", "learner")


def normal_email(email: str) -> str:
    cleaned = email.strip().lower()
    if "@" not in cleaned or cleaned.startswith("@") or cleaned.endswith("@"):
        raise Invalid(f"email: {email!r} is not an email address.")
    return cleaned


def check_roles(roles: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(roles))
    unknown = [r for r in chosen if r not in ROLES]
    if unknown or not chosen:
        raise Invalid(f"roles: give one or more of {', '.join(ROLES)} (not {unknown or 'none'}).")
    return chosen


def create_user(
    session: Session,
    email: str,
    password: str | None,
    roles: Iterable[str],
    *,
    person_id: str | None = None,
    actor: str | None = None,
) -> User:
    address = normal_email(email)
    if session.scalar(select(User).where(User.email == address)) is not None:
        raise Conflict(f"An account for {address} already exists.")
    if person_id is not None and session.get(Person, person_id) is None:
        raise not_found("person", person_id)
    user = User(
        id=str(uuid.uuid4()),
        email=address,
        password_hash=hash_password(password) if password is not None else None,
        roles=check_roles(roles),
        person_id=person_id,
    )
    session.add(user)
    flush_or_conflict(session, f"An account for {address} already exists.")
    audit(session, "user.created", actor=actor, target=user.id, email=address, roles=user.roles)
    return user


def get_user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user", user_id)
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


_UNSET: object = object()


def change_user(
    session: Session,
    user_id: str,
    *,
    roles: list[str] | None = None,
    disabled: bool | None = None,
    person_id: str | object | None = _UNSET,
    actor: str | None,
) -> User:
    """An admin changes an account's roles, its person (``None`` unlinks it) or disables it;
    a disabled account is signed out everywhere and its tokens end (re-enabling brings none
    back). ``None`` roles or ``disabled`` leave them be.

    A change that would leave no enabled admin is refused: nobody could then manage accounts
    from the web page or the API.
    """
    user = get_user(session, user_id)
    changed: dict[str, object] = {}
    if roles is not None:
        user.roles = changed["roles"] = check_roles(roles)
    if person_id is not _UNSET:
        linked = cast("str | None", person_id)
        if linked is not None and session.get(Person, linked) is None:
            raise not_found("person", linked)
        user.person_id = changed["person_id"] = linked
    if disabled is not None:
        user.disabled = changed["disabled"] = disabled
        if disabled:
            changed["credentials_ended"] = _end_every_credential(session, user.id)
    session.flush()
    enabled = session.scalars(select(User).where(User.disabled.is_(False)))
    if not any("admin" in other.roles for other in enabled):
        raise Conflict(
            f"This would leave no enabled admin account, so nobody could manage accounts: "
            f"make another account an admin before you change {user.email}."
        )
    audit(session, "user.changed", actor=actor, target=user.id, **changed)
    return user


def reset_password(session: Session, user_id: str, password: str, *, actor: str | None) -> User:
    """An admin sets a new password; the lockout is lifted, every browser session signed out
    and every token ended."""
    user = get_user(session, user_id)
    user.password_hash = hash_password(password)
    # Every address starts afresh (see ``login``): a reset is how a locked account gets in.
    session.execute(delete(SignInFailures).where(SignInFailures.user_id == user.id))
    ended = _end_every_credential(session, user.id)
    audit(session, "user.password_reset", actor=actor, target=user.id, credentials_ended=ended)
    return user


def _end_every_credential(session: Session, user_id: str) -> int:
    """Sign the account out of every browser and end every token issued before now: after a
    reset or a disable, nothing handed out under the old password may still work."""
    sign_out_everywhere(session, user_id)
    return revoke_every_token(session, user_id)


GENERATED_ADMIN_EMAIL = "admin@localhost"


def ensure_first_admin(
    session: Session, email: str | None, password: str | None, password_file: Path
) -> User | None:
    """With no account at all, create the first admin; otherwise do nothing.

    The settings name it (BATON_ADMIN_EMAIL and _PASSWORD). Without them, a fresh install still
    has to let someone in: ``admin@localhost`` is made with a random password, written to
    ``password_file`` (readable by the server's user only), as Jenkins and others do.
    """
    if session.scalar(select(func.count()).select_from(User)):
        return None
    if email and password:
        user = create_user(session, email, password, ["admin"], actor="BATON_ADMIN_EMAIL")
        log.info("first admin %s created from the settings", user.email)
        return user
    generated = secrets.token_urlsafe(18)
    user = create_user(session, GENERATED_ADMIN_EMAIL, generated, ["admin"], actor="first start")
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.touch(mode=0o600)
    password_file.chmod(0o600)
    password_file.write_text(f"{GENERATED_ADMIN_EMAIL}\n{generated}\n")
    log.warning(
        "first admin %s created; its password is in %s. Sign in, then make your own accounts "
        "(or set BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD before the first start)",
        user.email,
        password_file,
    )
    return user
