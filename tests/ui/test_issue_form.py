"""The issue form: every field, the workflow explained as you type, notes, links,
conflicts shown side by side, and nothing typed ever lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database, open_database
from cuspdesk.models import IssueSource
from cuspdesk.services import assessments, issues, units
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.issue_form import IssueFormDialog
from cuspdesk.ui.widgets.fields import OptionalDateEdit
from ui.qt_helpers import DialogAnswerer, find, pick, type_into, windows

TODAY = date.today()


def demo_unit(db: Database) -> int:
    return units.list_units(db)[0].id


def open_form(
    qtbot: QtBot, db: Database, issue_id: int | None = None, **kwargs: object
) -> IssueFormDialog:
    context = AppContext(db, demo_unit(db))
    form = IssueFormDialog(context, issue_id, **kwargs)  # type: ignore[arg-type]
    form.show()
    qtbot.waitExposed(form)
    return form


def issue_number(db: Database, number: int) -> issues.IssueDetail:
    return issues.get_issue_by_number(db, demo_unit(db), number)


def click(qtbot: QtBot, form: IssueFormDialog, name: str) -> None:
    qtbot.mouseClick(find(form, QPushButton, name), Qt.MouseButton.LeftButton)


def test_a_new_issue_is_saved_with_every_field(qtbot: QtBot, demo_db: Database) -> None:
    form = open_form(qtbot, demo_db)
    assert form.windowTitle() == "New issue"
    assert "patient names" in find(form, QLabel, "Privacy notice").text()
    type_into(find(form, QPlainTextEdit, "Description"), "Bed 7 oxygen flowmeter leaks — ça fuit")
    type_into(find(form, QLineEdit, "Location"), "Bay B")
    pick(find(form, QComboBox, "Category"), "Equipment")
    pick(find(form, QComboBox, "Source"), "Event report")
    type_into(find(form, QLineEdit, "Event report number"), "ER-2026/0042")
    pick(find(form, QComboBox, "Likelihood"), "3 – moderate")
    pick(find(form, QComboBox, "Severity"), "5 – very high")
    assert find(form, QLabel, "Risk score").text() == "15 of 25 (3 × 5)"
    pick(find(form, QComboBox, "Owner"), "Tomás Álvarez")
    find(form, OptionalDateEdit, "Target date").setValue(TODAY + timedelta(days=10))
    type_into(find(form, QPlainTextEdit, "Action plan"), "Replace flowmeter; check the others.")

    click(qtbot, form, "Save")

    assert form.windowTitle().startswith("Issue ")
    saved = issues.get_issue(demo_db, form.issue_id or 0)
    assert saved.fields.description == "Bed 7 oxygen flowmeter leaks — ça fuit"
    assert saved.category_label == "Equipment"
    assert saved.fields.source == IssueSource.EVENT_REPORT.value
    assert saved.fields.event_report_ref == "ER-2026/0042"
    assert saved.risk_score == 15
    assert saved.owner_name == "Tomás Álvarez"
    assert saved.fields.target_date == TODAY + timedelta(days=10)
    assert saved.priority_rank is not None
    assert not form.has_unsaved_changes()
    assert find(form, QPushButton, "Add note").isEnabled()


def test_closing_without_the_risk_reduced_field_is_refused_and_input_kept(
    qtbot: QtBot, demo_db: Database
) -> None:
    issue = issue_number(demo_db, 12)
    form = open_form(qtbot, demo_db, issue.id)
    type_into(find(form, QPlainTextEdit, "Action plan"), " Radiology now phones the nurse.")
    type_into(find(form, QPlainTextEdit, "Feedback given to staff"), "Told at huddle on Monday")
    pick(find(form, QComboBox, "Status"), "Closed")

    rules = find(form, QLabel, "Status rules")
    assert rules.isVisible()
    assert "only be closed once “How we know the risk is reduced” is filled in" in rules.text()

    click(qtbot, form, "Save")

    assert "Not saved" in find(form, QLabel, "Problems with the form").text()
    shown = form.errors.messages()["risk_reduced_evidence"]
    assert "How we know the risk is reduced" in shown
    assert (
        find(form, QPlainTextEdit, "Action plan")
        .toPlainText()
        .endswith("Radiology now phones the nurse.")
    )
    assert find(form, QPlainTextEdit, "Feedback given to staff").toPlainText() == (
        "Told at huddle on Monday"
    )
    assert find(form, QComboBox, "Status").currentText() == "Closed"
    assert issues.get_issue(demo_db, issue.id).status == issue.status
    assert form.has_unsaved_changes()

    type_into(
        find(form, QPlainTextEdit, "How we know the risk is reduced"),
        "Audit: 30 of 30 critical results phoned to the nurse in October.",
    )
    assert "Will be marked closed" in rules.text()
    click(qtbot, form, "Save")
    closed = issues.get_issue(demo_db, issue.id)
    assert closed.status == "closed"
    assert closed.fields.staff_feedback == "Told at huddle on Monday"
    assert closed.priority_rank is None
    assert find(form, QLabel, "Current status").text() == "Closed"
    history = find(form, QListWidget, "Follow-up notes")
    assert "In progress → Closed" in history.item(history.count() - 1).text()


def test_the_status_picker_offers_only_what_the_workflow_allows(
    qtbot: QtBot, demo_db: Database
) -> None:
    closed = next(
        r
        for r in issues.list_issues(
            demo_db, issues.IssueQuery(unit_id=demo_unit(demo_db), statuses=["closed"])
        ).rows
    )
    form = open_form(qtbot, demo_db, closed.id)
    status = find(form, QComboBox, "Status")
    assert [status.itemText(i) for i in range(status.count())] == [
        "Closed (now)",
        "Open",
        "In progress",
    ]
    pick(status, "Open")
    assert "Say why the issue is being reopened." in find(form, QLabel, "Status rules").text()
    type_into(find(form, QLineEdit, "Reason for the status change"), "Wipes ran out again")
    assert "Will be marked open" in find(form, QLabel, "Status rules").text()
    click(qtbot, form, "Save")
    reopened = issues.get_issue(demo_db, closed.id)
    assert reopened.status == "open"
    assert any("Wipes ran out again" in n.text for n in reopened.notes)


def test_problems_show_beside_the_field_as_the_person_types(
    qtbot: QtBot, demo_db: Database
) -> None:
    form = open_form(qtbot, demo_db)
    type_into(find(form, QPlainTextEdit, "Description"), "Hand gel empty")
    find(form, OptionalDateEdit, "Date identified").setValue(TODAY - timedelta(days=3))
    find(form, OptionalDateEdit, "Target date").setValue(TODAY - timedelta(days=10))
    qtbot.waitUntil(lambda: "target_date" in form.errors.messages(), timeout=3000)
    assert (
        "cannot be before the date the issue was identified"
        in form.errors.messages()["target_date"]
    )
    assert not find(form, QLabel, "Problems with the form").isVisible()  # no "Not saved" yet
    assert "description" not in form.errors.messages()
    find(form, OptionalDateEdit, "Target date").setValue(TODAY + timedelta(days=3))
    qtbot.waitUntil(lambda: not form.errors.messages(), timeout=3000)


def test_an_empty_description_is_refused_and_nothing_else_is_lost(
    qtbot: QtBot, demo_db: Database
) -> None:
    before = issues.list_issues(demo_db, issues.IssueQuery(unit_id=demo_unit(demo_db))).total
    form = open_form(qtbot, demo_db)
    type_into(find(form, QLineEdit, "Location"), "<script>alert(1)</script> & Room 5")
    type_into(find(form, QPlainTextEdit, "Barriers needing executive help"), "🙂 مال" * 3)
    click(qtbot, form, "Save")
    assert form.errors.messages()["description"] == "⚠ The description is needed."
    assert find(form, QLineEdit, "Location").text() == "<script>alert(1)</script> & Room 5"
    assert find(form, QPlainTextEdit, "Barriers needing executive help").toPlainText() == (
        "🙂 مال" * 3
    )
    assert (
        issues.list_issues(demo_db, issues.IssueQuery(unit_id=demo_unit(demo_db))).total == before
    )


def test_huge_text_is_refused_with_its_size(qtbot: QtBot, demo_db: Database) -> None:
    form = open_form(qtbot, demo_db)
    pasted = ("Long pasted report line " * 4 + "\n") * 21_000  # just over 2,000,000 characters
    find(form, QPlainTextEdit, "Description").setPlainText(pasted)
    click(qtbot, form, "Save")
    assert f"too long ({len(pasted.strip()):,} characters" in form.errors.messages()["description"]
    assert find(form, QPlainTextEdit, "Description").toPlainText() == pasted


def test_a_dated_note_joins_the_history_at_once(qtbot: QtBot, demo_db: Database) -> None:
    issue = issue_number(demo_db, 20)
    form = open_form(qtbot, demo_db, issue.id)
    history = find(form, QListWidget, "Follow-up notes")
    count = history.count()
    type_into(find(form, QPlainTextEdit, "New note"), "Facilities quote: 2 sound panels, £1,200")
    assert form.has_unsaved_changes()  # a note typed but not added is not lost silently
    find(form, OptionalDateEdit, "Date of the new note").setValue(TODAY - timedelta(days=1))
    click(qtbot, form, "Add note")
    assert history.count() == count + 1
    lines = [history.item(row).text() for row in range(history.count())]
    assert any("£1,200" in line for line in lines)
    saved = next(n for n in issues.get_issue(demo_db, issue.id).notes if "£1,200" in n.text)
    assert (saved.text, saved.note_date) == (
        "Facilities quote: 2 sound panels, £1,200",
        TODAY - timedelta(days=1),
    )
    assert find(form, QPlainTextEdit, "New note").toPlainText() == ""
    assert not form.has_unsaved_changes()

    click(qtbot, form, "Add note")  # empty note
    assert "The note is needed." in form.errors.messages()["note"]


def test_the_link_to_the_source_round_opens_it(qtbot: QtBot, demo_db: Database) -> None:
    from_round = next(
        r
        for r in issues.list_issues(
            demo_db, issues.IssueQuery(unit_id=demo_unit(demo_db), sources=["safety_round"])
        ).rows
    )
    detail = issues.get_issue(demo_db, from_round.id)
    form = open_form(qtbot, demo_db, from_round.id)
    opened: list[tuple[str, int]] = []
    form.context.open_record.connect(lambda kind, record: opened.append((kind, record)))
    click(qtbot, form, f"Open {detail.source_record}")
    assert opened == [("round", detail.fields.round_id)]


def test_an_issue_made_from_assessment_responses_links_them(
    qtbot: QtBot, demo_db: Database
) -> None:
    unit_id = demo_unit(demo_db)
    response = assessments.create_response(
        demo_db,
        unit_id,
        assessments.AssessmentFields(TODAY, "A patient will fall walking to the bathroom at night"),
    )
    prefill = issues.IssueFields(
        description="Night-time falls on the way to the bathroom", date_identified=TODAY
    )
    form = open_form(qtbot, demo_db, None, prefill=prefill, assessment_ids=[response.id])
    assert find(form, QComboBox, "Source").currentText() == "Staff safety assessment"
    assert find(form, QPlainTextEdit, "Description").toPlainText() == prefill.description
    find(form, QPushButton, "Open 1 staff safety assessment response")
    click(qtbot, form, "Save")
    saved = issues.get_issue(demo_db, form.issue_id or 0)
    assert saved.assessment_ids == (response.id,)
    assert saved.fields.source == IssueSource.ASSESSMENT.value


def edit_elsewhere(db: Database, issue_id: int, **changes: object) -> None:
    current = issues.get_issue(db, issue_id)
    for key, value in changes.items():
        setattr(current.fields, key, value)
    issues.update_issue(db, issue_id, current.fields, expected_version=current.version)


def test_a_conflicting_save_shows_both_versions_and_keep_mine_saves_over(
    qtbot: QtBot, demo_db: Database
) -> None:
    issue = issue_number(demo_db, 20)
    form = open_form(qtbot, demo_db, issue.id)
    edit_elsewhere(demo_db, issue.id, location="Their corridor")
    find(form, QLineEdit, "Location").setText("My nurses' station")

    seen: list[list[str]] = []

    def read_table() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        table = find(dialog, QTableWidget, "Differences between the two versions")
        seen.extend(
            [table.item(row, col).text() for col in range(3)] for row in range(table.rowCount())
        )

    DialogAnswerer().then("Keep mine", before=read_table)
    click(qtbot, form, "Save")
    assert ["Location", "Their corridor", "My nurses' station"] in seen
    assert issues.get_issue(demo_db, issue.id).fields.location == "My nurses' station"
    assert not form.has_unsaved_changes()


def test_keep_theirs_reloads_their_version(qtbot: QtBot, demo_db: Database) -> None:
    issue = issue_number(demo_db, 20)
    form = open_form(qtbot, demo_db, issue.id)
    owner = next(
        m for m in units.list_team(demo_db, demo_unit(demo_db)) if m.full_name != (issue.owner_name)
    )
    edit_elsewhere(demo_db, issue.id, owner_id=owner.person_id)
    type_into(find(form, QLineEdit, "Location"), " (west)")
    DialogAnswerer().then("Keep theirs")
    click(qtbot, form, "Save")
    assert find(form, QComboBox, "Owner").currentText() == owner.full_name
    assert find(form, QLineEdit, "Location").text() == issue.fields.location
    assert not form.has_unsaved_changes()


def test_going_back_from_a_conflict_keeps_what_was_typed(qtbot: QtBot, demo_db: Database) -> None:
    issue = issue_number(demo_db, 20)
    form = open_form(qtbot, demo_db, issue.id)
    edit_elsewhere(demo_db, issue.id, location="Theirs")
    find(form, QLineEdit, "Location").setText("Mine")
    DialogAnswerer().then("Go back to my form")
    click(qtbot, form, "Save")
    assert find(form, QLineEdit, "Location").text() == "Mine"
    assert issues.get_issue(demo_db, issue.id).fields.location == "Theirs"
    assert "someone else changed this issue" in find(form, QLabel, "Problems with the form").text()


def test_closing_with_unsaved_changes_asks_first(qtbot: QtBot, demo_db: Database) -> None:
    form = open_form(qtbot, demo_db)
    type_into(find(form, QPlainTextEdit, "Description"), "Sharps bin overfull")
    answered = DialogAnswerer().then("Cancel")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert answered.seen and form.isVisible()
    DialogAnswerer().then("Discard")
    click(qtbot, form, "Close")
    assert not windows(IssueFormDialog)


def test_save_and_close_from_the_question(qtbot: QtBot, demo_db: Database) -> None:
    form = open_form(qtbot, demo_db)
    type_into(find(form, QPlainTextEdit, "Description"), "Sharps bin overfull in bay C")
    DialogAnswerer().then("Save")
    form.close()
    assert not windows(IssueFormDialog)
    found = issues.list_issues(
        demo_db, issues.IssueQuery(unit_id=demo_unit(demo_db), text="Sharps bin overfull in bay C")
    )
    assert found.total == 1


def test_save_also_adds_a_note_typed_but_not_yet_added(qtbot: QtBot, demo_db: Database) -> None:
    issue = issue_number(demo_db, 20)
    form = open_form(qtbot, demo_db, issue.id)
    type_into(find(form, QLineEdit, "Location"), " (west end)")
    type_into(find(form, QPlainTextEdit, "New note"), "Spoke to estates; survey booked")
    click(qtbot, form, "Save")
    saved = issues.get_issue(demo_db, issue.id)
    assert saved.fields.location.endswith("(west end)")
    assert any(n.text == "Spoke to estates; survey booked" for n in saved.notes)
    assert find(form, QPlainTextEdit, "New note").toPlainText() == ""
    assert not form.has_unsaved_changes()


def test_a_new_issue_saved_with_a_note_keeps_both(qtbot: QtBot, demo_db: Database) -> None:
    form = open_form(qtbot, demo_db)
    type_into(find(form, QPlainTextEdit, "Description"), "Glucometer strips expired in bay D")
    type_into(find(form, QPlainTextEdit, "New note"), "Pharmacy told")
    click(qtbot, form, "Save")
    saved = issues.get_issue(demo_db, form.issue_id or 0)
    assert [n.text for n in saved.notes if n.kind == "note"] == ["Pharmacy told"]


@pytest.mark.postgres
def test_two_desktops_on_one_postgres_server_get_the_conflict_dialog(
    qtbot: QtBot, pg_db: Database
) -> None:
    """The shared-server case: another computer's save arrives through its own connection."""
    unit = units.create_unit(pg_db, units.UnitFields(name="5 North"))
    issue = issues.create_issue(
        pg_db,
        unit.id,
        issues.IssueFields(description="Bed alarm not set", date_identified=TODAY),
    )
    form = open_form(qtbot, pg_db, issue.id)
    other_desktop = open_database(pg_db.engine.url.render_as_string(hide_password=False))
    try:
        edit_elsewhere(other_desktop, issue.id, location="Their corridor")
    finally:
        other_desktop.dispose()
    find(form, QLineEdit, "Location").setText("My nurses' station")
    seen: list[list[str]] = []

    def read_table() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        table = find(dialog, QTableWidget, "Differences between the two versions")
        seen.extend(
            [table.item(row, col).text() for col in range(3)] for row in range(table.rowCount())
        )

    DialogAnswerer().then("Keep theirs", before=read_table)
    click(qtbot, form, "Save")
    assert ["Location", "Their corridor", "My nurses' station"] in seen
    assert find(form, QLineEdit, "Location").text() == "Their corridor"
    assert issues.get_issue(pg_db, issue.id).fields.location == "Their corridor"
