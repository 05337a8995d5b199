"""The sentences under a search's hits: read once, each scored once against the question."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from baton.service.answers import HitSentences, HitSpan, _merged, packed
from baton.workers.answers import Landing


class _Row(NamedTuple):
    recording_id: str
    start: float
    end: float
    turn_start: float
    text: str
    vector: bytes


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


QUESTION = _unit(1.0, 0.0)
ROWS = [
    _Row("r1", 0.0, 4.0, 0.0, "The ladle is here.", packed(_unit(0.6, 0.8))),
    _Row("r1", 4.0, 8.0, 0.0, "Preheat it to 1100.", packed(_unit(1.0, 0.0))),
    _Row("r1", 8.0, 12.0, 8.0, "Right.", packed(_unit(0.0, 1.0))),
    _Row("r2", 0.0, 5.0, 0.0, "Elsewhere entirely.", packed(_unit(0.0, 1.0))),
]


def test_a_span_is_as_close_as_the_mean_of_its_best_sentences() -> None:
    under = HitSentences(ROWS, QUESTION)

    assert under.closeness(HitSpan("r1", 0.0, 12.0), top=1) == 1.0
    assert abs(under.closeness(HitSpan("r1", 0.0, 12.0), top=2) - 0.8) < 1e-3  # (1.0 + 0.6) / 2
    assert under.closeness(HitSpan("r1", 7.0, 12.0), top=2) == 0.0  # only "Right." is inside
    assert under.closeness(HitSpan("r3", 0.0, 10.0), top=2) is None  # nothing stored


def test_the_answer_comes_from_the_same_sentences() -> None:
    under = HitSentences(ROWS, QUESTION)
    landing = Landing(turn_reach=20.0, reply_margin=0.0, number_boost=0.0)

    answer = under.answer(HitSpan("r1", 0.0, 12.0), "How hot is the ladle preheated?", landing)

    assert answer is not None
    assert answer.text == "Preheat it to 1100."
    assert answer.play_from == 0.0  # its speaker's turn began 4 s before


def test_overlapping_spans_of_a_recording_are_read_as_one_range() -> None:
    spans = [
        HitSpan("r1", 30.0, 60.0),
        HitSpan("r1", 0.0, 40.0),
        HitSpan("r2", 0.0, 10.0),
        HitSpan("r1", 90.0, 100.0),
    ]

    assert _merged(spans) == [("r1", 0.0, 60.0), ("r1", 90.0, 100.0), ("r2", 0.0, 10.0)]
