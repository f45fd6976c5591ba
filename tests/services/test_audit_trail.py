"""The audit trail: every change is recorded, nothing is deleted, and the trail can be searched."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from cuspdesk.db import Actor, Database
from cuspdesk.errors import CuspDeskError, NotFoundError, ValidationError
from cuspdesk.models import AuditEvent
from cuspdesk.services import assessments, audit, defects, issues, measures, meetings, rounds, units
from cuspdesk.services.audit import AuditQuery, find_audit_events, record_history

YESTERDAY = date.today() - timedelta(days=1)


def _unit(db: Database) -> int:
    return units.create_unit(db, units.UnitFields(name="5 North")).id


def _issue(db: Database, unit_id: int, description: str = "Pump alarms unheard") -> int:
    fields = issues.IssueFields(description=description, date_identified=YESTERDAY)
    return issues.create_issue(db, unit_id, fields).id


# --- nothing is hard-deleted ---------------------------------------------------------


ArchiveCase = tuple[str, Callable[[Database, int], int], Callable[[Database, int], list[int]]]


def _archive_cases() -> list[ArchiveCase]:
    return [
        (
            "meeting",
            lambda db, u: (
                meetings.create_meeting(db, u, meetings.MeetingFields(meeting_date=YESTERDAY)).id
            ),
            lambda db, u: [m.id for m in meetings.list_meetings(db, u)],
        ),
        (
            "safety_round",
            lambda db, u: rounds.create_round(db, u, rounds.RoundFields(round_date=YESTERDAY)).id,
            lambda db, u: [r.id for r in rounds.list_rounds(db, u)],
        ),
        (
            "assessment_response",
            lambda db, u: (
                assessments.create_response(
                    db, u, assessments.AssessmentFields(YESTERDAY, "A fall at night")
                ).id
            ),
            lambda db, u: [r.id for r in assessments.list_responses(db, u)],
        ),
        (
            "defect_review",
            lambda db, u: (
                defects.create_review(
                    db, u, defects.DefectFields(review_date=YESTERDAY, title="Missed dose")
                ).id
            ),
            lambda db, u: [r.id for r in defects.list_reviews(db, u)],
        ),
        (
            "measure",
            lambda db, u: measures.create_measure(db, u, measures.MeasureFields(name="Falls")).id,
            lambda db, u: [m.id for m in measures.list_measures(db, u)],
        ),
        (
            "person",
            lambda db, u: units.create_person(db, units.PersonFields(full_name="Ada Lovelace")).id,
            lambda db, u: [p.id for p in units.list_people(db)],
        ),
        (
            "strategic_aim",
            lambda db, u: units.create_aim(db, u, units.AimFields(title="Zero falls")).id,
            lambda db, u: [a.id for a in units.list_aims(db, u)],
        ),
    ]


_ARCHIVERS: dict[str, Callable[[Database, int, str], None]] = {
    "meeting": meetings.archive_meeting,
    "safety_round": rounds.archive_round,
    "assessment_response": assessments.archive_response,
    "defect_review": defects.archive_review,
    "measure": measures.archive_measure,
    "person": units.archive_person,
    "strategic_aim": units.archive_aim,
}


@pytest.mark.parametrize("case", _archive_cases(), ids=lambda c: c[0])
def test_removing_a_record_archives_it_with_a_reason(any_db: Database, case: ArchiveCase) -> None:
    entity, create, listed = case
    archive = _ARCHIVERS[entity]
    unit_id = _unit(any_db)
    record_id = create(any_db, unit_id)
    assert record_id in listed(any_db, unit_id)
    with pytest.raises(ValidationError, match="The reason is needed"):
        archive(any_db, record_id, "   ")
    assert record_id in listed(any_db, unit_id)
    archive(any_db, record_id, "Entered twice by mistake")
    archive(any_db, record_id, "Second click")  # archiving twice changes nothing
    assert record_id not in listed(any_db, unit_id)
    with any_db.reader() as session:
        row = session.execute(
            text(f"SELECT archive_reason FROM {entity} WHERE id = :id"), {"id": record_id}
        ).scalar_one()
    assert row == "Entered twice by mistake"
    archived = [
        e
        for e in audit.list_audit_events(any_db, entity=entity, entity_id=record_id)
        if e.action == "archive"
    ]
    assert len(archived) == 1
    with pytest.raises(NotFoundError):
        archive(any_db, 999_999, "Gone")


def test_no_service_deletes_a_top_level_record(any_db: Database) -> None:
    """Every 'delete' in the trail is a part of a record (a goal, a data point), never a record."""
    from cuspdesk.services.demo import create_demo_unit

    unit = create_demo_unit(any_db)
    issue_id = _issue(any_db, unit.id)
    issues.archive_issue(any_db, issue_id, "Duplicate of an older issue")
    with any_db.reader() as session:
        deleted = set(
            session.scalars(select(AuditEvent.entity).where(AuditEvent.action == "delete")).all()
        )
    top_level = {
        "unit",
        "person",
        "safety_issue",
        "meeting",
        "safety_round",
        "assessment_response",
        "defect_review",
        "measure",
        "strategic_aim",
    }
    assert not deleted & top_level


def test_removing_a_data_point_keeps_what_it_was_and_why(db: Database) -> None:
    unit_id = _unit(db)
    measure = measures.create_measure(db, unit_id, measures.MeasureFields(name="Falls"))
    measures.set_point(db, measure.id, date(2026, 1, 1), value=3)
    measures.remove_point(db, measure.id, date(2026, 1, 1), reason="Belonged to 6 South")
    history = record_history(db, "measure", measure.id)
    removed = [r for r in history if r.action == "delete"]
    assert len(removed) == 1
    assert removed[0].summary == "Belonged to 6 South"
    assert '"value": "3.0"' in (removed[0].old_value or "")


# --- the trail itself ----------------------------------------------------------------


def test_the_trail_cannot_be_changed_from_the_app(any_db: Database) -> None:
    _unit(any_db)
    before = audit.list_audit_events(any_db)
    assert before
    for statement in ("UPDATE audit_event SET os_user = 'someone else'", "DELETE FROM audit_event"):
        with pytest.raises(CuspDeskError), any_db.session() as session:
            session.execute(text(statement))
    assert audit.list_audit_events(any_db) == before
    public = [name for name in dir(audit) if not name.startswith("_")]
    assert not [n for n in public if n.startswith(("update", "delete", "edit", "remove"))]


def test_history_of_one_issue_reads_old_to_new_with_its_notes(any_db: Database) -> None:
    unit_id = _unit(any_db)
    issue_id = _issue(any_db, unit_id)
    other = _issue(any_db, unit_id, "Another issue")
    issues.add_note(any_db, issue_id, "Biomed called")
    issues.change_status(any_db, issue_id, "in_progress")
    issues.add_note(any_db, other, "Not this one")
    history = record_history(any_db, "safety_issue", issue_id)
    steps = [(r.entity, r.action, r.field) for r in history]
    assert steps[0] == ("safety_issue", "create", None)
    assert ("issue_note", "create", None) in steps
    assert ("safety_issue", "status", "status") in steps
    assert [r.occurred_at for r in history] == sorted(r.occurred_at for r in history)
    assert not any("Not this one" in (r.new_value or "") for r in history)
    status = next(r for r in history if r.action == "status")
    assert (status.old_value, status.new_value) == ("open", "in_progress")
    assert history[0].record == "Issue 1"


def test_filters_by_kind_number_user_and_day(any_db: Database) -> None:
    unit_id = _unit(any_db)
    first = _issue(any_db, unit_id)
    _issue(any_db, unit_id, "Second")
    any_db.actor = Actor(os_user="Jo.Smith", role="nurse_manager")
    issues.add_note(any_db, first, "Noted")
    issues.change_status(any_db, first, "in_progress")

    by_number = find_audit_events(
        any_db, AuditQuery(unit_id=unit_id, entity="safety_issue", record_number=1)
    )
    assert by_number.total >= 2
    assert {r.record for r in by_number.rows} == {"Issue 1"}

    by_user = find_audit_events(any_db, AuditQuery(os_user="jo.smith"))
    assert by_user.total == len(by_user.rows) >= 2
    assert {r.os_user for r in by_user.rows} == {"Jo.Smith"}
    assert {r.role for r in by_user.rows} == {"nurse_manager"}
    assert "Jo.Smith" in audit.audit_users(any_db)

    today = datetime.now(UTC).date()
    assert find_audit_events(any_db, AuditQuery(since=today, until=today)).total > 0
    assert find_audit_events(any_db, AuditQuery(until=today - timedelta(days=1))).total == 0
    assert find_audit_events(any_db, AuditQuery(since=today + timedelta(days=1))).total == 0
    far = find_audit_events(any_db, AuditQuery(since=date(1, 1, 1), until=date(9999, 12, 31)))
    assert far.total == find_audit_events(any_db, AuditQuery()).total


def test_paging_counts_the_whole_result(any_db: Database) -> None:
    unit_id = _unit(any_db)
    for n in range(7):
        _issue(any_db, unit_id, f"Issue {n}")
    everything = find_audit_events(any_db, AuditQuery(entity="safety_issue", limit=1000))
    page_one = find_audit_events(any_db, AuditQuery(entity="safety_issue", limit=3))
    page_three = find_audit_events(any_db, AuditQuery(entity="safety_issue", limit=3, offset=6))
    assert page_one.total == page_three.total == everything.total == 7
    assert len(page_one.rows) == 3 and len(page_three.rows) == 1
    assert page_one.rows == everything.rows[:3]
    oldest = find_audit_events(any_db, AuditQuery(entity="safety_issue", newest_first=False))
    assert oldest.rows == list(reversed(everything.rows))


def test_labels_read_as_words() -> None:
    assert audit.entity_label("safety_issue") == "Issue"
    assert audit.entity_label("something_new") == "Something new"
    assert audit.action_label("status") == "Status changed"
