"""A passage's sentences, each knowing where its speaker's turn began, and where to play."""

from __future__ import annotations

from baton.workers.answers import SpokenSentence, answering, play_from, spoken_sentences
from baton.workers.transcript import Segment, Word


def _segment(start: float, text: str, speaker: str | None) -> Segment:
    words = tuple(
        Word(start + n, start + n + 0.8, token, 0.9) for n, token in enumerate(text.split())
    )
    return Segment(start, words[-1].end, text, words, speaker)


def test_each_sentence_knows_where_its_speakers_turn_began() -> None:
    segments = [
        _segment(0.0, "How hot do we tap?", "S1"),
        _segment(5.0, "Well. It depends on the grade.", "S2"),
        _segment(12.0, "For this one sixteen forty.", "S2"),
        _segment(20.0, "Right.", None),
        _segment(22.0, "Thanks.", None),
    ]

    found = spoken_sentences(segments)

    assert [(s.text, s.start, s.turn_start) for s in found] == [
        ("How hot do we tap?", 0.0, 0.0),
        ("Well.", 5.0, 5.0),
        ("It depends on the grade.", 6.0, 5.0),
        ("For this one sixteen forty.", 12.0, 5.0),
        ("Right.", 20.0, 20.0),
        ("Thanks.", 22.0, 22.0),  # no speaker known: a turn of its own
    ]


def test_an_answer_plays_from_its_turn_when_that_began_shortly_before() -> None:
    early = SpokenSentence(start=12.0, end=15.0, turn_start=5.0, text="For this one.")
    late = SpokenSentence(start=40.0, end=44.0, turn_start=5.0, text="And then cool it.")

    assert play_from(early, reach=8.0) == 5.0
    assert play_from(late, reach=8.0) == 40.0


def test_the_closest_sentence_answers_unless_it_asks_then_the_reply_does() -> None:
    said = [
        SpokenSentence(0.0, 3.0, 0.0, "Morning."),
        SpokenSentence(3.0, 6.0, 3.0, "How hot do we tap S355?"),
        SpokenSentence(6.0, 9.0, 6.0, "About sixteen forty."),
        SpokenSentence(9.0, 12.0, 6.0, "Hotter in winter."),
    ]

    assert answering(said, [0.1, 0.2, 0.7, 0.3]) == 2
    assert answering(said, [0.1, 0.9, 0.7, 0.3]) == 2  # the question asked: its reply
    assert answering(said[:2], [0.1, 0.9]) == 1  # nothing after it to play instead
