"""Any report as CSV: one row per item, lists joined with '; ', dates in ISO form.

Text that people typed (a search, a topic's name, a goal's title) reaches a spreadsheet here. A
cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Sheets as a formula, which can run commands or send data away (CSV injection):
such text gets a leading apostrophe, as OWASP advises, and shows as typed. Numbers are Baton's
own and stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, fields, is_dataclass
from datetime import date, datetime
from typing import Any


def to_csv(rows: Sequence[Any], columns: Sequence[str] | None = None) -> str:
    """Rows of one dataclass type (or dicts) as CSV text with a header line."""
    records = [asdict(r) if is_dataclass(r) and not isinstance(r, type) else dict(r) for r in rows]
    if columns is None:
        if rows and is_dataclass(rows[0]):
            columns = [f.name for f in fields(rows[0])]
        else:
            columns = list(records[0]) if records else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(c)) for c in columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, int | float):
        return str(value)
    return _as_text(_text(value))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_text(v)}" for k, v in value.items())
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(text: str) -> str:
    """Text a spreadsheet will show, never evaluate."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
