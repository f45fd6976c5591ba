"""The Checker: the one place text, date and number checks and their wording live."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sentences import assert_plain_sentence

from cuspdesk.errors import Problem, ValidationError
from cuspdesk.services.validation import (
    LONG_TEXT_LIMIT,
    SHORT_TEXT_LIMIT,
    Checker,
    parse_date,
    today,
)


def problems_of(check: Checker) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in check.problems]


def test_required_text_is_trimmed_and_missing_text_is_named() -> None:
    check = Checker()
    assert check.text("description", "The description", "  Pump alarm ignored \n") == (
        "Pump alarm ignored"
    )
    assert check.text("description", "The description", "   \t\n", required=True) == ""
    assert check.text("action_plan", "The action plan", None) == ""
    assert problems_of(check) == [("description", "The description is needed.")]


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x7f", "a\x0bb"])
def test_invisible_control_characters_are_refused(bad: str) -> None:
    check = Checker()
    check.text("notes", "The notes", f"Patient fell{bad} in bay 4")
    assert problems_of(check) == [
        (
            "notes",
            "The notes contains invisible control characters (such as NUL); retype it or "
            "paste it as plain text.",
        )
    ]


def test_line_breaks_and_tabs_are_ordinary_text() -> None:
    check = Checker()
    assert check.text("notes", "The notes", "Line one\r\nLine two\tend") == (
        "Line one\r\nLine two\tend"
    )
    assert check.problems == []


def test_text_over_the_limit_says_how_long_it_is() -> None:
    check = Checker()
    check.text("location", "The location", "x" * 201, limit=200)
    check.text("notes", "The notes", "y" * (LONG_TEXT_LIMIT + 1))
    assert problems_of(check) == [
        ("location", "The location is too long (201 characters; the limit is 200)."),
        ("notes", "The notes is too long (2,000,001 characters; the limit is 2,000,000)."),
    ]


def test_text_at_the_limit_is_accepted() -> None:
    check = Checker()
    check.text("location", "The location", "x" * 200, limit=200)
    assert check.problems == []


def test_a_name_fits_on_one_line_and_under_the_short_limit() -> None:
    check = Checker()
    assert check.name("full_name", "The person's name", "  Dr. Priya Natarajan ") == (
        "Dr. Priya Natarajan"
    )
    check.name("title", "The job title", "Charge nurse\nnights")
    check.name("contact", "The contact details", "z" * (SHORT_TEXT_LIMIT + 1))
    check.name("location", "The location", "", required=False)
    check.name("full_name", "The person's name", " ")
    assert problems_of(check) == [
        ("title", "The job title must fit on one line."),
        ("contact", "The contact details is too long (201 characters; the limit is 200)."),
        ("full_name", "The person's name is needed."),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            date(1949, 12, 31),
            "The target date must be between 1950 and 2100 (1949-12-31 was given).",
        ),
        (date(2101, 1, 1), "The target date must be between 1950 and 2100 (2101-01-01 was given)."),
        (date(1, 1, 1), "The target date must be between 1950 and 2100 (0001-01-01 was given)."),
    ],
)
def test_dates_outside_the_sensible_range_are_refused(value: date, message: str) -> None:
    check = Checker()
    assert check.date_in_range("target_date", "The target date", value) == value
    assert problems_of(check) == [("target_date", message)]


def test_range_edges_and_a_missing_optional_date_are_fine() -> None:
    check = Checker()
    check.date_in_range("a", "The date", date(1950, 1, 1))
    check.date_in_range("a", "The date", date(2100, 12, 31))
    assert check.date_in_range("a", "The date", None) is None
    assert check.problems == []
    check.date_in_range("round_date", "The date of the round", None, required=True)
    assert problems_of(check) == [("round_date", "The date of the round is needed.")]


def test_future_dates_are_refused_where_the_event_already_happened() -> None:
    check = Checker()
    check.not_future("date_identified", "The date identified", today())
    check.not_future("date_identified", "The date identified", None)
    assert check.problems == []
    check.not_future("date_identified", "The date identified", today() + timedelta(days=1))
    assert problems_of(check) == [
        ("date_identified", "The date identified cannot be in the future.")
    ]


def test_a_date_cannot_come_before_the_one_it_follows() -> None:
    check = Checker()
    identified = date(2026, 3, 10)
    check.not_before(
        "target_date", "The target date", identified, identified, "the date identified"
    )
    check.not_before("target_date", "The target date", None, identified, "the date identified")
    check.not_before("target_date", "The target date", identified, None, "the date identified")
    assert check.problems == []
    check.not_before(
        "target_date", "The target date", date(2026, 3, 9), identified, "the date identified"
    )
    assert problems_of(check) == [
        ("target_date", "The target date cannot be before the date identified.")
    ]


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_ratings_are_one_to_five(value: int) -> None:
    check = Checker()
    check.rating("severity", "Severity", value)
    assert problems_of(check) == [("severity", "Severity must be from 1 to 5.")]


def test_ratings_one_to_five_and_blank_are_accepted() -> None:
    check = Checker()
    for value in (None, 1, 2, 3, 4, 5):
        check.rating("severity", "Severity", value)
    assert check.problems == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "The target must be a number."),
        (float("inf"), "The target must be a number."),
        (float("-inf"), "The target must be a number."),
        (-0.5, "The target cannot be less than 0."),
        (1001.0, "The target cannot be more than 1,000."),
        (-1, "The target cannot be less than 0."),
    ],
)
def test_numbers_must_be_real_and_in_range(value: float, message: str) -> None:
    check = Checker()
    check.number("target", "The target", value, minimum=0, maximum=1000)
    assert problems_of(check) == [("target", message)]


@pytest.mark.parametrize(
    ("limit", "shown"), [(1e12, "1,000,000,000,000"), (0.5, "0.5"), (2.25, "2.25"), (0, "0")]
)
def test_limits_are_written_as_people_write_numbers(limit: float, shown: str) -> None:
    check = Checker()
    check.number("value", "The value", limit + 1, maximum=limit)
    assert problems_of(check) == [("value", f"The value cannot be more than {shown}.")]


def test_a_missing_number_is_only_a_problem_when_required() -> None:
    check = Checker()
    assert check.number("target", "The target", None) is None
    assert check.problems == []
    check.number("multiplier", "The multiplier", None, required=True)
    assert problems_of(check) == [("multiplier", "The multiplier is needed.")]


def test_every_problem_is_reported_at_once_in_one_error() -> None:
    check = Checker()
    check.text("description", "The description", "", required=True)
    check.rating("likelihood", "Likelihood", 9)
    check.add(None, "Something about the whole form.")
    with pytest.raises(ValidationError) as caught:
        check.raise_if_any()
    error = caught.value
    assert [p.field for p in error.problems] == ["description", "likelihood", None]
    assert str(error) == (
        "The description is needed. Likelihood must be from 1 to 5. Something about the whole form."
    )
    assert error.field == "description"
    assert error.messages_for("likelihood") == ["Likelihood must be from 1 to 5."]
    assert error.messages_for("severity") == []


def test_no_problems_raises_nothing() -> None:
    check = Checker()
    check.extend([])
    check.raise_if_any()


def test_extend_keeps_problems_from_elsewhere() -> None:
    check = Checker()
    check.extend([Problem("status", "Say why the issue is being reopened.")])
    with pytest.raises(ValidationError, match="reopened"):
        check.raise_if_any()


def test_a_validation_error_needs_at_least_one_problem() -> None:
    with pytest.raises(ValueError):
        ValidationError([])


# --- dates typed as text --------------------------------------------------------------


def test_parse_date_reads_iso_dates_with_spaces_around() -> None:
    assert parse_date(" 2026-03-31 ") == date(2026, 3, 31)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2025-02-29", "2026-00-10"])
def test_parse_date_names_a_day_that_does_not_exist(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text, "The target date", "target_date")
    assert str(caught.value) == f"The target date {text} does not exist on the calendar."
    assert caught.value.field == "target_date"


@pytest.mark.parametrize("text", ["31/03/2026", "March 31", "", "2026-3-31x", "二〇二六年"])
def test_parse_date_shows_the_format_for_anything_else(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text)
    assert str(caught.value) == "The date must be written as YYYY-MM-DD, for example 2026-03-31."


# --- properties -----------------------------------------------------------------------

printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=300
)


@given(printable)
def test_any_printable_text_comes_back_trimmed_and_unchanged_inside(value: str) -> None:
    check = Checker()
    cleaned = check.text("notes", "The notes", value)
    assert cleaned == value.strip()
    assert check.problems == []


@given(st.text(min_size=1, max_size=50))
def test_every_text_message_is_a_plain_sentence(value: str) -> None:
    check = Checker()
    check.text("notes", "The notes", value, required=True, limit=10)
    check.name("location", "The location", value)
    for problem in check.problems:
        assert_plain_sentence(problem.message)
