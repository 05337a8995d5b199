"""Small read helpers: a row by id or a sentence saying it is gone; two columns as a dict."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from baton.service.errors import not_found

Row = TypeVar("Row")


def get_or_refuse(session: Session, model: type[Row], item_id: object, kind: str) -> Row:
    """The row of ``model`` with this id, or ``NotFound`` naming the ``kind`` of thing."""
    row = session.get(model, item_id)
    if row is None:
        raise not_found(kind, str(item_id))
    return row


def lookup(session: Session, statement: Select[*tuple[Any, ...]]) -> dict[Any, Any]:
    """``{first column: second column}`` for every row of ``statement``.

    ``dict(result)`` looks tempting but fails: a result has a ``keys()`` method (the column
    names), so ``dict()`` takes it for a mapping.
    """
    found: dict[Any, Any] = {}
    for key, value in session.execute(statement).tuples():
        found[key] = value
    return found
