"""The dashboard's facts: overdue, due soon, waiting on the executive, what is next, harm."""

from __future__ import annotations

from datetime import date, timedelta

from cuspdesk.db import Database
from cuspdesk.services import defects, issues, meetings, rounds, units
from cuspdesk.services.dashboard import load_dashboard

TODAY = date.today()


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def make_unit(db: Database, name: str = "4 West Medical") -> int:
    return units.create_unit(db, units.UnitFields(name=name, hospital="General")).id


def add_issue(db: Database, unit_id: int, text: str, **values: object) -> issues.IssueDetail:
    status = str(values.pop("status", "open"))
    fields = issues.IssueFields(description=text, date_identified=days(-60))
    for key, value in values.items():
        setattr(fields, key, value)
    return issues.create_issue(db, unit_id, fields, status=status)


def test_an_empty_unit_has_nothing_needing_attention(any_db: Database) -> None:
    unit_id = make_unit(any_db)
    board = load_dashboard(any_db, unit_id, today=TODAY)
    assert board.counts.open == 0
    assert board.overdue.rows == [] and board.overdue.total == 0
    assert board.due_soon.rows == [] and board.needs_executive.rows == []
    assert board.next_meeting is None and board.next_round is None
    assert board.last_harm is None
    assert board.top_concerns.rows == [] and board.recent_reviews == []


def test_overdue_due_soon_and_waiting_on_the_executive(any_db: Database) -> None:
    unit_id = make_unit(any_db)
    late = add_issue(any_db, unit_id, "Late one", target_date=days(-10))
    later = add_issue(any_db, unit_id, "Even later", target_date=days(-30))
    soon = add_issue(any_db, unit_id, "Due soon", target_date=days(3))
    add_issue(any_db, unit_id, "Due in a month", target_date=days(30))
    add_issue(
        any_db,
        unit_id,
        "Closed late",
        target_date=days(-5),
        action_plan="done",
        risk_reduced_evidence="audit",
        status="closed",
    )
    blocked = add_issue(
        any_db, unit_id, "Needs money", barriers="Capital approval", needs_executive=True
    )
    other_unit = make_unit(any_db, "Elsewhere")
    add_issue(any_db, other_unit, "Other unit's overdue", target_date=days(-3))

    board = load_dashboard(any_db, unit_id, today=TODAY)

    assert [r.id for r in board.overdue.rows] == [later.id, late.id]  # most overdue first
    assert board.overdue.rows[0].days_overdue == 30
    assert [r.id for r in board.due_soon.rows] == [soon.id]
    assert [r.id for r in board.needs_executive.rows] == [blocked.id]
    assert board.counts.overdue == 2 and board.counts.open == 5


def test_lists_are_cut_to_the_limit_but_the_total_is_kept(any_db: Database) -> None:
    unit_id = make_unit(any_db)
    for n in range(12):
        add_issue(any_db, unit_id, f"Overdue {n}", target_date=days(-1 - n))
    board = load_dashboard(any_db, unit_id, today=TODAY, limit=8)
    assert len(board.overdue.rows) == 8
    assert board.overdue.total == 12
    assert len(board.top_concerns.rows) == 5
    assert [r.priority_rank for r in board.top_concerns.rows] == [1, 2, 3, 4, 5]


def test_next_meeting_and_round_are_the_first_dated_today_or_later(any_db: Database) -> None:
    unit_id = make_unit(any_db)
    meetings.create_meeting(any_db, unit_id, meetings.MeetingFields(days(-3), title="Past"))
    meetings.create_meeting(any_db, unit_id, meetings.MeetingFields(days(20), title="Later"))
    soonest = meetings.create_meeting(
        any_db, unit_id, meetings.MeetingFields(TODAY, title="Today's huddle")
    )
    rounds.create_round(any_db, unit_id, rounds.RoundFields(days(-1), area="Yesterday"))
    next_round = rounds.create_round(any_db, unit_id, rounds.RoundFields(days(6), area="Bay 2"))

    board = load_dashboard(any_db, unit_id, today=TODAY)

    assert board.next_meeting is not None
    assert (board.next_meeting.record_id, board.next_meeting.title) == (
        soonest.id,
        "Today's huddle",
    )
    assert board.next_meeting.days_away(TODAY) == 0
    assert board.next_round is not None
    assert board.next_round.record_id == next_round.id
    assert board.next_round.title == "Bay 2"


def test_a_next_date_agreed_in_the_minutes_counts_when_no_meeting_is_entered(
    any_db: Database,
) -> None:
    unit_id = make_unit(any_db)
    meetings.create_meeting(
        any_db,
        unit_id,
        meetings.MeetingFields(days(-10), title="Monthly", next_meeting_date=days(18)),
    )
    board = load_dashboard(any_db, unit_id, today=TODAY)
    assert board.next_meeting is not None
    assert board.next_meeting.record_id is None
    assert board.next_meeting.on == days(18)
    assert days(-10).isoformat() in board.next_meeting.title


def test_days_since_harm_take_the_latest_of_issues_and_defect_reviews(any_db: Database) -> None:
    unit_id = make_unit(any_db)
    harm_issue = issues.create_issue(
        any_db,
        unit_id,
        issues.IssueFields(
            description="Fall with injury", date_identified=days(-40), harm_event=True
        ),
    )
    board = load_dashboard(any_db, unit_id, today=TODAY)
    assert board.last_harm is not None
    assert (board.last_harm.kind, board.last_harm.record_id) == ("issue", harm_issue.id)
    assert board.last_harm.days_since == 40

    review = defects.create_review(
        any_db,
        unit_id,
        defects.DefectFields(
            review_date=days(-2),
            title="Pressure injury",
            event_date=days(-12),
            harm_reached_patient=True,
        ),
    )
    defects.create_review(
        any_db,
        unit_id,
        defects.DefectFields(review_date=days(-1), title="Near miss", event_date=days(-1)),
    )
    board = load_dashboard(any_db, unit_id, today=TODAY)
    assert board.last_harm is not None
    assert (board.last_harm.kind, board.last_harm.record_id) == ("defect", review.id)
    assert board.last_harm.on == days(-12)  # the event date, not the review date
    assert board.last_harm.days_since == 12


def test_a_review_without_an_event_date_counts_from_its_review_date(any_db: Database) -> None:
    unit_id = make_unit(any_db)
    defects.create_review(
        any_db,
        unit_id,
        defects.DefectFields(review_date=days(-4), title="Wrong dose", harm_reached_patient=True),
    )
    board = load_dashboard(any_db, unit_id, today=TODAY)
    assert board.last_harm is not None and board.last_harm.days_since == 4


def test_recent_reviews_are_newest_first_and_at_most_five(any_db: Database) -> None:
    unit_id = make_unit(any_db)
    for n in range(7):
        defects.create_review(
            any_db, unit_id, defects.DefectFields(review_date=days(-30 * n), title=f"Review {n}")
        )
    board = load_dashboard(any_db, unit_id, today=TODAY)
    assert [r.title for r in board.recent_reviews] == [f"Review {n}" for n in range(5)]
