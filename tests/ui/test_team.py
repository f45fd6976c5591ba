"""Team & unit: unit details, the team, the executive partner, the lists and the aims."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTabWidget,
)

from cuspdesk.services import measures, units
from cuspdesk.services.validation import today
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.team import TeamScreen
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.text_area import TextArea
from ui.qt_helpers import (
    DialogAnswerer,
    click,
    click_row,
    find,
    mnemonic_clashes,
    pick,
    type_into,
    unnamed_controls,
)


def open_screen(qtbot: Any, context: AppContext, tab: str) -> TeamScreen:
    screen = TeamScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    tabs = find(screen, QTabWidget, "Team and unit sections")
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == tab)
    )
    return screen


def entries(screen: TeamScreen) -> list[str]:
    view = find(screen, QListWidget, "Entries in the list")
    return [view.item(i).text() for i in range(view.count())]


def choose_entry(screen: TeamScreen, text: str) -> None:
    view = find(screen, QListWidget, "Entries in the list")
    item = view.item(entries(screen).index(text))
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center()
    )


def test_a_category_is_added_renamed_retired_and_brought_back(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    screen = open_screen(qtbot, context, "Lists")
    assert find(screen, QComboBox, "List to change").currentText() == "Issue categories"
    type_into(find(screen, QLineEdit, "Name"), "Pressure injuries")
    with qtbot.waitSignal(context.data_changed):
        click(find(screen, QPushButton, "Add to the list"))
    assert entries(screen)[-1] == "Pressure injuries"

    name = find(screen, QLineEdit, "Name")
    assert name.text() == ""
    choose_entry(screen, "Pressure injuries")
    assert name.text() == "Pressure injuries"
    name.clear()
    type_into(name, "Skin integrity")
    click(find(screen, QPushButton, "Rename selected"))
    assert "Skin integrity" in entries(screen)
    assert "Pressure injuries" not in entries(screen)

    click(find(screen, QPushButton, "Move up"))
    assert entries(screen)[-2:] == ["Skin integrity", "Other"]

    click(find(screen, QPushButton, "Retire selected"))
    assert "Skin integrity (retired)" in entries(screen)
    offered = [
        c.label for c in units.list_choices(context.db, units.CATEGORY_LIST, unit_id=unit_id)
    ]
    assert "Skin integrity" not in offered
    everything = units.list_choices(
        context.db, units.CATEGORY_LIST, unit_id=unit_id, include_inactive=True
    )
    assert [c.active for c in everything if c.label == "Skin integrity"] == [False]

    click(find(screen, QPushButton, "Bring back selected"))
    assert "Skin integrity" in entries(screen)
    assert "Skin integrity" in [
        c.label for c in units.list_choices(context.db, units.CATEGORY_LIST, unit_id=unit_id)
    ]

    # A duplicate name is refused beside the name box, and the typing stays.
    name.clear()
    type_into(name, "falls")
    click(find(screen, QPushButton, "Add to the list"))
    assert "already in the list" in screen.lists_panel.errors.messages()["label"]
    assert name.text() == "falls"

    pick(find(screen, QComboBox, "List to change"), "Meeting kinds")
    assert "Pre-rounds huddle" in entries(screen)


def test_unit_details_are_saved_and_bad_ones_refused_beside_their_fields(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    screen = open_screen(qtbot, context, "Unit details")
    footer = "Vertraulich — 机密 — سري <b>&amp;</b> 🔒"
    find(screen, TextArea, "Confidentiality footer").setFocus()
    type_into(find(screen, TextArea, "Confidentiality footer"), footer)
    beds = find(screen, QLineEdit, "Beds")
    type_into(beds, "twenty")
    name = find(screen, QLineEdit, "Unit name")
    name.clear()
    assert screen.has_unsaved_changes()

    click(find(screen, QPushButton, "Save unit details"))
    assert "whole number" in screen.unit_panel.errors.messages()["bed_count"]
    beds.clear()
    type_into(beds, "28")
    click(find(screen, QPushButton, "Save unit details"))
    assert "is needed" in screen.unit_panel.errors.messages()["name"]
    assert find(screen, TextArea, "Confidentiality footer").value() == footer

    type_into(name, "4 West Medicine & Telemetry")
    find(screen, OptionalDateEdit, "CUSP start date").setValue(date(2024, 2, 1))
    click(find(screen, QPushButton, "Save unit details"))
    assert screen.unit_panel.errors.messages() == {}
    assert not screen.has_unsaved_changes()
    info = units.get_unit(context.db, unit_id)
    assert (info.name, info.bed_count, info.cusp_start_date, info.confidentiality_footer) == (
        "4 West Medicine & Telemetry",
        28,
        date(2024, 2, 1),
        footer,
    )


def test_team_members_are_added_edited_and_marked_as_left(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    screen = open_screen(qtbot, context, "Team")
    click(find(screen, QPushButton, "New team member"))
    type_into(find(screen, QLineEdit, "Full name"), "Dana Kovač")
    type_into(find(screen, QLineEdit, "Job title"), "Charge Nurse")
    pick(find(screen, PickList, "Role on the CUSP team"), "Staff")
    click(find(screen, QPushButton, "Save team member"))
    team = {m.full_name: m for m in units.list_team(context.db, unit_id)}
    assert team["Dana Kovač"].role_label == "Staff"

    table = find(screen, QTableView, "Team members")
    click_row(table, "Ben Osei")
    assert find(screen, QLineEdit, "Full name").text() == "Ben Osei"
    click(find(screen, QCheckBox, "On the team"))
    click(find(screen, QPushButton, "Save team member"))
    assert "Ben Osei" not in [m.full_name for m in units.list_team(context.db, unit_id)]
    assert "Ben Osei" not in [
        table.model().index(r, 0).data() for r in range(table.model().rowCount())
    ]
    click(find(screen, QCheckBox, "Show people who have left the team"))
    assert "Ben Osei" in [table.model().index(r, 0).data() for r in range(table.model().rowCount())]

    # Unsaved typing is not lost by picking someone else.
    click_row(table, "Ana Costa")
    type_into(find(screen, QLineEdit, "Job title"), "Clinical Nurse III")
    assert screen.has_unsaved_changes()
    asked = DialogAnswerer().then("Cancel")
    click_row(table, "Carla Jones")
    assert asked.seen
    assert find(screen, QLineEdit, "Full name").text() == "Ana Costa"
    assert find(screen, QLineEdit, "Job title").text() == "Clinical Nurse III"


def test_a_new_executive_partner_ends_the_previous_term(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    screen = open_screen(qtbot, context, "Executive partner")
    assert "Carla Jones" in screen.partner_panel.current.text()
    pick(find(screen, PickList, "New executive partner"), "Ben Osei")
    start = today() - timedelta(days=1)
    find(screen, OptionalDateEdit, "Starting on").setValue(start)
    asked = DialogAnswerer().then("Make executive partner")
    click(find(screen, QPushButton, "Make executive partner"))
    assert asked.seen and "Carla Jones's term ends" in asked.seen[0]

    history = units.executive_partner_history(context.db, unit_id)
    assert [(p.full_name, p.end_date) for p in history] == [
        ("Ben Osei", None),
        ("Carla Jones", start - timedelta(days=1)),
    ]
    assert find(screen, QTableView, "Executive partners over time").model().rowCount() == 2
    assert "Ben Osei" in screen.partner_panel.current.text()


def test_an_aim_with_goals_that_point_at_measures(
    qtbot: Any, context: AppContext, small_unit: dict[str, Any]
) -> None:
    unit_id = small_unit["unit"].id
    measures.create_measure(context.db, unit_id, measures.MeasureFields("Falls", kind="count"))
    screen = open_screen(qtbot, context, "Aims and goals")
    click(find(screen, QPushButton, "New aim"))
    type_into(find(screen, QLineEdit, "Aim"), "No harm from falls")
    type_into(find(screen, TextArea, "Target above it"), "Hospital plan: halve falls")
    click(find(screen, QPushButton, "Add goal"))
    type_into(find(screen, QLineEdit, "Goal 1"), "Fewer than 2 falls a month")
    pick(find(screen, PickList, "Goal 1 measure"), "Falls")
    type_into(find(screen, QLineEdit, "Goal 1 target value"), "two")
    click(find(screen, QPushButton, "Add goal"))  # left empty: dropped on save
    click(find(screen, QPushButton, "Save aim"))
    assert "must be a number" in screen.aims_panel.errors.messages()["goals.1"]
    assert units.list_aims(context.db, unit_id) == []

    target = find(screen, QLineEdit, "Goal 1 target value")
    target.clear()
    type_into(target, "2")
    click(find(screen, QPushButton, "Save aim"))
    assert screen.aims_panel.errors.messages() == {}
    [aim] = units.list_aims(context.db, unit_id)
    assert aim.title == "No harm from falls"
    [goal] = aim.goals
    falls = measures.list_measures(context.db, unit_id)[0]
    assert (goal.description, goal.measure_id, goal.target_value) == (
        "Fewer than 2 falls a month",
        falls.id,
        2.0,
    )


def test_every_control_in_every_part_has_a_name(qtbot: Any, demo_context: AppContext) -> None:
    screen = open_screen(qtbot, demo_context, "Unit details")
    tabs = find(screen, QTabWidget, "Team and unit sections")
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        assert unnamed_controls(screen) == [], tabs.tabText(index)
        assert mnemonic_clashes(screen) == [], tabs.tabText(index)
