"""Refusals the service layer raises and the API turns into a status and a sentence.

Service functions raise these instead of HTTP errors, so the CLI and the workers can use the
same functions and still tell a person what went wrong and what to do.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


class ServiceError(Exception):
    """A request the service refuses: ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


def not_found(kind: str, item_id: str) -> NotFound:
    return NotFound(f"No {kind} has the id {item_id!r}: it may have been deleted.")


def flush_or_conflict(session: Session, detail: str) -> None:
    """Flush, turning a unique constraint that a concurrent request won into a 409."""
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(detail) from error
