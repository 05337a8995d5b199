"""Two columns of a query as a dictionary.

``dict(result)`` looks tempting but is wrong: a SQLAlchemy result has a ``keys()`` method (the
column names), so ``dict()`` treats it as a mapping and fails. This spells the loop out once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


def lookup(session: Session, statement: Select[*tuple[Any, ...]]) -> dict[Any, Any]:
    """``{first column: second column}`` for every row of ``statement``."""
    found: dict[Any, Any] = {}
    for key, value in session.execute(statement).tuples():
        found[key] = value
    return found
