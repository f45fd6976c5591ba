"""Checks shared by every form: text, dates, ratings, in words a nurse understands.

A ``Checker`` collects every problem with a form at once, so the person can fix
them all before saving; each problem names the field it belongs to, so the form
can show it beside that field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from cuspdesk.errors import Problem, ValidationError

SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 2_000_000
EARLIEST_DATE = date(1950, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def today() -> date:
    return date.today()


class Checker:
    """Collects problems; ``raise_if_any`` turns them into one ValidationError."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(field, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    def text(
        self,
        field: str,
        label: str,
        value: str | None,
        *,
        required: bool = False,
        limit: int = LONG_TEXT_LIMIT,
    ) -> str:
        """Trim surrounding spaces, refuse invisible control characters and oversize text."""
        cleaned = (value or "").strip()
        if required and not cleaned:
            self.add(field, f"{label} is needed.")
            return cleaned
        if _CONTROL.search(cleaned):
            self.add(
                field,
                f"{label} contains invisible control characters (such as NUL); "
                "retype it or paste it as plain text.",
            )
            # The save is refused, but checks that look the text up (is the name
            # taken?) still run; PostgreSQL cannot even look up a NUL.
            cleaned = _CONTROL.sub("", cleaned)
        if len(cleaned) > limit:
            self.add(
                field,
                f"{label} is too long ({len(cleaned):,} characters; the limit is {limit:,}).",
            )
        return cleaned

    def name(self, field: str, label: str, value: str | None, *, required: bool = True) -> str:
        cleaned = self.text(field, label, value, required=required, limit=SHORT_TEXT_LIMIT)
        if "\n" in cleaned or "\r" in cleaned:
            self.add(field, f"{label} must fit on one line.")
        return cleaned

    def date_in_range(
        self, field: str, label: str, value: date | None, *, required: bool = False
    ) -> date | None:
        if value is None:
            if required:
                self.add(field, f"{label} is needed.")
            return None
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            self.add(
                field,
                f"{label} must be between {EARLIEST_DATE.year} and {LATEST_DATE.year} "
                f"({value.isoformat()} was given).",
            )
        return value

    def not_future(self, field: str, label: str, value: date | None) -> None:
        if value is not None and value > today():
            self.add(field, f"{label} cannot be in the future.")

    def not_before(
        self,
        field: str,
        label: str,
        value: date | None,
        earlier: date | None,
        earlier_label: str,
    ) -> None:
        if value is not None and earlier is not None and value < earlier:
            self.add(field, f"{label} cannot be before {earlier_label}.")

    def rating(self, field: str, label: str, value: int | None) -> int | None:
        if value is None:
            return None
        if not 1 <= value <= 5:
            self.add(field, f"{label} must be from 1 to 5.")
        return value

    def number(
        self,
        field: str,
        label: str,
        value: float | None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        required: bool = False,
    ) -> float | None:
        if value is None:
            if required:
                self.add(field, f"{label} is needed.")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.add(field, f"{label} must be a number.")
        elif minimum is not None and value < minimum:
            self.add(field, f"{label} cannot be less than {_plain_number(minimum)}.")
        elif maximum is not None and value > maximum:
            self.add(field, f"{label} cannot be more than {_plain_number(maximum)}.")
        return value


def _plain_number(value: float) -> str:
    """How a person writes a limit: 1,000,000,000,000 and 0.5, never 1e+12."""
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,f}".rstrip("0")


def parse_date(text: str, label: str = "The date", field: str | None = None) -> date:
    """Read a YYYY-MM-DD date typed by a person or found in a file."""
    cleaned = text.strip()
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cleaned):
        raise ValidationError(f"{label} {cleaned} does not exist on the calendar.", field)
    raise ValidationError(f"{label} must be written as YYYY-MM-DD, for example 2026-03-31.", field)


_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA_NUMBER = re.compile(r"-?\d+,\d+")


def parse_number(text: str, label: str = "The number", field: str | None = None) -> float | None:
    """Read a number typed by a person: "12", "3.5", "1,234" or "3,5"; empty means none."""
    cleaned = text.strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if not cleaned:
        return None
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _DECIMAL_COMMA_NUMBER.fullmatch(cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(f"{label} must be a number, like 12 or 3.5.", field)
    return value
