"""Spot patient identifiers typed into the log before they are saved.

The tracking log describes problems, not patients: a record number or a date
of birth in it turns a safety log into a medical record. ``find_identifiers``
flags what looks like one so the form can ask before saving. It is tuned to
stay quiet on ordinary safety-team writing (bed and room numbers, percentages,
doses, times, event report numbers, "a 78-year-old patient"), because a check
that cries wolf gets switched off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from cuspdesk.db import Database
from cuspdesk.services.access import require
from cuspdesk.services.settings import get_setting, put_setting

CHECK_SETTING = "sensitive.identifier_check"
LOG_WARNING = (
    "Keep patients out of the log: no names, record numbers, dates of birth or phone "
    "numbers. Describe the problem, not the patient."
)

RECORD_NUMBER = "medical record number"
DATE_OF_BIRTH = "date of birth"
PHONE_NUMBER = "phone number"
NATIONAL_NUMBER = "national identity number"
GREAT_AGE = "age over 89"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Full dates only (day, month and year): "12/03/1941", "1941-03-12", "12 March 1941".
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s*\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}})"
)
_AGE = r"\b(\d{1,3})\s*(?:-\s*|\s+)?(?:years?[- ]old|yrs?\b|yo\b|y/o|y\.o\.)"
_RECORD_WORDS = (
    r"\b(?:MRN|MR\s?#|MR\s?No\.?|UR\s?No\.?|med(?:ical)?\s+rec(?:ord)?s?\s*(?:no\.?|number|#)"
    r"|hospital\s+(?:no\.?|number|#)|patient\s+(?:id|no\.?|number|#)|NHS\s+(?:no\.?|number))"
)


def _is_nhs_number(candidate: str) -> bool:
    """NHS numbers carry a modulus-11 check digit; most ten-digit numbers fail it."""
    digits = [int(ch) for ch in candidate if ch.isdecimal()]
    if len(digits) != 10:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


# (kind, pattern, extra check); earlier entries win where two readings overlap.
_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[str], bool] | None]] = [
    (
        RECORD_NUMBER,
        re.compile(rf"{_RECORD_WORDS}\s*[:#=.-]?\s*[A-Z]{{0,3}}\d[\d -]{{2,}}\d", re.I),
        None,
    ),
    (
        DATE_OF_BIRTH,
        re.compile(rf"\b(?:D\.?O\.?B\.?|date\s+of\s+birth|birth\s*date)\s*[:=-]?\s*{_DATE}", re.I),
        None,
    ),
    (DATE_OF_BIRTH, re.compile(rf"\bborn\s+(?:on\s+|in\s+)?{_DATE}", re.I), None),
    (  # US social security number
        NATIONAL_NUMBER,
        re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])"),
        None,
    ),
    (  # UK NHS number, only when its check digit is right
        NATIONAL_NUMBER,
        re.compile(r"(?<![\w-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w-])"),
        _is_nhs_number,
    ),
    (
        PHONE_NUMBER,
        re.compile(
            r"(?<![\w+])\+\d{1,3}[ .-]?(?:\(\d{1,5}\)[ .-]?)?"
            r"\d{2,5}[ .-]?\d{3,4}[ .-]?\d{2,4}(?!\w)"
        ),
        None,
    ),
    (PHONE_NUMBER, re.compile(r"(?<![\w(])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\w)"), None),
    (PHONE_NUMBER, re.compile(r"(?<![\w:.])0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?![\w:])"), None),
    (RECORD_NUMBER, re.compile(r"(?<![\w.,/:-])\d{7,}(?![\w.,/-])"), None),
]
_AGE_RE = re.compile(_AGE, re.I)
_DATE_RE = re.compile(_DATE, re.I)
_NEAR = 60  # characters between an age and a date for them to describe one person


@dataclass(frozen=True)
class IdentifierHit:
    """Something in the text that looks like it names a patient."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def message(self) -> str:
        return f"“{self.text}” looks like a {self.kind}."


def find_identifiers(text: str, *, today: date | None = None) -> list[IdentifierHit]:
    """What in ``text`` looks like a patient identifier, in reading order, without overlaps."""
    if not text or not any(ch.isdigit() for ch in text):
        return []
    hits: list[IdentifierHit] = []
    for kind, pattern, accept in _PATTERNS:
        for match in pattern.finditer(text):
            if accept is None or accept(match.group()):
                hits.append(IdentifierHit(kind, match.group().strip(), match.start(), match.end()))
    hits.extend(_great_ages(text))
    hits.extend(_birth_dates_by_age(text, today or date.today()))
    return _without_overlaps(hits)


def scan_fields(fields: Mapping[str, str]) -> list[tuple[str, IdentifierHit]]:
    """Check every text field of a form: (field name, hit) pairs, field by field."""
    return [(name, hit) for name, value in fields.items() for hit in find_identifiers(value)]


def _great_ages(text: str) -> Iterable[IdentifierHit]:
    """Ages over 89 identify people on their own (the HIPAA safe-harbor rule)."""
    for match in _AGE_RE.finditer(text):
        if 90 <= int(match.group(1)) <= 130:
            yield IdentifierHit(GREAT_AGE, match.group().strip(), match.start(), match.end())


def _birth_dates_by_age(text: str, today: date) -> Iterable[IdentifierHit]:
    """A full date whose year matches a nearby age, or that lies decades back, is a birth date."""
    ages = [(m.start(), m.end(), int(m.group(1))) for m in _AGE_RE.finditer(text)]
    for match in _DATE_RE.finditer(text):
        year = _year_of(match.group())
        if year is None:
            continue
        long_ago = year <= today.year - 15
        fits_age = any(
            abs((today.year - year) - age) <= 1
            for start, end, age in ages
            if start - _NEAR <= match.end() and match.start() <= end + _NEAR
        )
        if long_ago or fits_age:
            yield IdentifierHit(DATE_OF_BIRTH, match.group().strip(), match.start(), match.end())


def _year_of(found: str) -> int | None:
    four = re.findall(r"\d{4}", found)
    if four:
        return int(four[0])
    two = re.findall(r"\d+", found)
    if len(two) == 3 and len(two[2]) == 2:
        # "03/02/41": the century a birth date most likely means.
        short = int(two[2])
        return 1900 + short if short > date.today().year % 100 else 2000 + short
    return None


def _without_overlaps(hits: list[IdentifierHit]) -> list[IdentifierHit]:
    """Keep the first-found (most specific) reading of each stretch of text."""
    kept: list[IdentifierHit] = []
    for hit in hits:
        if not any(hit.start < k.end and k.start < hit.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


# --- the setting ---------------------------------------------------------------------


def identifier_check_enabled(db: Database) -> bool:
    """On unless the team leader turned it off for this database."""
    return get_setting(db, CHECK_SETTING, "on") != "off"


def set_identifier_check(db: Database, enabled: bool) -> None:
    require(db, "settings.manage")
    with db.session() as session:
        put_setting(session, CHECK_SETTING, "on" if enabled else "off")
