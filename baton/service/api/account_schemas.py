"""Shapes of the account routes; no secret is ever part of a response except a new token."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from baton.service.db.accounts import ApiToken, User

Password = Field(min_length=1, max_length=1000)


class UserPublic(BaseModel):
    id: str
    email: str
    roles: list[str]
    person_id: str | None
    disabled: bool
    created: datetime

    @classmethod
    def of(cls, user: User) -> UserPublic:
        return cls(
            id=user.id,
            email=user.email,
            roles=list(user.roles),
            person_id=user.person_id,
            disabled=user.disabled,
            created=user.created_at,
        )


class BrowserSession(BaseModel):
    """Whether this browser is signed in, and as whom (``user`` is null when it is not)."""

    user: UserPublic | None


class Credentials(BaseModel):
    email: str = Field(max_length=320)
    password: str = Password


class SignedIn(BaseModel):
    user: UserPublic
    csrf_token: str = Field(description="Send it back as the X-CSRF-Token header on changes.")


class AccessToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until it expires.")


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="What the token is for.")


class TokenPublic(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenPublic:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


class NewToken(TokenPublic):
    token: str = Field(description="The token itself: shown this once, store it now.")


class UserCreate(BaseModel):
    email: str = Field(max_length=320)
    password: str | None = Field(None, max_length=1000)
    roles: list[str] = Field(min_length=1, max_length=4)
    person_id: str | None = Field(None, max_length=36)


class UserChanges(BaseModel):
    roles: list[str] | None = Field(None, min_length=1, max_length=4)
    disabled: bool | None = None
    person_id: str | None = Field(None, max_length=36)


class PasswordReset(BaseModel):
    password: str = Password
