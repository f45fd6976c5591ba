"""What needs attention now: the few facts a charge nurse reads in the first minute.

One call gathers everything the dashboard shows, so the screen asks once and
draws once: overdue and soon-due issues, barriers waiting on the executive, the
next meeting and round, days since the last harm event, the top concerns and
the latest learning-from-defects reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select

from cuspdesk.db import Database
from cuspdesk.models import Choice, DefectReview, Meeting, SafetyIssue, SafetyRound
from cuspdesk.services.defects import DefectRow, list_reviews
from cuspdesk.services.issues import IssueCounts, IssuePage, IssueQuery, count_issues, list_issues
from cuspdesk.services.validation import today as _today

DUE_SOON_DAYS = 14
TOP_CONCERNS = 5
RECENT_REVIEWS = 5


@dataclass(frozen=True)
class Upcoming:
    """The next meeting or round. ``record_id`` is None for a date only planned in minutes."""

    kind: str
    record_id: int | None
    on: date
    title: str

    def days_away(self, today: date) -> int:
        return (self.on - today).days


@dataclass(frozen=True)
class HarmEvent:
    """The most recent event where harm reached a patient, and the record that holds it."""

    kind: str
    record_id: int
    on: date
    title: str
    days_since: int


@dataclass(frozen=True)
class Dashboard:
    today: date
    counts: IssueCounts
    overdue: IssuePage
    due_soon: IssuePage
    needs_executive: IssuePage
    next_meeting: Upcoming | None
    next_round: Upcoming | None
    last_harm: HarmEvent | None
    top_concerns: IssuePage
    recent_reviews: list[DefectRow]


def load_dashboard(
    db: Database, unit_id: int, *, today: date | None = None, limit: int = 8
) -> Dashboard:
    """Everything the dashboard shows for one unit; each list holds at most ``limit`` rows."""
    on = today or _today()
    base = IssueQuery(unit_id=unit_id, today=on, limit=limit)
    return Dashboard(
        today=on,
        counts=count_issues(db, unit_id, on=on),
        overdue=list_issues(db, replace(base, overdue_only=True, sort="target_date")),
        due_soon=list_issues(db, replace(base, due_within_days=DUE_SOON_DAYS, sort="target_date")),
        needs_executive=list_issues(
            db, replace(base, active_only=True, needs_executive_only=True, sort="priority_rank")
        ),
        next_meeting=next_meeting(db, unit_id, on),
        next_round=next_round(db, unit_id, on),
        last_harm=last_harm_event(db, unit_id, on),
        top_concerns=list_issues(
            db, replace(base, active_only=True, sort="priority_rank", limit=TOP_CONCERNS)
        ),
        recent_reviews=list_reviews(db, unit_id)[:RECENT_REVIEWS],
    )


def next_meeting(db: Database, unit_id: int, on: date) -> Upcoming | None:
    """The first meeting dated today or later; else the next date agreed at the last meeting."""
    with db.reader() as session:
        row = session.execute(
            select(Meeting.id, Meeting.meeting_date, Meeting.title, Choice.label)
            .outerjoin(Choice, Choice.id == Meeting.kind_id)
            .where(
                Meeting.unit_id == unit_id,
                Meeting.archived_at.is_(None),
                Meeting.meeting_date >= on,
            )
            .order_by(Meeting.meeting_date, Meeting.id)
            .limit(1)
        ).first()
        if row is not None:
            meeting_id, when, title, kind = row
            return Upcoming("meeting", meeting_id, when, title or kind or "Meeting")
        planned = session.execute(
            select(Meeting.next_meeting_date, Meeting.meeting_date)
            .where(
                Meeting.unit_id == unit_id,
                Meeting.archived_at.is_(None),
                Meeting.next_meeting_date >= on,
            )
            .order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
            .limit(1)
        ).first()
    if planned is None:
        return None
    planned_on, agreed_at = planned
    if planned_on is None:
        return None
    return Upcoming(
        "meeting",
        None,
        planned_on,
        f"Agreed at the meeting of {agreed_at.isoformat()}; not yet entered",
    )


def next_round(db: Database, unit_id: int, on: date) -> Upcoming | None:
    """The first safety round dated today or later."""
    with db.reader() as session:
        row = session.execute(
            select(SafetyRound.id, SafetyRound.round_date, SafetyRound.area)
            .where(
                SafetyRound.unit_id == unit_id,
                SafetyRound.archived_at.is_(None),
                SafetyRound.round_date >= on,
            )
            .order_by(SafetyRound.round_date, SafetyRound.id)
            .limit(1)
        ).first()
    if row is None:
        return None
    round_id, when, area = row
    return Upcoming("round", round_id, when, area or "Executive safety round")


def last_harm_event(db: Database, unit_id: int, on: date) -> HarmEvent | None:
    """The latest harm event: issues marked as harm (by date identified) or defect reviews
    where harm reached the patient (by event date, else review date). Future dates are
    ignored, so a mistyped date cannot make the count negative."""
    event_date = func.coalesce(DefectReview.event_date, DefectReview.review_date)
    with db.reader() as session:
        issue = session.execute(
            select(
                SafetyIssue.id,
                SafetyIssue.date_identified,
                SafetyIssue.number,
                SafetyIssue.description,
            )
            .where(
                SafetyIssue.unit_id == unit_id,
                SafetyIssue.archived_at.is_(None),
                SafetyIssue.harm_event.is_(True),
                SafetyIssue.date_identified <= on,
            )
            .order_by(SafetyIssue.date_identified.desc(), SafetyIssue.id.desc())
            .limit(1)
        ).first()
        review = session.execute(
            select(DefectReview.id, event_date, DefectReview.title)
            .where(
                DefectReview.unit_id == unit_id,
                DefectReview.archived_at.is_(None),
                DefectReview.harm_reached_patient.is_(True),
                event_date <= on,
            )
            .order_by(event_date.desc(), DefectReview.id.desc())
            .limit(1)
        ).first()
    candidates: list[HarmEvent] = []
    if issue is not None:
        issue_id, when, number, description = issue
        candidates.append(
            HarmEvent(
                "issue",
                issue_id,
                when,
                f"Issue {number}: {_first_line(description)}",
                (on - when).days,
            )
        )
    if review is not None:
        review_id, when, title = review
        if isinstance(when, str):  # SQLite hands COALESCE of two dates back as text
            when = date.fromisoformat(when)
        candidates.append(
            HarmEvent("defect", review_id, when, f"Defect review: {title}", (on - when).days)
        )
    if not candidates:
        return None
    return max(candidates, key=lambda event: event.on)


def _first_line(text: str, limit: int = 90) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
