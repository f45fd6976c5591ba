"""First start: create the unit through the welcome page, or load the sample unit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import units
from cuspdesk.services.demo import DEMO_UNIT_NAME
from cuspdesk.ui.dialogs.welcome import WelcomeDialog
from ui.qt_helpers import find, open_window, pick, settle, type_into


def open_welcome(qtbot: QtBot, db: Database) -> WelcomeDialog:
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_create_a_unit_with_its_team_and_executive(qtbot: QtBot, db: Database) -> None:
    dialog = open_welcome(qtbot, db)
    type_into(find(dialog, QLineEdit, "Unit name"), "5 North Surgical ICU")
    type_into(find(dialog, QLineEdit, "Hospital"), "Riverside Général")
    type_into(find(dialog, QLineEdit, "Team member 1 name"), "Aisha Rahman")
    pick(find(dialog, QComboBox, "Team member 1 role"), "Unit champion / team leader")
    type_into(find(dialog, QLineEdit, "Team member 1 job title"), "Charge nurse")
    type_into(find(dialog, QLineEdit, "Team member 2 name"), "Marcus Bell")
    pick(find(dialog, QComboBox, "Team member 2 role"), "Nurse manager")
    qtbot.mouseClick(
        find(dialog, QPushButton, "Add another team member"), Qt.MouseButton.LeftButton
    )
    type_into(find(dialog, QLineEdit, "Team member 5 name"), "王芳")
    pick(find(dialog, QComboBox, "Team member 5 role"), "Staff")
    type_into(find(dialog, QLineEdit, "Executive partner's name"), "Dr Ana Ruiz")
    type_into(find(dialog, QLineEdit, "Executive partner's title"), "Chief Nursing Officer")

    qtbot.mouseClick(find(dialog, QPushButton, "Create our unit"), Qt.MouseButton.LeftButton)

    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    created = units.list_units(db)
    assert [u.name for u in created] == ["5 North Surgical ICU"]
    assert dialog.created_unit_id == created[0].id
    assert created[0].hospital == "Riverside Général"
    team = {m.full_name: m.role_label for m in units.list_team(db, created[0].id)}
    assert team == {
        "Aisha Rahman": "Unit champion / team leader",
        "Marcus Bell": "Nurse manager",
        "王芳": "Staff",
        "Dr Ana Ruiz": "Executive partner",
    }
    partner = units.current_executive_partner(db, created[0].id)
    assert partner is not None and partner.title == "Chief Nursing Officer"


def test_a_missing_unit_name_is_refused_and_everything_typed_is_kept(
    qtbot: QtBot, db: Database
) -> None:
    dialog = open_welcome(qtbot, db)
    type_into(find(dialog, QLineEdit, "Team member 1 name"), "Aisha <b>Rahman</b> & co")
    type_into(find(dialog, QLineEdit, "Team member 2 job title"), "Title without a name")

    qtbot.mouseClick(find(dialog, QPushButton, "Create our unit"), Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    banner = find(dialog, QLabel, "Problems with the form")
    assert banner.isVisible() and "Not saved" in banner.text()
    assert "Team member 2's name is needed." in dialog.errors.messages()["members.2.full_name"]
    assert find(dialog, QLineEdit, "Team member 1 name").text() == "Aisha <b>Rahman</b> & co"
    assert units.list_units(db) == []

    find(dialog, QLineEdit, "Team member 2 job title").clear()
    qtbot.mouseClick(find(dialog, QPushButton, "Create our unit"), Qt.MouseButton.LeftButton)
    assert "The unit name is needed." in dialog.errors.messages()["name"]
    type_into(find(dialog, QLineEdit, "Unit name"), "ICU")
    qtbot.mouseClick(find(dialog, QPushButton, "Create our unit"), Qt.MouseButton.LeftButton)
    assert [m.full_name for m in units.list_team(db, units.list_units(db)[0].id)] == [
        "Aisha <b>Rahman</b> & co"
    ]


def test_load_the_sample_unit_runs_in_the_background(qtbot: QtBot, db: Database) -> None:
    dialog = open_welcome(qtbot, db)
    qtbot.mouseClick(find(dialog, QPushButton, "Load the sample unit"), Qt.MouseButton.LeftButton)
    assert dialog.working
    assert not find(dialog, QPushButton, "Create our unit").isEnabled()
    assert not find(dialog, QPushButton, "Cancel").isEnabled()
    dialog.reject()  # Esc while loading does not abandon the work
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60_000)
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert [u.name for u in units.list_units(db)] == [DEMO_UNIT_NAME]

    window = open_window(qtbot, db)
    settle(qtbot)
    assert window.context.unit_id == dialog.created_unit_id
    assert DEMO_UNIT_NAME in window.windowTitle()


def test_loading_the_sample_twice_says_why_it_failed(qtbot: QtBot, db: Database) -> None:
    first = open_welcome(qtbot, db)
    first.load_sample()
    qtbot.waitUntil(lambda: not first.working, timeout=60_000)
    second = open_welcome(qtbot, db)
    second.load_sample()
    qtbot.waitUntil(lambda: not second.working, timeout=60_000)
    banner = find(second, QLabel, "Problems with the form")
    assert "already in this database" in banner.text()
    assert find(second, QPushButton, "Create our unit").isEnabled()
