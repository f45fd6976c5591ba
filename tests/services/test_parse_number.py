"""Numbers as people type them into the measure forms."""

from __future__ import annotations

import pytest

from cuspdesk.errors import ValidationError
from cuspdesk.services.validation import parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("   ", None),
        ("12", 12.0),
        (" 3.5 ", 3.5),
        ("1,234", 1234.0),
        ("1,234,567.25", 1234567.25),
        ("3,5", 3.5),
        ("1 234", 1234.0),
        ("-2", -2.0),
        ("٣", 3.0),
    ],
)
def test_numbers_people_type_are_read(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["twelve", "1.2.3", "nan", "inf", "1e999", "12 patients", "1,2,3"])
def test_anything_else_is_refused_in_words(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_number(text, "The numerator", "numerator")
    assert str(caught.value) == "The numerator must be a number, like 12 or 3.5."
    assert caught.value.field == "numerator"
