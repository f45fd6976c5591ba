"""Staff safety assessments: fast keyboard entry, categorising, turning responses into an issue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QPushButton, QTableView

from cuspdesk.services import assessments, issues
from cuspdesk.services.assessments import HARM_QUESTION, PREVENTION_QUESTION
from cuspdesk.services.validation import today
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.issue_form import IssueFormDialog
from cuspdesk.ui.screens.assessments import AssessmentsScreen, issue_prefill
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.text_area import TextArea
from ui.qt_helpers import (
    click,
    find,
    mnemonic_clashes,
    pick,
    select_rows,
    type_into,
    unnamed_controls,
    windows,
)

SHEETS = [
    ("A patient will fall going to the bathroom at night.", "Hourly rounding on nights.", ""),
    ("Heparin vials look alike.", "", "Staff nurse"),
    ("患者が転倒する — المريض سيسقط 🚑", "Non-slip socks for everyone.", ""),
]


def open_screen(qtbot: Any, context: AppContext) -> AssessmentsScreen:
    screen = AssessmentsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def type_sheet(screen: AssessmentsScreen, harm: str, prevention: str, role: str) -> None:
    type_into(find(screen, TextArea, HARM_QUESTION), harm)
    if prevention:
        type_into(find(screen, TextArea, PREVENTION_QUESTION), prevention)
    if role:
        type_into(find(screen, QComboBox, "Role (optional)"), role)


def test_a_stack_of_sheets_is_typed_in_with_ctrl_enter(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    assert find(screen, OptionalDateEdit, "Date of the response").value() == today()
    find(screen, OptionalDateEdit, "Date of the response").setValue(date(2025, 3, 3))
    for harm, prevention, role in SHEETS:
        type_sheet(screen, harm, prevention, role)
        assert screen.has_unsaved_changes()
        QTest.keyClick(
            find(screen, TextArea, HARM_QUESTION),
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier,
        )
        assert screen.errors.messages() == {}
        assert find(screen, TextArea, HARM_QUESTION).value() == ""
        assert find(screen, TextArea, HARM_QUESTION).hasFocus()
        assert find(screen, QComboBox, "Role (optional)").currentText() == ""
        assert not screen.has_unsaved_changes()

    saved = assessments.list_responses(context.db, small_unit["unit"].id)
    assert sorted((r.harm_answer, r.prevention_answer, r.respondent_role) for r in saved) == sorted(
        SHEETS
    )
    assert {r.response_date for r in saved} == {date(2025, 3, 3)}
    assert sum(r.anonymous for r in saved) == 2
    assert "3 typed in so far" in screen.state_note.text()
    table = find(screen, QTableView, "Responses")
    assert table.model().rowCount() == 3


def test_responses_are_categorised_together_and_become_one_issue(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    for harm, prevention, role in SHEETS:
        assessments.create_response(
            context.db,
            unit_id,
            assessments.AssessmentFields(date(2025, 3, 3), harm, prevention, role),
        )
    screen = open_screen(qtbot, context)
    table = find(screen, QTableView, "Responses")
    falls = [SHEETS[0][0], SHEETS[2][0]]
    select_rows(table, falls)
    assert (
        find(screen, QPushButton, "Turn selected into an issue")
        .text()
        .startswith("Turn 2 selected")
    )
    pick(find(screen, PickList, "Categorise selected as"), "Falls")
    with qtbot.waitSignal(context.data_changed):
        click(find(screen, QPushButton, "Categorise selected"))

    rows = assessments.list_responses(context.db, unit_id)
    assert sorted(r.category for r in rows) == ["", "Falls", "Falls"]
    themes = find(screen, QTableView, "Themes: responses by category")
    counts = {
        themes.model().index(r, 0).data(): themes.model().index(r, 1).data()
        for r in range(themes.model().rowCount())
    }
    assert counts == {"Falls": "2", "Not categorised": "1"}

    # Turning them into one issue (through the service the issue form saves with).
    chosen = [r for r in rows if r.category == "Falls"]
    prefill = issue_prefill(chosen)
    assert prefill.category_id == chosen[0].category_id
    assert prefill.source == "assessment"
    assert prefill.description.count("• ") == 2
    assert "Hourly rounding on nights." in prefill.action_plan
    issue = assessments.convert_to_issue(context.db, unit_id, [r.id for r in chosen], prefill)
    context.changed("issue")

    assert find(screen, QTableView, "Responses").model().rowCount() == 3
    assert sorted(r.issue_number or 0 for r in assessments.list_responses(context.db, unit_id)) == [
        0,
        issue.number,
        issue.number,
    ]
    assert issues.get_issue(context.db, issue.id).assessment_ids == tuple(
        sorted(r.id for r in chosen)
    )
    click_linked = f"#{issue.number}"
    select_rows(table, [falls[0]])
    assert find(screen, QPushButton, "Open the selected response's issue").text() == (
        f"&Open issue {click_linked}"
    )
    with qtbot.waitSignal(context.open_record) as opened:
        click(find(screen, QPushButton, "Open the selected response's issue"))
    assert opened.args == ["issue", issue.id]

    # A response that already fed an issue is not turned into a second one.
    select_rows(table, falls)
    click(find(screen, QPushButton, "Turn selected into an issue"))
    assert f"already fed issue #{issue.number}" in screen.list_banner.text()


def test_an_empty_answer_or_a_future_date_is_refused_and_the_typing_kept(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    find(screen, OptionalDateEdit, "Date of the response").setValue(today() + timedelta(days=3))
    type_into(find(screen, TextArea, PREVENTION_QUESTION), "More staff at night")
    click(find(screen, QPushButton, "Save and next"))

    messages = screen.errors.messages()
    assert "is needed" in messages["harm_answer"]
    assert "cannot be in the future" in messages["response_date"]
    assert find(screen, TextArea, PREVENTION_QUESTION).value() == "More staff at night"
    assert assessments.list_responses(context.db, small_unit["unit"].id) == []
    assert screen.has_unsaved_changes()


def test_editing_a_response_and_naming_every_control(qtbot: Any, demo_context: AppContext) -> None:
    screen = open_screen(qtbot, demo_context)
    table = find(screen, QTableView, "Responses")
    first = table.model().index(0, 2).data()
    select_rows(table, [first])
    click(find(screen, QPushButton, "Edit the selected response"))
    harm = find(screen, TextArea, HARM_QUESTION)
    assert harm.value().startswith(first.rstrip("…").split("...")[0][:20])
    type_into(harm, " Also on days.")
    click(find(screen, QPushButton, "Save and next"))
    assert screen.errors.messages() == {}
    unit_id = demo_context.unit_id
    assert unit_id is not None
    assert any(
        r.harm_answer.endswith(" Also on days.")
        for r in assessments.list_responses(demo_context.db, unit_id)
    )
    assert unnamed_controls(screen) == []
    assert mnemonic_clashes(screen) == []


def test_turning_responses_into_an_issue_through_the_issue_form(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    for harm, prevention, role in SHEETS:
        assessments.create_response(
            context.db,
            unit_id,
            assessments.AssessmentFields(date(2025, 3, 3), harm, prevention, role),
        )
    screen = open_screen(qtbot, context)
    table = find(screen, QTableView, "Responses")
    falls = [SHEETS[0][0], SHEETS[2][0]]
    select_rows(table, falls)
    click(find(screen, QPushButton, "Turn selected into an issue"))

    [form] = windows(IssueFormDialog)
    assert find(form, QComboBox, "Source").currentText() == "Staff safety assessment"
    description = find(form, QPlainTextEdit, "Description").toPlainText()
    assert all(f"• {harm}" in description for harm in falls)
    assert "Hourly rounding on nights." in find(form, QPlainTextEdit, "Action plan").toPlainText()
    find(form, QPushButton, "Open 2 staff safety assessment responses")
    with qtbot.waitSignal(context.data_changed):
        click(find(form, QPushButton, "Save and close"))
    assert windows(IssueFormDialog) == []

    linked = {
        r.harm_answer: r.issue_number for r in assessments.list_responses(context.db, unit_id)
    }
    number = linked[falls[0]]
    assert number is not None and linked[falls[1]] == number and linked[SHEETS[1][0]] is None
    issue = issues.get_issue_by_number(context.db, unit_id, number)
    assert issue.fields.source == "assessment"
    assert len(issue.assessment_ids) == 2
    # The list shows the new issue number at once.
    issue_column = [table.model().index(r, 4).data() for r in range(table.model().rowCount())]
    assert issue_column.count(f"#{number}") == 2
