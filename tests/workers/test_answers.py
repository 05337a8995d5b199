"""A passage's sentences, each knowing where its speaker's turn began, and where to play."""

from __future__ import annotations

from baton.workers.answers import (
    Landing,
    SpokenSentence,
    answering,
    play_from,
    spoken_sentences,
)
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

    plain = Landing(turn_reach=20.0, reply_margin=0.0, number_boost=0.0)

    assert answering(said, [0.1, 0.2, 0.7, 0.3], "How hot?", plain) == 2
    assert answering(said, [0.1, 0.9, 0.7, 0.3], "How hot?", plain) == 2  # asked: its reply
    assert answering(said[:2], [0.1, 0.9], "How hot?", plain) == 1  # nothing after it


def test_a_question_asked_after_the_closest_sentence_is_answered_by_the_reply() -> None:
    said = [
        SpokenSentence(0.0, 4.0, 0.0, "This is the ladle furnace."),
        SpokenSentence(4.0, 6.0, 0.0, "What happens there?"),
        SpokenSentence(6.0, 9.0, 6.0, "It heats about four degrees a minute."),
        SpokenSentence(9.0, 12.0, 6.0, "On tap nine."),
        SpokenSentence(12.0, 14.0, 12.0, "Got it?"),
        SpokenSentence(14.0, 15.0, 15.0, "Yes."),
    ]
    landing = Landing(turn_reach=20.0, reply_margin=0.1, number_boost=0.0)

    # The lead-up names the furnace; the reply, a little less close, answers.
    assert answering(said, [0.50, 0.1, 0.45, 0.2, 0.0, 0.0], "How fast?", landing) == 2
    # A reply far less close than the lead-up is not the answer.
    assert answering(said, [0.50, 0.1, 0.30, 0.2, 0.0, 0.0], "How fast?", landing) == 0
    # From the reply, a later "Got it?" and its "Yes." do not take the answer further.
    assert answering(said, [0.1, 0.1, 0.45, 0.2, 0.1, 0.05], "How fast?", landing) == 2


def test_a_question_for_an_amount_prefers_the_sentence_that_says_one() -> None:
    said = [
        SpokenSentence(0.0, 4.0, 0.0, "The die goes on the preheat stand first."),
        SpokenSentence(4.0, 8.0, 0.0, "Between two hundred and two fifty degrees."),
    ]
    landing = Landing(turn_reach=20.0, reply_margin=0.0, number_boost=0.1)

    assert answering(said, [0.5, 0.45], "How warm must the die be?", landing) == 1
    assert answering(said, [0.5, 0.45], "When it is back, how warm must it be?", landing) == 1
    # Not asking for an amount: the closest stays; nor does an amount asked inside the question.
    assert answering(said, [0.5, 0.45], "Where does the die go first?", landing) == 0
    assert answering(said, [0.5, 0.45], "Which gauge tells how warm it is?", landing) == 0
