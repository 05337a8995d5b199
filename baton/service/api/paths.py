"""Path parameters that several routes share, bounded so that a request can name no id the
database could not hold: a 37-character recording id or a 30-digit row number is a 422 that
says which part is wrong, not a database error."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

RecordingId = Annotated[str, Path(max_length=36, description="The recording's id.")]

# SQLite and PostgreSQL integer keys are signed 64-bit.
RowNumber = Annotated[int, Path(ge=1, le=2**63 - 1)]
