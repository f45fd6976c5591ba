"""The meetings screen: attendance with the executive, agenda, decisions and new actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QTableView

from cuspdesk.services import issues, meetings
from cuspdesk.services.issues import IssueQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.meetings import MeetingsScreen
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.text_area import TextArea

MEETING_DAY = date(2025, 5, 14)


def open_screen(qtbot: Any, context: AppContext) -> MeetingsScreen:
    screen = MeetingsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_a_meeting_with_the_executive_and_an_agenda_reads_back(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    ui.click(ui.find(screen, "New meeting", QPushButton))
    ui.find(screen, "Meeting date", OptionalDateEdit).setValue(MEETING_DAY)
    ui.choose(ui.find(screen, "Kind of meeting", PickList), "Monthly executive meeting")
    ui.type_into(ui.find(screen, "Title", QLineEdit), "May executive meeting")
    ui.type_into(ui.find(screen, "Location", QLineEdit), "Room 4")
    ui.find(screen, "Next meeting date", OptionalDateEdit).setValue(date(2025, 6, 11))

    # Ticking the executive partner as attended ticks the prominent box as well.
    executive_box = ui.find(screen, "Executive attended", QCheckBox)
    assert not executive_box.isChecked()
    ui.click(ui.find(screen, "Carla Jones (Executive partner) attended", QCheckBox))
    assert executive_box.isChecked()
    ui.click(ui.find(screen, "Ana Costa (Unit champion / team leader) attended", QCheckBox))
    ui.click(ui.find(screen, "Ben Osei (Nurse manager) expected", QCheckBox))

    ui.type_into(ui.find(screen, "Agenda item 1 title", QLineEdit), "Overdue issues")
    ui.type_into(ui.find(screen, "Agenda item 1 presenter", QLineEdit), "Ben Osei")
    ui.click(ui.find(screen, "Add agenda item", QPushButton))
    ui.type_into(ui.find(screen, "Agenda item 2 title", QLineEdit), "Falls run chart")
    ui.type_into(ui.find(screen, "Agenda item 2 minutes", TextArea), "Falls down to 1 in April.")
    ui.click(ui.find(screen, "Move agenda item 2 up", QPushButton))
    assert ui.find(screen, "Agenda item 1 title", QLineEdit).text() == "Falls run chart"
    ui.click(ui.find(screen, "Add agenda item", QPushButton))
    ui.type_into(ui.find(screen, "Agenda item 3 title", QLineEdit), "Remove me")
    ui.click(ui.find(screen, "Remove agenda item 3", QPushButton))
    assert ui.find_all(screen, "Agenda item 3 title") == []

    ui.type_into(ui.find(screen, "Notes", TextArea), "Carla will raise pharmacy cover.")
    ui.click(ui.find(screen, "Add decision", QPushButton))
    ui.type_into(ui.find(screen, "Decision 1", TextArea), "Weekend pharmacist from June")
    ui.type_into(
        ui.find(screen, "Action 1 description", TextArea), "Ask pharmacy for a rota proposal"
    )
    ui.choose(ui.find(screen, "Action 1 owner", PickList), "Carla Jones")

    with qtbot.waitSignal(context.data_changed):
        ui.click(ui.find(screen, "Save meeting", QPushButton))
    assert screen.errors.messages() == {}
    assert not screen.has_unsaved_changes()

    unit_id = small_unit["unit"].id
    [row] = meetings.list_meetings(context.db, unit_id)
    assert (row.executive_attended, row.attendee_count, row.action_count) == (True, 2, 1)
    detail = meetings.get_meeting(context.db, row.id)
    assert [(a.full_name, a.attended) for a in detail.attendees] == [
        ("Ana Costa", True),
        ("Ben Osei", False),
        ("Carla Jones", True),
    ]
    assert [(i.title, i.presenter, i.minutes) for i in detail.fields.agenda] == [
        ("Falls run chart", "", "Falls down to 1 in April."),
        ("Overdue issues", "Ben Osei", ""),
    ]
    assert detail.fields.decisions == ["Weekend pharmacist from June"]
    assert detail.fields.next_meeting_date == date(2025, 6, 11)
    [issue] = issues.list_issues(context.db, IssueQuery(unit_id=unit_id)).rows
    assert (issue.source, issue.description, issue.owner) == (
        "meeting",
        "Ask pharmacy for a rota proposal",
        "Carla Jones",
    )

    # Read back through the form after looking at something else.
    ui.click(ui.find(screen, "New meeting", QPushButton))
    ui.click_row(ui.find(screen, "Meetings", QTableView), "May executive meeting")
    assert ui.find(screen, "Executive attended", QCheckBox).isChecked()
    assert ui.find(screen, "Ben Osei (Nurse manager) expected", QCheckBox).isChecked()
    assert not ui.find(screen, "Ben Osei (Nurse manager) attended", QCheckBox).isChecked()
    assert ui.find(screen, "Agenda item 2 presenter", QLineEdit).text() == "Ben Osei"
    assert ui.find(screen, "Decision 1", TextArea).value() == "Weekend pharmacist from June"
    assert ui.find(screen, "Location", QLineEdit).text() == "Room 4"


def test_meeting_problems_show_beside_their_fields_and_keep_the_input(
    qtbot: Any, ui: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    ui.click(ui.find(screen, "New meeting", QPushButton))
    ui.find(screen, "Meeting date", OptionalDateEdit).setValue(MEETING_DAY)
    ui.find(screen, "Next meeting date", OptionalDateEdit).setValue(date(2025, 5, 1))
    ui.type_into(ui.find(screen, "Agenda item 1 minutes", TextArea), "Minutes but no title")

    ui.click(ui.find(screen, "Save meeting", QPushButton))

    messages = screen.errors.messages()
    assert "cannot be before this meeting" in messages["next_meeting_date"]
    assert "needs a title" in messages["agenda.1"]
    assert ui.find(screen, "Agenda item 1 minutes", TextArea).value() == "Minutes but no title"
    assert meetings.list_meetings(context.db, small_unit["unit"].id) == []

    # Fix the date and the agenda; an action with a target before the meeting says "Action 1".
    ui.find(screen, "Next meeting date", OptionalDateEdit).setValue(None)
    ui.type_into(ui.find(screen, "Agenda item 1 title", QLineEdit), "Huddle")
    ui.type_into(ui.find(screen, "Action 1 description", TextArea), "Fix the sink")
    ui.find(screen, "Action 1 target date", OptionalDateEdit).setValue(date(2025, 5, 2))
    ui.click(ui.find(screen, "Save meeting", QPushButton))
    assert screen.errors.messages()["findings.1.target_date"].startswith("⚠ Action 1:")
    assert meetings.list_meetings(context.db, small_unit["unit"].id) == []

    ui.find(screen, "Action 1 target date", OptionalDateEdit).setValue(date(2025, 6, 2))
    ui.click(ui.find(screen, "Save meeting", QPushButton))
    assert screen.errors.messages() == {}
    assert len(meetings.list_meetings(context.db, small_unit["unit"].id)) == 1


def test_every_control_on_a_past_meeting_has_a_name(
    qtbot: Any, ui: Any, demo_context: AppContext
) -> None:
    screen = open_screen(qtbot, demo_context)
    ui.find(screen, "Meetings", QTableView).selectRow(1)
    ui.click(ui.find(screen, "Add decision", QPushButton))
    ui.click(ui.find(screen, "Add action", QPushButton))
    assert ui.unnamed_controls(screen) == []
