"""Impossible and far dates, negative and huge numbers: a plain refusal, and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from reliability_helpers import assert_plain_message

from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError, NotFoundError, ValidationError
from cuspdesk.services import (
    access,
    assessments,
    audit,
    defects,
    issues,
    measures,
    meetings,
    rounds,
    units,
)
from cuspdesk.services.validation import parse_date

YESTERDAY = date.today() - timedelta(days=1)
FAR_DATES = [date(1, 1, 1), date(1949, 12, 31), date(2101, 1, 1), date(9999, 12, 31)]
HUGE = 10**30


@pytest.fixture
def ids(any_db: Database) -> dict[str, int]:
    unit = units.create_unit(any_db, units.UnitFields(name="5 North"))
    issue = issues.create_issue(
        any_db, unit.id, issues.IssueFields(description="Baseline", date_identified=YESTERDAY)
    )
    measure = measures.create_measure(any_db, unit.id, measures.MeasureFields(name="Falls"))
    person = units.create_person(any_db, units.PersonFields("Ann Lee"))
    return {"unit": unit.id, "issue": issue.id, "measure": measure.id, "person": person.id}


def _everything(db: Database, ids: dict[str, int]) -> tuple[Any, ...]:
    return (
        issues.get_issue(db, ids["issue"]),
        issues.count_issues(db, ids["unit"]),
        units.get_unit(db, ids["unit"]),
        meetings.list_meetings(db, ids["unit"]),
        rounds.list_rounds(db, ids["unit"]),
        assessments.list_responses(db, ids["unit"]),
        defects.list_reviews(db, ids["unit"]),
        measures.list_points(db, ids["measure"]),
        measures.list_annotations(db, ids["measure"]),
        measures.list_baselines(db, ids["measure"]),
        units.list_team(db, ids["unit"]),
        units.list_aims(db, ids["unit"]),
        access.idle_lock_minutes(db),
    )


DatedSave = Callable[[Database, dict[str, int], date], Any]

DATED: dict[str, DatedSave] = {
    "issue identified": lambda db, ids, d: issues.create_issue(
        db, ids["unit"], issues.IssueFields(description="x", date_identified=d)
    ),
    "issue target": lambda db, ids, d: issues.create_issue(
        db,
        ids["unit"],
        issues.IssueFields(description="x", date_identified=YESTERDAY, target_date=d),
    ),
    "note date": lambda db, ids, d: issues.add_note(db, ids["issue"], "x", on=d),
    "status change date": lambda db, ids, d: issues.change_status(
        db, ids["issue"], "in_progress", on=d
    ),
    "meeting": lambda db, ids, d: meetings.create_meeting(
        db, ids["unit"], meetings.MeetingFields(meeting_date=d)
    ),
    "next meeting": lambda db, ids, d: meetings.create_meeting(
        db, ids["unit"], meetings.MeetingFields(meeting_date=YESTERDAY, next_meeting_date=d)
    ),
    "round": lambda db, ids, d: rounds.create_round(db, ids["unit"], rounds.RoundFields(d)),
    "assessment": lambda db, ids, d: assessments.create_response(
        db, ids["unit"], assessments.AssessmentFields(d, "A fall")
    ),
    "defect review": lambda db, ids, d: defects.create_review(
        db, ids["unit"], defects.DefectFields(review_date=d, title="x")
    ),
    "defect event": lambda db, ids, d: defects.create_review(
        db, ids["unit"], defects.DefectFields(review_date=YESTERDAY, title="x", event_date=d)
    ),
    "measure point": lambda db, ids, d: measures.set_point(db, ids["measure"], d, value=1),
    "annotation": lambda db, ids, d: measures.add_annotation(db, ids["measure"], d, "PDSA 1"),
    "baseline": lambda db, ids, d: measures.set_baseline(
        db, ids["measure"], d, date(2025, 1, 1), "Before the bundle"
    ),
    "CUSP start": lambda db, ids, d: units.update_unit(
        db, ids["unit"], units.UnitFields(name="5 North", cusp_start_date=d)
    ),
    "team member joined": lambda db, ids, d: units.add_team_member(
        db, ids["unit"], units.PersonFields("Bo Chen"), joined_on=d
    ),
    "executive partner from": lambda db, ids, d: units.assign_executive_partner(
        db, ids["unit"], ids["person"], d
    ),
    "goal due": lambda db, ids, d: units.create_aim(
        db,
        ids["unit"],
        units.AimFields(title="Zero falls", goals=[units.GoalFields("Halve falls", due_date=d)]),
    ),
}


@pytest.mark.parametrize("where", list(DATED))
def test_far_dates_are_refused_in_words(any_db: Database, ids: dict[str, int], where: str) -> None:
    save = DATED[where]
    for far in FAR_DATES:
        before = _everything(any_db, ids)
        with pytest.raises(ValidationError) as caught:
            save(any_db, ids, far)
        message = str(caught.value)
        assert_plain_message(message)
        assert "between 1950 and 2100" in message or "future" in message, message
        assert _everything(any_db, ids) == before, f"{where} {far} changed saved data"


def test_a_leap_day_is_a_day(any_db: Database, ids: dict[str, int]) -> None:
    leap = date(2024, 2, 29)
    made = issues.create_issue(
        any_db, ids["unit"], issues.IssueFields(description="Leap", date_identified=leap)
    )
    assert issues.get_issue(any_db, made.id).fields.date_identified == leap
    point = measures.set_point(any_db, ids["measure"], leap, value=2)
    assert point.period == date(2024, 2, 1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2023-02-29", "does not exist on the calendar"),
        ("2026-02-30", "does not exist on the calendar"),
        ("2026-13-01", "does not exist on the calendar"),
        ("2026-00-10", "does not exist on the calendar"),
        ("29/02/2024", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
        ("tomorrow", "YYYY-MM-DD"),
        ("٢٠٢٦-٠٣-٣١", "YYYY-MM-DD"),
        ("2026-03-31T10:00", "YYYY-MM-DD"),
    ],
)
def test_typed_dates_that_are_not_days(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        parse_date(typed, "The target date")
    assert_plain_message(str(caught.value))


def test_real_typed_dates_parse() -> None:
    assert parse_date(" 2024-02-29 ") == date(2024, 2, 29)
    assert parse_date("9999-12-31") == date(9999, 12, 31)  # parsing is not range-checking


NumberSave = Callable[[Database, dict[str, int], Any], Any]

NUMBERS: dict[str, tuple[NumberSave, list[Any]]] = {
    "likelihood": (
        lambda db, ids, n: issues.create_issue(
            db,
            ids["unit"],
            issues.IssueFields(description="x", date_identified=YESTERDAY, likelihood=n),
        ),
        [-1, 0, 6, HUGE, -HUGE],
    ),
    "beds": (
        lambda db, ids, n: units.update_unit(
            db, ids["unit"], units.UnitFields(name="5 North", bed_count=n)
        ),
        [-1, 10_001, HUGE],
    ),
    "measure value": (
        lambda db, ids, n: measures.set_point(db, ids["measure"], YESTERDAY, value=n),
        [-1, -0.5, float("inf"), float("-inf"), float("nan"), 1e308, 10**400],
    ),
    "measure target": (
        lambda db, ids, n: measures.create_measure(
            db, ids["unit"], measures.MeasureFields(name="T", target=n)
        ),
        [float("inf"), float("-inf"), float("nan")],
    ),
    "multiplier": (
        lambda db, ids, n: measures.create_measure(
            db, ids["unit"], measures.MeasureFields(name="M", multiplier=n)
        ),
        [0, -1000, float("nan")],
    ),
    "goal target": (
        lambda db, ids, n: units.create_aim(
            db,
            ids["unit"],
            units.AimFields(title="Aim", goals=[units.GoalFields("Goal", target_value=n)]),
        ),
        [float("nan"), float("inf")],
    ),
    "idle minutes": (
        lambda db, ids, n: access.set_idle_lock_minutes(db, n),
        [-1, 24 * 60 + 1, HUGE],
    ),
}


@pytest.mark.parametrize("where", list(NUMBERS))
def test_impossible_numbers_are_refused_in_words(
    any_db: Database, ids: dict[str, int], where: str
) -> None:
    save, values = NUMBERS[where]
    for value in values:
        before = _everything(any_db, ids)
        with pytest.raises(ValidationError) as caught:
            save(any_db, ids, value)
        assert_plain_message(str(caught.value))
        assert _everything(any_db, ids) == before, f"{where} {value!r} changed saved data"


def test_huge_and_negative_ids_are_not_found_not_a_crash(
    any_db: Database, ids: dict[str, int]
) -> None:
    attempts: list[Callable[[], Any]] = [
        lambda: issues.get_issue(any_db, HUGE),
        lambda: issues.get_issue(any_db, -1),
        lambda: issues.add_note(any_db, HUGE, "x"),
        lambda: issues.change_status(any_db, -7, "in_progress"),
        lambda: issues.create_issue(
            any_db,
            ids["unit"],
            issues.IssueFields(description="x", date_identified=YESTERDAY, owner_id=HUGE),
        ),
        lambda: meetings.get_meeting(any_db, HUGE),
        lambda: units.get_unit(any_db, -HUGE),
        lambda: measures.set_point(any_db, HUGE, YESTERDAY, value=1),
        lambda: audit.record_history(any_db, "safety_issue", HUGE),
    ]
    before = _everything(any_db, ids)
    for attempt in attempts:
        try:
            result = attempt()
        except (NotFoundError, ValidationError) as exc:
            assert_plain_message(str(exc))
        else:
            assert result == [], result  # a history of nothing is empty
    assert _everything(any_db, ids) == before


def test_ranks_and_pages_beyond_the_ends_are_clamped(any_db: Database, ids: dict[str, int]) -> None:
    second = issues.create_issue(
        any_db, ids["unit"], issues.IssueFields(description="Second", date_identified=YESTERDAY)
    )
    issues.move_rank(any_db, second.id, -5)
    assert issues.get_issue(any_db, second.id).priority_rank == 1
    issues.move_rank(any_db, second.id, 10**12)
    assert issues.get_issue(any_db, second.id).priority_rank == 2
    page = issues.list_issues(any_db, issues.IssueQuery(offset=10**6, limit=50))
    assert page.rows == [] and page.total == 2
    found = audit.find_audit_events(any_db, audit.AuditQuery(record_number=99, offset=-3, limit=-1))
    assert found.rows == []
    with pytest.raises(ValidationError, match="too large") as caught:
        audit.find_audit_events(any_db, audit.AuditQuery(record_number=HUGE))
    assert_plain_message(str(caught.value))


def test_a_searched_number_too_long_to_be_an_issue_number_is_text(
    any_db: Database, ids: dict[str, int]
) -> None:
    for text in ("#" + "9" * 40, "9" * 400, "#-1", "#0", "²", "٣"):
        try:
            issues.list_issues(any_db, issues.IssueQuery(unit_id=ids["unit"], text=text))
        except CuspDeskError as exc:  # pragma: no cover - shown if it ever happens
            pytest.fail(f"searching {text!r} failed: {exc}")
