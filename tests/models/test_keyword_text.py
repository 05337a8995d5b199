"""The keyword index's view of text: every way of saying a number, code or word shares tokens."""

from __future__ import annotations

import pytest

from baton.models.keyword_text import keyword_text


@pytest.mark.parametrize(
    ("said", "indexed"),
    [
        ("it normally sits at one hundred and sixty bar", "it normally sits at 160 bar"),
        ("a sample of five", "a sample of 5"),
        ("we tap at 1,640 degrees", "we tap at 1640 degrees"),
        ("150 litres a minute", "150 liters a minute"),
        ("0.5 millimetres off centre", "0.5 millimeters off center"),
        ("booked against labour", "booked against labor"),
        ("the aluminium sticks", "the aluminum sticks"),
        ("130mm billets", "130 millimeters billets"),
        ("torque to 45 Nm", "torque to 45 newton meters"),
        ("45 newton metres", "45 newton meters"),
        ("at 1,640°C", "at 1640 degrees"),
    ],
)
def test_numbers_and_spellings_take_one_form(said: str, indexed: str) -> None:
    assert keyword_text(said) == indexed


def test_one_as_a_word_stays_a_word() -> None:
    assert keyword_text("one more rule, one of them") == "one more rule, one of them"


@pytest.mark.parametrize(
    ("said", "extra"),
    [
        ("valve V-204 sticks", {"V204", "204"}),
        ("procedure CC-EP-007", {"CCEP007", "007"}),
        ("valve V 204", {"V204", "204"}),
        # The recogniser misheard the code's letter: its digits still match.
        ("the last week on d5,520", {"5520"}),
        ("the last week on T-5520", {"T5520", "5520"}),
    ],
)
def test_a_code_adds_its_joined_form_and_its_number(said: str, extra: set[str]) -> None:
    assert extra <= set(keyword_text(said).split())


def test_short_numbers_and_decimals_are_not_codes() -> None:
    assert keyword_text("press P4 at 1.5 bar") == "press P4 at 1.5 bar"


@pytest.mark.parametrize(
    ("said", "joined"),
    [
        ("work order four seven, two nine one", "47291"),
        ("part number eight eight oh, one four two", "880142"),
        ("procedure QY, SV, oh oh nine", "009"),
        ("extension double two, four oh", "2240"),
        ("work order 47, 291", "47291"),
        # What a question types meets what was said: "880-142" joins to the same token.
        ("is 880-142 the right one?", "880142"),
    ],
)
def test_a_number_read_out_in_groups_adds_its_digits_joined(said: str, joined: str) -> None:
    assert joined in keyword_text(said).split()


def test_an_exclamation_before_a_number_is_not_a_code() -> None:
    assert keyword_text("oh, five minutes") == "oh, 5 minutes"


def test_a_misheard_digit_at_the_head_of_a_code_read_digit_by_digit_counts() -> None:
    assert "48115" in keyword_text("work order for 8, 1, 1, 5, new bearings").split()


@pytest.mark.parametrize(
    "said", ["torque to 45 newton meters", "from 5 to 10 bar", "up to 160 bar"]
)
def test_a_word_between_numbers_is_not_a_digit(said: str) -> None:
    assert keyword_text(said) == said
