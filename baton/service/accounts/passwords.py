"""Password hashing with argon2id, and the rule every new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from baton.service.errors import Invalid

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()
# Verified against when the account does not exist, so that a wrong email takes as long as a
# wrong password and the timing does not tell which accounts exist.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


def check_strength(password: str) -> None:
    """Refuse, in words, a password that is too short or all one character."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"password: use at least {MIN_PASSWORD_LENGTH} characters; a few words "
            "strung together are easy to remember and hard to guess."
        )
    if len(set(password)) < 4:
        raise Invalid("password: use more than a few different characters.")


def hash_password(password: str) -> str:
    check_strength(password)
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
