"""Values per period: counts, proportions, rates and between-event measures."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuspdesk.errors import ValidationError
from cuspdesk.services.measure_values import (
    between_events,
    cases_between_from_case_numbers,
    count_value,
    days_between_events,
    period_value,
    proportion,
    rate,
)


def test_proportion_and_percentage() -> None:
    assert proportion(12, 50) == pytest.approx(0.24)
    assert proportion(12, 50, multiplier=100) == pytest.approx(24.0)
    assert proportion(0, 7) == 0.0
    assert proportion(7, 7) == 1.0


def test_rate_per_thousand_patient_days() -> None:
    """3 falls in 1,250 patient-days is 2.4 falls per 1,000 patient-days (3 / 1250 × 1000)."""
    assert rate(3, 1250, 1000) == pytest.approx(2.4)
    assert rate(2, 950, 1000) == pytest.approx(2.1052631578947)
    # any multiplier: central-line infections per 100 line-days
    assert rate(1, 400, 100) == pytest.approx(0.25)
    # a rate may exceed the exposure count (two events on one day)
    assert rate(3, 2, 1) == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("num", "den", "message"),
    [
        (1, 0, "The denominator is 0."),
        (1, -2, "The denominator cannot be below 0."),
        (-1, 5, "The numerator cannot be below 0."),
        (6, 5, "The numerator (6) is larger than the denominator (5)."),
    ],
)
def test_proportion_refuses_impossible_figures(num: float, den: float, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        proportion(num, den)
    assert str(exc.value) == message


def test_rate_refuses_zero_exposure_and_bad_multiplier() -> None:
    with pytest.raises(ValidationError, match="The denominator is 0"):
        rate(1, 0)
    with pytest.raises(ValidationError, match="multiplier must be above 0"):
        rate(1, 10, 0)
    with pytest.raises(ValidationError, match="must be a number"):
        rate("3", 10)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ordinary number"):
        rate(float("nan"), 10)


def test_count() -> None:
    assert count_value(4) == 4.0
    with pytest.raises(ValidationError, match="below 0"):
        count_value(-1)


def test_days_between_events_from_dates() -> None:
    """Hand check: 1 Jan → 11 Jan = 10 days, → 11 Jan again = 0 days, → 10 Feb = 30 days."""
    events = [date(2024, 1, 11), date(2024, 1, 1), date(2024, 2, 10), date(2024, 1, 11)]
    assert days_between_events(events) == [
        (date(2024, 1, 11), 10.0),
        (date(2024, 1, 11), 0.0),
        (date(2024, 2, 10), 30.0),
    ]
    assert days_between_events([date(2024, 1, 1)]) == []


def test_cases_between_from_case_numbers() -> None:
    """Events on cases 10, 14 and 15: three cases (11-13) then none between them."""
    assert cases_between_from_case_numbers([14, 10, 15]) == [3.0, 0.0]
    with pytest.raises(ValidationError, match="listed twice"):
        cases_between_from_case_numbers([3, 3])


def test_between_events_given_directly() -> None:
    assert between_events([0, 12.5, 40]) == [0.0, 12.5, 40.0]
    with pytest.raises(ValidationError, match="days between events cannot be below 0"):
        between_events([3, -1])


def test_period_value_by_unit() -> None:
    assert period_value("count", value=3) == 3.0
    assert period_value("count", numerator=5) == 5.0
    assert period_value("proportion", numerator=3, denominator=4, multiplier=100) == 75.0
    assert period_value("rate", numerator=2, denominator=500, multiplier=1000) == 4.0
    assert period_value("days_between", value=17) == 17.0
    assert period_value("cases_between", value=0) == 0.0
    assert period_value("rate") is None
    assert period_value("count") is None
    with pytest.raises(ValidationError, match="needs both a numerator and a denominator"):
        period_value("proportion", numerator=3)
    with pytest.raises(ValidationError, match="needs both a numerator and a denominator"):
        period_value("rate", denominator=3)


@settings(deadline=None)  # timing varies on a shared machine
@given(
    num=st.integers(min_value=0, max_value=10_000),
    extra=st.integers(min_value=0, max_value=10_000),
)
def test_proportion_is_between_0_and_1(num: int, extra: int) -> None:
    den = num + extra
    if den == 0:
        return
    assert 0.0 <= proportion(num, den) <= 1.0


@settings(deadline=None)  # timing varies on a shared machine
@given(
    num=st.integers(min_value=0, max_value=10_000),
    den=st.integers(min_value=1, max_value=10_000),
    mult=st.sampled_from([1.0, 100.0, 1000.0, 10_000.0]),
)
def test_rate_scales_with_the_multiplier(num: int, den: int, mult: float) -> None:
    assert rate(num, den, mult) == pytest.approx(rate(num, den, 1.0) * mult)
