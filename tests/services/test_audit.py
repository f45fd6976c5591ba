"""The audit trail: every change recorded with who, when, what, old and new, in the same
transaction as the change, and never rewritten afterwards.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from builders import IssueMaker, Team
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cuspdesk.db import Actor, Database
from cuspdesk.errors import StorageError, ValidationError
from cuspdesk.models import Unit
from cuspdesk.services import issues, measures, rounds, units
from cuspdesk.services.audit import AuditRow, list_audit_events
from cuspdesk.services.findings import FindingFields
from cuspdesk.services.validation import today

AUDIT_TRIGGER_MESSAGE = "audit events cannot be changed or deleted"


def events(db: Database, issue_id: int) -> list[AuditRow]:
    """Oldest first, the way a person reads a history."""
    return list(reversed(list_audit_events(db, entity="safety_issue", entity_id=issue_id)))


def count_all(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one())


@pytest.fixture
def manager(any_db: Database) -> Actor:
    """Changes in these tests are made by a named person in the team leader's role.

    (The team leader may make every change these tests make; what each role may
    do is tested in test_access.py.)
    """
    any_db.actor = Actor("d.reyes", "champion")
    return any_db.actor


def test_creating_an_issue_records_who_when_and_what(
    any_db: Database, manager: Actor, make_issue: IssueMaker, unit: units.UnitInfo
) -> None:
    before = datetime.now(UTC)
    issue = make_issue("Bed alarm off", location="Pod B", likelihood=4, needs_executive=True)
    after = datetime.now(UTC)
    (created,) = events(any_db, issue.id)
    assert (created.action, created.entity, created.entity_id) == (
        "create",
        "safety_issue",
        issue.id,
    )
    assert (created.os_user, created.role) == ("d.reyes", "champion")
    assert created.occurred_at.tzinfo is not None
    assert created.occurred_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= created.occurred_at <= after + timedelta(seconds=1)
    snapshot = json.loads(created.new_value or "{}")
    assert snapshot["description"] == "Bed alarm off"
    assert snapshot["location"] == "Pod B"
    assert snapshot["likelihood"] == "4"
    assert snapshot["needs_executive"] == "yes"
    assert snapshot["unit_id"] == str(unit.id)
    assert not {"id", "uuid", "version", "created_at", "updated_at"} & set(snapshot)
    assert created.old_value is None


def test_each_changed_field_is_one_event_with_old_and_new(
    any_db: Database, manager: Actor, make_issue: IssueMaker, team: Team
) -> None:
    issue = make_issue("Bed alarm off", location="Pod B")
    issues.update_issue(
        any_db,
        issue.id,
        replace(
            issue.fields,
            location="Pod C",
            owner_id=team.manager,
            target_date=today() + timedelta(days=5),
            needs_executive=True,
        ),
        expected_version=issue.version,
    )
    changes = {(e.action, e.field, e.old_value, e.new_value) for e in events(any_db, issue.id)[1:]}
    assert changes == {
        ("update", "location", "Pod B", "Pod C"),
        ("update", "owner_id", None, str(team.manager)),
        ("update", "target_date", None, (today() + timedelta(days=5)).isoformat()),
        ("update", "needs_executive", "no", "yes"),
    }


def test_status_rank_archive_and_restore_have_their_own_names(
    any_db: Database, manager: Actor, make_issue: IssueMaker
) -> None:
    make_issue("First")
    issue = make_issue("Second", action_plan="Pads ordered.")
    issues.move_rank(any_db, issue.id, 1)
    issues.change_status(any_db, issue.id, "resolved")
    issues.archive_issue(any_db, issue.id, "Logged twice.")
    issues.restore_issue(any_db, issue.id)
    trail = [
        (e.action, e.field, e.old_value, e.new_value)
        for e in events(any_db, issue.id)
        if e.action != "update"
    ]
    archived_at = trail[4][3]
    assert trail == [
        ("create", None, None, trail[0][3]),
        ("rank", "priority_rank", "2", "1"),
        ("rank", "priority_rank", "1", None),
        ("status", "status", "open", "resolved"),
        ("archive", "archived_at", None, archived_at),
        ("restore", "archived_at", archived_at, None),
    ]
    assert archived_at is not None
    assert datetime.fromisoformat(archived_at).tzinfo is not None
    resolved_date = [e for e in events(any_db, issue.id) if e.field == "date_resolved"]
    assert [(e.old_value, e.new_value) for e in resolved_date] == [(None, today().isoformat())]
    reason = [e for e in events(any_db, issue.id) if e.field == "archive_reason"]
    assert reason[0].new_value == "Logged twice."


def test_notes_and_children_carry_their_units_id(
    any_db: Database, manager: Actor, make_issue: IssueMaker, unit: units.UnitInfo, team: Team
) -> None:
    issue = make_issue()
    note = issues.add_note(any_db, issue.id, "Called biomed.")
    (note_event,) = list_audit_events(any_db, entity="issue_note", entity_id=note.id)
    assert note_event.action == "create"
    assert json.loads(note_event.new_value or "{}")["text"] == "Called biomed."
    round_detail = rounds.create_round(
        any_db, unit.id, rounds.RoundFields(today(), participant_ids=[team.nurse])
    )
    in_unit = list_audit_events(any_db, unit_id=unit.id, limit=10_000)
    entities = {e.entity for e in in_unit}
    assert {"safety_issue", "issue_note", "safety_round", "round_participant"} <= entities
    assert round_detail.id in {e.entity_id for e in in_unit if e.entity == "safety_round"}
    other = units.create_unit(any_db, units.UnitFields(name="ICU"))
    assert [e.entity for e in list_audit_events(any_db, unit_id=other.id)] == ["unit"]


def test_deleting_keeps_a_snapshot_of_what_was_there(
    any_db: Database, manager: Actor, unit: units.UnitInfo
) -> None:
    measure = measures.create_measure(any_db, unit.id, measures.MeasureFields("Pressure injuries"))
    point = measures.set_point(
        any_db, measure.id, today(), value=3, note="Two stage 2, one stage 3"
    )
    measures.remove_point(any_db, measure.id, today())
    (deleted, _created) = list_audit_events(any_db, entity="measure_point", entity_id=point.id)
    assert (deleted.action, deleted.os_user, deleted.new_value) == ("delete", "d.reyes", None)
    snapshot = json.loads(deleted.old_value or "{}")
    assert snapshot["note"] == "Two stage 2, one stage 3"
    assert snapshot["value"] == "3.0"


def test_the_history_is_newest_first_and_pages(any_db: Database, make_issue: IssueMaker) -> None:
    issue = make_issue()
    for n in range(5):
        issues.add_note(any_db, issue.id, f"Note {n}")
    everything = list_audit_events(any_db)
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    assert list_audit_events(any_db, limit=2) == everything[:2]
    assert list_audit_events(any_db, limit=2, offset=2) == everything[2:4]


# --- same transaction ----------------------------------------------------------------


def test_a_refused_save_leaves_no_audit_row(
    any_db: Database, unit: units.UnitInfo, make_issue: IssueMaker
) -> None:
    issue = make_issue()
    before = count_all(any_db)
    with pytest.raises(ValidationError):
        issues.update_issue(
            any_db, issue.id, replace(issue.fields, description=""), expected_version=1
        )
    with pytest.raises(ValidationError):
        rounds.create_round(
            any_db,
            unit.id,
            rounds.RoundFields(today(), area="Pod A"),
            [FindingFields("Fine"), FindingFields("Bad", likelihood=0)],
        )
    with pytest.raises(ValidationError):
        issues.change_status(any_db, issue.id, "closed")
    assert count_all(any_db) == before


def test_a_save_the_database_refuses_after_writing_leaves_no_audit_row(
    any_db: Database, unit: units.UnitInfo
) -> None:
    """The first record is flushed (and its audit event queued) before the second fails."""
    before = count_all(any_db)
    with pytest.raises(StorageError), any_db.session() as session:
        session.add(Unit(name="Written first"))
        session.flush()
        session.add(Unit(name="Written first"))
        session.flush()
    assert [u.name for u in units.list_units(any_db)] == [unit.name]
    assert count_all(any_db) == before


# --- the database itself protects the trail ------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET new_value = 'rewritten'",
        "UPDATE audit_event SET os_user = 'x' WHERE id = (SELECT min(id) FROM audit_event)",
        "DELETE FROM audit_event",
        "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)",
    ],
)
def test_raw_sql_cannot_rewrite_or_remove_audit_rows(
    any_db: Database, make_issue: IssueMaker, statement: str
) -> None:
    make_issue()
    before = list_audit_events(any_db)
    assert before
    with pytest.raises(DBAPIError) as caught, any_db.engine.begin() as conn:
        conn.execute(text(statement))
    assert AUDIT_TRIGGER_MESSAGE in str(caught.value)
    assert list_audit_events(any_db) == before


def test_new_audit_rows_can_still_be_added_by_hand(any_db: Database, unit: units.UnitInfo) -> None:
    before = count_all(any_db)
    with any_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_event (occurred_at, os_user, role, action, entity, summary) "
                "VALUES (CURRENT_TIMESTAMP, 'admin', 'champion', 'note', 'unit', 'Checked by hand')"
            )
        )
    assert count_all(any_db) == before + 1
