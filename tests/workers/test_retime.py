"""Corrected words keep the recogniser's timings wherever they did not change."""

from __future__ import annotations

from baton.workers.retime import retime_words
from baton.workers.transcript import Word

OLD = (
    Word(10.0, 10.4, "Check", 0.9),
    Word(10.4, 10.8, "valve", 0.9),
    Word(10.8, 11.0, "V", 0.4),
    Word(11.0, 11.3, "two", 0.4),
    Word(11.3, 11.6, "oh", 0.4),
    Word(11.6, 12.0, "four.", 0.4),
)


def test_unchanged_words_keep_their_times_and_replaced_words_share_the_old_span() -> None:
    words = retime_words(OLD, "Check valve V-204.", 10.0, 12.0)
    assert [w.text for w in words] == ["Check", "valve", "V-204."]
    assert (words[0].start, words[1].end) == (10.0, 10.8)
    assert (words[2].start, words[2].end) == (10.8, 12.0)
    assert words[2].probability == 1.0


def test_inserted_words_fill_the_gap_they_go_into() -> None:
    words = retime_words(OLD[:2], "Check the valve", 10.0, 10.8)
    assert [w.text for w in words] == ["Check", "the", "valve"]
    assert words[1].start == words[0].end == 10.4
    assert words[2].start == 10.4


def test_a_segment_without_words_spreads_the_text_over_its_span() -> None:
    words = retime_words((), "one two", 5.0, 6.0)
    assert [(w.start, w.end) for w in words] == [(5.0, 5.5), (5.5, 6.0)]


def test_clearing_the_text_leaves_no_words() -> None:
    assert retime_words(OLD, "", 10.0, 12.0) == ()
