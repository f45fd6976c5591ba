"""The meetings screen: attendance with the executive, agenda, decisions and new actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QTableView, QWidget

from cuspdesk.services import issues, meetings
from cuspdesk.services.issues import IssueQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.meetings import MeetingsScreen
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.text_area import TextArea
from ui.qt_helpers import (
    click,
    click_row,
    find,
    find_all,
    mnemonic_clashes,
    pick,
    tab_path,
    type_into,
    unnamed_controls,
)

MEETING_DAY = date(2025, 5, 14)


def open_screen(qtbot: Any, context: AppContext) -> MeetingsScreen:
    screen = MeetingsScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_a_meeting_with_the_executive_and_an_agenda_reads_back(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    click(find(screen, QPushButton, "New meeting"))
    find(screen, OptionalDateEdit, "Meeting date").setValue(MEETING_DAY)
    pick(find(screen, PickList, "Kind of meeting"), "Monthly executive meeting")
    type_into(find(screen, QLineEdit, "Title"), "May executive meeting")
    type_into(find(screen, QLineEdit, "Location"), "Room 4")
    find(screen, OptionalDateEdit, "Next meeting date").setValue(date(2025, 6, 11))

    # Ticking the executive partner as attended ticks the prominent box as well.
    executive_box = find(screen, QCheckBox, "Executive attended")
    assert not executive_box.isChecked()
    click(find(screen, QCheckBox, "Carla Jones (Executive partner) attended"))
    assert executive_box.isChecked()
    click(find(screen, QCheckBox, "Ana Costa (Unit champion / team leader) attended"))
    click(find(screen, QCheckBox, "Ben Osei (Nurse manager) expected"))

    type_into(find(screen, QLineEdit, "Agenda item 1 title"), "Overdue issues")
    type_into(find(screen, QLineEdit, "Agenda item 1 presenter"), "Ben Osei")
    click(find(screen, QPushButton, "Add agenda item"))
    type_into(find(screen, QLineEdit, "Agenda item 2 title"), "Falls run chart")
    type_into(find(screen, TextArea, "Agenda item 2 minutes"), "Falls down to 1 in April.")
    click(find(screen, QPushButton, "Move agenda item 2 up"))
    assert find(screen, QLineEdit, "Agenda item 1 title").text() == "Falls run chart"
    click(find(screen, QPushButton, "Add agenda item"))
    type_into(find(screen, QLineEdit, "Agenda item 3 title"), "Remove me")
    click(find(screen, QPushButton, "Remove agenda item 3"))
    assert find_all(screen, QWidget, "Agenda item 3 title") == []

    type_into(find(screen, TextArea, "Notes"), "Carla will raise pharmacy cover.")
    click(find(screen, QPushButton, "Add decision"))
    type_into(find(screen, TextArea, "Decision 1"), "Weekend pharmacist from June")
    type_into(find(screen, TextArea, "Action 1 description"), "Ask pharmacy for a rota proposal")
    pick(find(screen, PickList, "Action 1 owner"), "Carla Jones")

    with qtbot.waitSignal(context.data_changed):
        click(find(screen, QPushButton, "Save meeting"))
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
    click(find(screen, QPushButton, "New meeting"))
    click_row(find(screen, QTableView, "Meetings"), "May executive meeting")
    assert find(screen, QCheckBox, "Executive attended").isChecked()
    assert find(screen, QCheckBox, "Ben Osei (Nurse manager) expected").isChecked()
    assert not find(screen, QCheckBox, "Ben Osei (Nurse manager) attended").isChecked()
    assert find(screen, QLineEdit, "Agenda item 2 presenter").text() == "Ben Osei"
    assert find(screen, TextArea, "Decision 1").value() == "Weekend pharmacist from June"
    assert find(screen, QLineEdit, "Location").text() == "Room 4"


def test_meeting_problems_show_beside_their_fields_and_keep_the_input(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    click(find(screen, QPushButton, "New meeting"))
    find(screen, OptionalDateEdit, "Meeting date").setValue(MEETING_DAY)
    find(screen, OptionalDateEdit, "Next meeting date").setValue(date(2025, 5, 1))
    type_into(find(screen, TextArea, "Agenda item 1 minutes"), "Minutes but no title")

    click(find(screen, QPushButton, "Save meeting"))

    messages = screen.errors.messages()
    assert "cannot be before this meeting" in messages["next_meeting_date"]
    assert "needs a title" in messages["agenda.1"]
    assert find(screen, TextArea, "Agenda item 1 minutes").value() == "Minutes but no title"
    assert meetings.list_meetings(context.db, small_unit["unit"].id) == []

    # Fix the date and the agenda; an action with a target before the meeting says "Action 1".
    find(screen, OptionalDateEdit, "Next meeting date").setValue(None)
    type_into(find(screen, QLineEdit, "Agenda item 1 title"), "Huddle")
    type_into(find(screen, TextArea, "Action 1 description"), "Fix the sink")
    find(screen, OptionalDateEdit, "Action 1 target date").setValue(date(2025, 5, 2))
    click(find(screen, QPushButton, "Save meeting"))
    assert screen.errors.messages()["findings.1.target_date"].startswith("⚠ Action 1:")
    assert meetings.list_meetings(context.db, small_unit["unit"].id) == []

    find(screen, OptionalDateEdit, "Action 1 target date").setValue(date(2025, 6, 2))
    click(find(screen, QPushButton, "Save meeting"))
    assert screen.errors.messages() == {}
    assert len(meetings.list_meetings(context.db, small_unit["unit"].id)) == 1


def test_every_control_on_a_past_meeting_has_a_name(qtbot: Any, demo_context: AppContext) -> None:
    screen = open_screen(qtbot, demo_context)
    find(screen, QTableView, "Meetings").selectRow(1)
    click(find(screen, QPushButton, "Add decision"))
    click(find(screen, QPushButton, "Add action"))
    assert unnamed_controls(screen) == []
    assert mnemonic_clashes(screen) == []


def test_tab_follows_the_agenda_after_an_item_is_moved(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    screen = open_screen(qtbot, context)
    screen.activateWindow()
    qtbot.waitActive(screen)
    type_into(find(screen, QLineEdit, "Agenda item 1 title"), "First")
    click(find(screen, QPushButton, "Add agenda item"))
    type_into(find(screen, QLineEdit, "Agenda item 2 title"), "Second")
    click(find(screen, QPushButton, "Move agenda item 2 up"))
    assert find(screen, QLineEdit, "Agenda item 1 title").text() == "Second"
    path = tab_path(find(screen, QLineEdit, "Agenda item 1 title"), "Add agenda item")
    assert path == [
        "Agenda item 1 title",
        "Agenda item 1 presenter",
        "Agenda item 1 minutes",
        "Move agenda item 2 up",  # (it cannot move down: it is the last)
        "Remove agenda item 2",
        "Agenda item 2 title",
        "Agenda item 2 presenter",
        "Agenda item 2 minutes",
        "Add agenda item",
    ]
