"""Unit files: export a unit, merge it elsewhere, and merge the laptop's changes back.

The shared database is ``any_db`` (SQLite, then the real PostgreSQL server); the
offline laptop is always an SQLite file, as on a ward laptop.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from builders import Team, issue_fields
from sentences import assert_plain_sentence
from sqlalchemy import func, select

from cuspdesk.db import Actor, Database, open_database
from cuspdesk.errors import PermissionDeniedError, StorageError, UnitFileError, ValidationError
from cuspdesk.models import AuditEvent, MergeConflict
from cuspdesk.services import hospital, issues, measures, meetings, units
from cuspdesk.services import unit_exchange as ux

HOSTILE_TEXT = (
    "<b>Zoë</b> & “quotes” 'single' \\ 李伟 \u202eevil\u202c 😀\n<script>alert(1)</script>"
)


@pytest.fixture
def laptop(tmp_path: Path, _sqlite_template: Path) -> Iterator[Database]:
    """The offline laptop: its own fresh SQLite database."""
    path = tmp_path / "laptop.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    database = open_database(path)
    yield database
    database.dispose()


@pytest.fixture
def second_laptop(tmp_path: Path, _sqlite_template: Path) -> Iterator[Database]:
    """Another offline laptop of the same unit."""
    path = tmp_path / "second-laptop.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    database = open_database(path)
    yield database
    database.dispose()


@pytest.fixture
def filled_unit(any_db: Database, unit: units.UnitInfo, team: Team) -> dict[str, Any]:
    """A unit with an issue and its notes, a meeting, a measure with data: one of each part."""
    issue = issues.create_issue(
        any_db,
        unit.id,
        issue_fields("Bed alarm not set", owner_id=team.manager, action_plan="Check alarms"),
    )
    issues.add_note(any_db, issue.id, "Alarms checked on the night shift")
    meeting = meetings.create_meeting(
        any_db,
        unit.id,
        meetings.MeetingFields(
            meeting_date=date.today() - timedelta(days=3),
            title="Monthly executive meeting",
            attendees=[meetings.AttendeeFields(team.executive)],
            agenda=[meetings.AgendaItemFields("Falls review", presenter="Maria")],
            decisions=["Buy bed alarms"],
        ),
    )
    measure = measures.create_measure(
        any_db, unit.id, measures.MeasureFields(name="Falls", target=2.0)
    )
    month = date.today().replace(day=1) - timedelta(days=40)
    measures.set_point(any_db, measure.id, month, value=3)
    return {"issue": issue, "meeting": meeting, "measure": measure, "month": month}


def records_of(db: Database, unit_id: int, folder: Path) -> dict[tuple[str, str], Any]:
    """Every record of the unit as a unit file holds it, by kind and uuid."""
    path = folder / f"look-{len(list(folder.iterdir()))}.cuspdesk"
    ux.export_unit(db, unit_id, path)
    package = ux.read_package(path)
    return {(r.entity, r.uuid): (r.content, r.carried) for r in package.records}


def audit_count(db: Database) -> int:
    with db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def laptop_unit(laptop: Database) -> units.UnitInfo:
    return units.list_units(laptop)[0]


def on_laptop(laptop: Database, issue: issues.IssueDetail) -> int:
    """The laptop's id of a server issue (ids differ between databases; numbers travel)."""
    return issues.get_issue_by_number(laptop, laptop_unit(laptop).id, issue.number).id


def send(source: Database, unit_id: int, target: Database, path: Path) -> ux.MergeResult:
    ux.export_unit(source, unit_id, path)
    return ux.merge_unit_file(target, path)


# --- round trips ----------------------------------------------------------------------


def test_export_then_merge_into_an_empty_database_gives_the_same_records(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    result = send(any_db, unit.id, laptop, tmp_path / "unit.cuspdesk")
    assert result.added > 0 and result.updated == result.conflicts == 0
    assert result.unit_name == unit.name
    on_laptop = laptop_unit(laptop)
    assert on_laptop.uuid == unit.uuid
    looks = tmp_path / "looks"
    looks.mkdir()
    assert records_of(laptop, on_laptop.id, looks) == records_of(any_db, unit.id, looks)
    detail = issues.get_issue(laptop, issues.list_issues(laptop, issues.IssueQuery()).rows[0].id)
    assert detail.number == filled_unit["issue"].number
    assert detail.fields.action_plan == "Check alarms"
    assert [n.text for n in detail.notes][-1] == "Alarms checked on the night shift"
    # The search index knows the merged issue and its notes.
    found = issues.list_issues(laptop, issues.IssueQuery(text="night shift")).rows
    assert [r.id for r in found] == [detail.id]


def test_the_whole_sample_unit_survives_the_round_trip(
    db: Database, laptop: Database, tmp_path: Path
) -> None:
    from cuspdesk.services import demo

    unit = demo.create_demo_unit(db)
    send(db, unit.id, laptop, tmp_path / "sample.cuspdesk")
    looks = tmp_path / "looks"
    looks.mkdir()
    mine = records_of(db, unit.id, looks)
    assert records_of(laptop, laptop_unit(laptop).id, looks) == mine
    kinds = {entity for entity, _uuid in mine}
    assert {"safety_issue", "meeting", "measure_point", "defect_review", "person"} <= kinds


def test_merging_the_same_file_twice_changes_nothing(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    path = tmp_path / "unit.cuspdesk"
    first = send(any_db, unit.id, laptop, path)
    events = audit_count(laptop)
    again = ux.merge_unit_file(laptop, path)
    assert (again.added, again.updated, again.conflicts) == (0, 0, 0)
    assert again.unchanged == first.added
    assert audit_count(laptop) == events


def test_a_change_made_only_on_the_laptop_updates_the_shared_database(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    send(any_db, unit.id, laptop, tmp_path / "out.cuspdesk")
    laptop_issue = issues.get_issue(laptop, on_laptop(laptop, filled_unit["issue"]))
    issues.update_issue(
        laptop,
        laptop_issue.id,
        replace(laptop_issue.fields, action_plan=HOSTILE_TEXT),
        expected_version=laptop_issue.version,
    )
    issues.add_note(laptop, laptop_issue.id, "Written offline")
    result = send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "back.cuspdesk")
    assert (result.added, result.updated, result.conflicts) == (1, 1, 0)
    server_issue = issues.get_issue(any_db, filled_unit["issue"].id)
    assert server_issue.fields.action_plan == HOSTILE_TEXT
    assert server_issue.version == filled_unit["issue"].version + 1
    assert "Written offline" in [n.text for n in server_issue.notes]
    with any_db.reader() as session:
        merged = session.execute(
            select(AuditEvent.new_value, AuditEvent.summary).where(
                AuditEvent.field == "action_plan"
            )
        ).all()
    assert [tuple(e) for e in merged] == [(HOSTILE_TEXT, "Merged from the unit file back.cuspdesk")]


def test_a_change_made_only_on_the_shared_database_is_kept(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    send(any_db, unit.id, laptop, tmp_path / "out.cuspdesk")
    server_issue = issues.get_issue(any_db, filled_unit["issue"].id)
    issues.update_issue(
        any_db,
        server_issue.id,
        replace(server_issue.fields, action_plan="Changed on the server"),
        expected_version=server_issue.version,
    )
    result = send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "back.cuspdesk")
    assert (result.added, result.updated, result.conflicts) == (0, 0, 0)
    assert issues.get_issue(any_db, server_issue.id).fields.action_plan == "Changed on the server"
    # ...and the laptop takes it from the next file the server sends.
    result = send(any_db, unit.id, laptop, tmp_path / "out2.cuspdesk")
    assert (result.updated, result.conflicts) == (1, 0)
    laptop_id = on_laptop(laptop, server_issue)
    assert issues.get_issue(laptop, laptop_id).fields.action_plan == "Changed on the server"


def edit_both_sides(
    server: Database, laptop: Database, issue: issues.IssueDetail, folder: Path
) -> ux.MergeResult:
    for database, text, issue_id in (
        (server, "Server plan", issue.id),
        (laptop, "Laptop plan", on_laptop(laptop, issue)),
    ):
        detail = issues.get_issue(database, issue_id)
        issues.update_issue(
            database,
            issue_id,
            replace(detail.fields, action_plan=text),
            expected_version=detail.version,
        )
    return send(laptop, laptop_unit(laptop).id, server, folder / "back.cuspdesk")


def test_a_record_changed_on_both_sides_is_listed_as_a_conflict_and_never_overwritten(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    send(any_db, unit.id, laptop, tmp_path / "out.cuspdesk")
    issue_id = filled_unit["issue"].id
    result = edit_both_sides(any_db, laptop, filled_unit["issue"], tmp_path)
    assert result.conflicts == 1 and result.updated == 0
    assert "1 conflict to decide" in result.sentence()
    assert issues.get_issue(any_db, issue_id).fields.action_plan == "Server plan"
    [conflict] = ux.list_conflicts(any_db, unit.id)
    assert conflict.label.startswith(f"Issue {filled_unit['issue'].number}: ")
    assert conflict.file_name == "back.cuspdesk"
    [difference] = conflict.differences
    assert (difference.label, difference.database, difference.file) == (
        "Action plan",
        "Server plan",
        "Laptop plan",
    )
    # The same file again lists nothing new.
    again = ux.merge_unit_file(any_db, tmp_path / "back.cuspdesk")
    assert again.conflicts == 0
    assert len(ux.list_conflicts(any_db, unit.id)) == 1
    # The hospital view counts it against its unit.
    [standing] = hospital.load_hospital_overview(any_db).units
    assert standing.open_conflicts == 1


def test_keeping_the_files_version_applies_it_and_is_audited(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    send(any_db, unit.id, laptop, tmp_path / "out.cuspdesk")
    issue_id = filled_unit["issue"].id
    edit_both_sides(any_db, laptop, filled_unit["issue"], tmp_path)
    [conflict] = ux.list_conflicts(any_db)
    decided = ux.decide_conflict(any_db, conflict.id, keep="file")
    assert decided.decision == "file" and not decided.open
    assert issues.get_issue(any_db, issue_id).fields.action_plan == "Laptop plan"
    assert ux.list_conflicts(any_db) == []
    with any_db.reader() as session:
        event = session.execute(
            select(AuditEvent.new_value, AuditEvent.summary)
            .where(AuditEvent.entity == "safety_issue", AuditEvent.field == "action_plan")
            .order_by(AuditEvent.id.desc())
        ).first()
    assert event is not None and event[0] == "Laptop plan"
    assert event[1].startswith("Merge conflict decided: kept the file's version of Issue")
    with pytest.raises(ValidationError, match="already decided"):
        ux.decide_conflict(any_db, conflict.id, keep="database")
    # Merging the file again does not bring the conflict back.
    assert ux.merge_unit_file(any_db, tmp_path / "back.cuspdesk").conflicts == 0


def test_keeping_this_databases_version_wins_on_the_laptop_too(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    send(any_db, unit.id, laptop, tmp_path / "out.cuspdesk")
    issue_id = filled_unit["issue"].id
    edit_both_sides(any_db, laptop, filled_unit["issue"], tmp_path)
    [conflict] = ux.list_conflicts(any_db)
    ux.decide_conflict(any_db, conflict.id, keep="database")
    assert issues.get_issue(any_db, issue_id).fields.action_plan == "Server plan"
    with any_db.reader() as session:
        decision = session.scalar(
            select(MergeConflict.decision).where(MergeConflict.id == conflict.id)
        )
    assert decision == "database"
    # The laptop takes the decision from the next file instead of a conflict of its own.
    result = send(any_db, unit.id, laptop, tmp_path / "out2.cuspdesk")
    assert (result.updated, result.conflicts) == (1, 0)
    laptop_id = on_laptop(laptop, filled_unit["issue"])
    assert issues.get_issue(laptop, laptop_id).fields.action_plan == "Server plan"


def test_a_dry_run_reports_and_saves_nothing(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    path = tmp_path / "unit.cuspdesk"
    ux.export_unit(any_db, unit.id, path)
    events = audit_count(laptop)
    result = ux.merge_unit_file(laptop, path, dry_run=True)
    assert result.dry_run and result.added > 0
    assert "saved nothing" in result.sentence()
    assert units.list_units(laptop) == []
    assert audit_count(laptop) == events
    assert ux.merge_unit_file(laptop, path).added == result.added


def test_issue_numbers_added_on_both_sides_do_not_clash(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    send(any_db, unit.id, laptop, tmp_path / "out.cuspdesk")
    server_new = issues.create_issue(any_db, unit.id, issue_fields("Found on the server"))
    laptop_new = issues.create_issue(laptop, laptop_unit(laptop).id, issue_fields("Found offline"))
    assert server_new.number == laptop_new.number
    result = send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "back.cuspdesk")
    assert result.added == 1 and result.conflicts == 0
    rows = issues.list_issues(any_db, issues.IssueQuery(unit_id=unit.id)).rows
    numbers = {r.description: r.number for r in rows}
    assert numbers["Found on the server"] == server_new.number
    assert numbers["Found offline"] == server_new.number + 1
    assert len(set(numbers.values())) == len(rows)
    ranks = [r.priority_rank for r in rows if r.priority_rank is not None]
    assert sorted(ranks) == list(range(1, len(rows) + 1))  # the new one joins the bottom


def test_the_same_month_entered_on_both_sides_is_one_data_point(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    send(any_db, unit.id, laptop, tmp_path / "out.cuspdesk")
    month = measures.month_start(date.today().replace(day=1) - timedelta(days=5))
    measure_id = filled_unit["measure"].id
    [laptop_measure] = measures.list_measures(laptop, laptop_unit(laptop).id)
    measures.set_point(any_db, measure_id, month, value=1)
    measures.set_point(laptop, laptop_measure.id, month, value=1)
    result = send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "same.cuspdesk")
    assert (result.added, result.conflicts) == (0, 0)
    # Agreed on 1; a change on the laptop alone is taken...
    measures.set_point(laptop, laptop_measure.id, month, value=4)
    result = send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "other.cuspdesk")
    assert (result.added, result.updated, result.conflicts) == (0, 1, 0)
    # ...a change on both is a conflict.
    measures.set_point(laptop, laptop_measure.id, month, value=5)
    measures.set_point(any_db, measure_id, month, value=2)
    result = send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "both.cuspdesk")
    assert (result.added, result.updated, result.conflicts) == (0, 0, 1)
    [conflict] = ux.list_conflicts(any_db)
    assert {d.field: (d.database, d.file) for d in conflict.differences}["value"] == ("2", "5")
    ux.decide_conflict(any_db, conflict.id, keep="file")
    assert [p.value for p in measures.list_points(any_db, measure_id) if p.period == month] == [5]


def test_an_older_file_from_the_same_database_is_refused(
    any_db: Database, laptop: Database, unit: units.UnitInfo, filled_unit: Any, tmp_path: Path
) -> None:
    older, newer = tmp_path / "older.cuspdesk", tmp_path / "newer.cuspdesk"
    ux.export_unit(any_db, unit.id, older)
    ux.export_unit(any_db, unit.id, newer)
    ux.merge_unit_file(laptop, newer)
    with pytest.raises(UnitFileError) as info:
        ux.merge_unit_file(laptop, older)
    assert_plain_sentence(str(info.value))
    assert "newer file from the same database" in str(info.value)


def test_a_unit_of_the_same_name_that_did_not_come_from_the_file_is_not_overwritten(
    any_db: Database, laptop: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    units.create_unit(laptop, units.UnitFields(name=unit.name.upper()))
    path = tmp_path / "unit.cuspdesk"
    ux.export_unit(any_db, unit.id, path)
    with pytest.raises(UnitFileError) as info:
        ux.merge_unit_file(laptop, path)
    assert_plain_sentence(str(info.value))
    assert len(units.list_units(laptop)) == 1


def test_only_team_leaders_merge_or_decide(
    any_db: Database, laptop: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    path = tmp_path / "unit.cuspdesk"
    ux.export_unit(any_db, unit.id, path)
    laptop.actor = Actor(os_user="nurse", role="nurse_manager")
    with pytest.raises(PermissionDeniedError) as info:
        ux.merge_unit_file(laptop, path)
    assert_plain_sentence(str(info.value))
    with pytest.raises(PermissionDeniedError):
        ux.decide_conflict(laptop, 1, keep="file")


def test_keep_must_name_one_side(any_db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        ux.decide_conflict(any_db, 1, keep="both")
    assert_plain_sentence(str(info.value))


def test_a_read_only_database_can_export(db: Database, tmp_path: Path) -> None:
    unit = units.create_unit(db, units.UnitFields(name="4 East"))
    assert db.path is not None
    path = db.path
    db.dispose()
    read_only = open_database(path, read_only=True)
    out = tmp_path / "ro.cuspdesk"
    result = ux.export_unit(read_only, unit.id, out)
    assert result.records >= 1 and ux.read_package(out).unit_uuid == unit.uuid


def test_a_file_name_is_suggested_from_the_unit_and_the_day() -> None:
    name = ux.suggested_file_name("5 North / ICU: A&B", date(2026, 3, 31))
    assert name == "5 North - ICU- A-B 2026-03-31.cuspdesk"


# --- hostile files --------------------------------------------------------------------


def write_zip(path: Path, document: Any, member: str = ux.MEMBER) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, document if isinstance(document, bytes) else json.dumps(document))
    return path


@pytest.fixture
def good_file(any_db: Database, unit: units.UnitInfo, tmp_path: Path) -> Path:
    issues.create_issue(any_db, unit.id, issue_fields(HOSTILE_TEXT))
    path = tmp_path / "good.cuspdesk"
    ux.export_unit(any_db, unit.id, path)
    return path


def document_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        loaded: dict[str, Any] = json.loads(archive.read(ux.MEMBER))
    return loaded


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p, good: p / "missing.cuspdesk", "There is no file at"),
        (lambda p, good: p, "is a folder, not a unit file"),
        (lambda p, good: _write(p / "empty.cuspdesk", b""), "is empty"),
        (lambda p, good: _write(p / "junk.cuspdesk", b"\x00\xffjunk" * 50), "is not a CUSPDesk"),
        (
            lambda p, good: _write(p / "cut.cuspdesk", good.read_bytes()[:200]),
            "is damaged",
        ),
        (
            lambda p, good: write_zip(p / "other.cuspdesk", {"x": 1}, member="other.json"),
            "is not a CUSPDesk",
        ),
        (lambda p, good: write_zip(p / "text.cuspdesk", b"{not json"), "is damaged"),
        (
            lambda p, good: write_zip(p / "alien.cuspdesk", {"format": "something-else"}),
            "is not a CUSPDesk",
        ),
        (
            lambda p, good: write_zip(
                p / "newer.cuspdesk", {**document_of(good), "format_version": 99}
            ),
            "newer version of CUSPDesk",
        ),
        (
            lambda p, good: write_zip(
                p / "norecords.cuspdesk", {**document_of(good), "records": "lots"}
            ),
            "is damaged",
        ),
    ],
    ids=[
        "missing",
        "folder",
        "empty",
        "junk",
        "truncated",
        "zip-of-something-else",
        "not-json",
        "other-format",
        "newer-format",
        "bad-records",
    ],
)
def test_a_hostile_file_is_refused_in_one_sentence_and_changes_nothing(
    laptop: Database, good_file: Path, tmp_path: Path, make: Any, expected: str
) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    path = make(folder, good_file)
    events = audit_count(laptop)
    with pytest.raises(UnitFileError) as info:
        ux.merge_unit_file(laptop, path)
    assert expected in str(info.value)
    assert_plain_sentence(str(info.value))
    assert units.list_units(laptop) == []
    assert audit_count(laptop) == events


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_record_with_a_wrong_value_is_refused_and_nothing_is_merged(
    laptop: Database, good_file: Path, tmp_path: Path
) -> None:
    document = document_of(good_file)
    issue = next(r for r in document["records"] if r["entity"] == "safety_issue")
    issue["content"]["likelihood"] = "very"
    path = write_zip(tmp_path / "wrong.cuspdesk", document)
    with pytest.raises(UnitFileError) as info:
        ux.merge_unit_file(laptop, path)
    assert_plain_sentence(str(info.value))
    assert units.list_units(laptop) == []


def test_a_record_pointing_at_a_missing_record_is_refused(
    laptop: Database, good_file: Path, tmp_path: Path
) -> None:
    document = document_of(good_file)
    issue = next(r for r in document["records"] if r["entity"] == "safety_issue")
    issue["content"]["owner_id"] = "00000000-0000-4000-8000-000000000000"
    path = write_zip(tmp_path / "dangling.cuspdesk", document)
    with pytest.raises(UnitFileError):
        ux.merge_unit_file(laptop, path)
    assert units.list_units(laptop) == []


def test_unicode_and_markup_survive_the_round_trip(laptop: Database, good_file: Path) -> None:
    ux.merge_unit_file(laptop, good_file)
    [row] = issues.list_issues(laptop, issues.IssueQuery()).rows
    assert issues.get_issue(laptop, row.id).fields.description == HOSTILE_TEXT


def test_an_unwritable_place_fails_in_one_sentence(
    any_db: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    with pytest.raises(StorageError) as info:
        ux.export_unit(any_db, unit.id, tmp_path / "no-such-folder" / "unit.cuspdesk")
    assert_plain_sentence(str(info.value))
    assert not list(tmp_path.glob("**/*.partial"))


def test_a_dry_run_into_an_empty_database_names_no_unit(
    any_db: Database, laptop: Database, unit: units.UnitInfo, tmp_path: Path
) -> None:
    path = tmp_path / "unit.cuspdesk"
    ux.export_unit(any_db, unit.id, path)
    assert ux.merge_unit_file(laptop, path, dry_run=True).unit_id is None
    assert ux.merge_unit_file(laptop, path).unit_id == laptop_unit(laptop).id


def test_two_laptops_editing_the_same_version_is_a_conflict_not_an_overwrite(
    any_db: Database,
    laptop: Database,
    second_laptop: Database,
    unit: units.UnitInfo,
    filled_unit: Any,
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.cuspdesk"
    ux.export_unit(any_db, unit.id, out)
    ux.merge_unit_file(laptop, out)
    ux.merge_unit_file(second_laptop, out)
    issue = filled_unit["issue"]
    for database, text in ((laptop, "First laptop plan"), (second_laptop, "Second laptop plan")):
        detail = issues.get_issue(database, on_laptop(database, issue))
        issues.update_issue(
            database,
            detail.id,
            replace(detail.fields, action_plan=text),
            expected_version=detail.version,
        )
    first = send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "first.cuspdesk")
    assert (first.updated, first.conflicts) == (1, 0)
    second = send(
        second_laptop, laptop_unit(second_laptop).id, any_db, tmp_path / "second.cuspdesk"
    )
    assert (second.updated, second.conflicts) == (0, 1)
    assert issues.get_issue(any_db, issue.id).fields.action_plan == "First laptop plan"
    [conflict] = ux.list_conflicts(any_db)
    assert [(d.database, d.file) for d in conflict.differences] == [
        ("First laptop plan", "Second laptop plan")
    ]


def test_a_laptop_hearing_of_another_laptops_change_to_its_own_edit_lists_a_conflict(
    any_db: Database,
    laptop: Database,
    second_laptop: Database,
    unit: units.UnitInfo,
    filled_unit: Any,
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.cuspdesk"
    ux.export_unit(any_db, unit.id, out)
    ux.merge_unit_file(laptop, out)
    ux.merge_unit_file(second_laptop, out)
    issue = filled_unit["issue"]
    for database, text in ((laptop, "First laptop plan"), (second_laptop, "Second laptop plan")):
        set_plan_on(database, issue, text)
    send(laptop, laptop_unit(laptop).id, any_db, tmp_path / "first.cuspdesk")
    # The shared database now holds the first laptop's plan; the second laptop hears of it.
    result = send(any_db, unit.id, second_laptop, tmp_path / "news.cuspdesk")
    assert (result.updated, result.conflicts) == (0, 1)
    second_id = on_laptop(second_laptop, issue)
    assert issues.get_issue(second_laptop, second_id).fields.action_plan == "Second laptop plan"


def set_plan_on(database: Database, issue: issues.IssueDetail, text: str) -> None:
    detail = issues.get_issue(database, on_laptop(database, issue))
    issues.update_issue(
        database,
        detail.id,
        replace(detail.fields, action_plan=text),
        expected_version=detail.version,
    )
