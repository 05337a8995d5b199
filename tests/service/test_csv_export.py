"""Reports as CSV: text people typed never reaches a spreadsheet as a formula; numbers stay
numbers (``baton/service/analytics/csv_export.py``)."""

from __future__ import annotations

import csv
import io

from baton.service.analytics.csv_export import to_csv


def test_text_that_starts_like_a_formula_gets_an_apostrophe_and_numbers_do_not() -> None:
    rows = [
        {"text": "=1+1", "words": ["@me", "fine"], "count": -3, "share": -0.5},
        {"text": "\ttabbed", "words": ["-minus"], "count": 4, "share": 0.25},
        {"text": "plain words", "words": [], "count": 0, "share": 0.0},
    ]

    read = list(csv.DictReader(io.StringIO(to_csv(rows))))

    assert [r["text"] for r in read] == ["'=1+1", "'\ttabbed", "plain words"]
    assert [r["words"] for r in read] == ["'@me; fine", "'-minus", ""]
    assert [r["count"] for r in read] == ["-3", "4", "0"]
    assert [r["share"] for r in read] == ["-0.5", "0.25", "0.0"]
