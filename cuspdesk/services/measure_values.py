"""Turn a measure's raw numbers for one period into the value that gets charted.

A unit records what it counted (numerator) and out of what (denominator); the chart
needs one number per period. Keeping the arithmetic here means the GUI, the CSV
reader and the reports all agree on what "rate per 1,000 patient-days" means.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date
from typing import Literal

from cuspdesk.errors import ValidationError

MeasureUnit = Literal["count", "proportion", "rate", "days_between", "cases_between"]
MEASURE_UNITS: tuple[MeasureUnit, ...] = (
    "count",
    "proportion",
    "rate",
    "days_between",
    "cases_between",
)


def _finite(x: float, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValidationError(f"The {what} must be a number.")
    if math.isnan(x) or math.isinf(x):
        raise ValidationError(f"The {what} must be an ordinary number.")
    return float(x)


def count_value(numerator: float) -> float:
    """A count of events in the period, such as falls or infections."""
    n = _finite(numerator, "count")
    if n < 0:
        raise ValidationError("A count cannot be below 0.")
    return n


def proportion(numerator: float, denominator: float, multiplier: float = 1.0) -> float:
    """Share of cases with the outcome; times 100 with ``multiplier=100`` for a percentage.

    A proportion needs the numerator to be part of the denominator, so more events
    than cases means a typing slip, not a real figure.
    """
    num = _finite(numerator, "numerator")
    den = _finite(denominator, "denominator")
    mult = _check_multiplier(multiplier)
    if den <= 0:
        raise ValidationError(
            "The denominator is 0." if den == 0 else "The denominator cannot be below 0."
        )
    if num < 0:
        raise ValidationError("The numerator cannot be below 0.")
    if num > den:
        raise ValidationError(
            f"The numerator ({_plain(num)}) is larger than the denominator ({_plain(den)})."
        )
    return num / den * mult


def rate(numerator: float, denominator: float, multiplier: float = 1000.0) -> float:
    """Events per ``multiplier`` units of exposure (patient-days, line-days, ...).

    Unlike a proportion, events may outnumber the exposure units (two falls on one
    patient-day), so only a denominator of 0 or less is refused.
    """
    num = _finite(numerator, "numerator")
    den = _finite(denominator, "denominator")
    mult = _check_multiplier(multiplier)
    if den <= 0:
        raise ValidationError(
            "The denominator is 0." if den == 0 else "The denominator cannot be below 0."
        )
    if num < 0:
        raise ValidationError("The numerator cannot be below 0.")
    return num / den * mult


def days_between_events(event_dates: Sequence[date]) -> list[tuple[date, float]]:
    """Days from each event to the one before it, dated by the later event.

    The first event has nothing before it, so it yields no value: n events give
    n - 1 intervals. Two events on the same day give 0 days, which is real data
    (it is what drives a t-chart down), so it is kept.
    """
    ordered = sorted(event_dates)
    return [(b, float((b - a).days)) for a, b in itertools.pairwise(ordered)]


def cases_between_from_case_numbers(case_numbers: Sequence[int]) -> list[float]:
    """Cases without the event between two cases that had it (for a g-chart).

    ``case_numbers`` are the running numbers of the cases (admissions, procedures)
    in which the event happened. Consecutive events on cases 10 and 14 mean cases
    11, 12 and 13 went without it: 3 cases between.
    """
    ordered = sorted(case_numbers)
    if len(set(ordered)) != len(ordered):
        raise ValidationError("The same case number is listed twice.")
    return [float(b - a - 1) for a, b in itertools.pairwise(ordered)]


def between_events(values: Sequence[float], what: str = "days") -> list[float]:
    """Check days or cases between events that were typed in directly."""
    out: list[float] = []
    for v in values:
        x = _finite(v, f"number of {what} between events")
        if x < 0:
            raise ValidationError(f"The number of {what} between events cannot be below 0.")
        out.append(x)
    return out


def period_value(
    unit: MeasureUnit,
    *,
    numerator: float | None = None,
    denominator: float | None = None,
    value: float | None = None,
    multiplier: float = 1.0,
) -> float | None:
    """The charted value for one period of a measure, or None if nothing was recorded.

    Counts and between-event measures may come as a value or as a numerator;
    proportions and rates are always worked out from numerator and denominator
    so that the stored value can never disagree with the raw figures.
    """
    if unit == "proportion":
        if numerator is None and denominator is None:
            return None
        if numerator is None or denominator is None:
            raise ValidationError("A proportion needs both a numerator and a denominator.")
        return proportion(numerator, denominator, multiplier)
    if unit == "rate":
        if numerator is None and denominator is None:
            return None
        if numerator is None or denominator is None:
            raise ValidationError("A rate needs both a numerator and a denominator.")
        return rate(numerator, denominator, multiplier)
    raw = value if value is not None else numerator
    if raw is None:
        return None
    if unit == "count":
        return count_value(raw)
    if unit == "days_between":
        return between_events([raw], "days")[0]
    if unit == "cases_between":
        return between_events([raw], "cases")[0]
    raise ValidationError(f"Unknown unit of measure: {unit}.")


def _check_multiplier(multiplier: float) -> float:
    m = _finite(multiplier, "multiplier")
    if m <= 0:
        raise ValidationError("The multiplier must be above 0 (for example 1000).")
    return m


def _plain(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"
