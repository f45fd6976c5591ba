"""The hospital view: every unit side by side; a row opens its record in its own unit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import issues, measures, units
from cuspdesk.ui.dialogs.issue_form import IssueFormDialog
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.screens.hospital import HospitalScreen
from cuspdesk.ui.widgets.record_table import RecordTable
from ui.qt_helpers import DialogAnswerer, find, open_window, settle, windows


def column_texts(table: RecordTable, header: str) -> list[str]:
    model = table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index(header)
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def activate(qtbot: QtBot, table: RecordTable, row: int) -> None:
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, 0, QModelIndex()))
    qtbot.keyClick(table, Qt.Key.Key_Return)


def add_second_unit(db: Database) -> dict[str, Any]:
    today = date.today()
    unit = units.create_unit(db, units.UnitFields("2 East Cardiology", hospital="St Elsewhere"))
    late = issues.create_issue(
        db,
        unit.id,
        issues.IssueFields(
            description="Telemetry leads <b>run out</b> on nights",
            date_identified=today - timedelta(days=60),
            target_date=today - timedelta(days=20),
        ),
    )
    falls = measures.create_measure(db, unit.id, measures.MeasureFields(name="Falls", target=1.0))
    measures.set_point(db, falls.id, today.replace(day=1) - timedelta(days=20), value=4)
    return {"unit": unit, "late": late, "falls": falls}


def show_hospital(qtbot: QtBot, window: MainWindow) -> HospitalScreen:
    screen = window.show_screen("hospital")
    assert isinstance(screen, HospitalScreen)
    settle(qtbot)
    assert screen.data is not None
    return screen


def test_the_hospital_view_is_the_last_section_and_lists_every_unit(
    qtbot: QtBot, db: Database, small_unit: dict[str, Any]
) -> None:
    add_second_unit(db)
    window = open_window(qtbot, db)
    assert window.screens[-1].key == "hospital"
    show_hospital(qtbot, window)
    units_table = find(window, RecordTable, "Units")
    assert column_texts(units_table, "Unit") == ["2 East Cardiology", "4 West Medicine"]
    assert column_texts(units_table, "Overdue") == ["⚠ 1", "0"]
    assert column_texts(units_table, "On target") == ["0 of 1", "no measures"]
    summary = find(window, QLabel, "Hospital summary").text()
    assert summary == "2 units · 1 open issue · 1 overdue · 1 measure off target"
    overdue = find(window, RecordTable, "Most overdue issues across units")
    assert column_texts(overdue, "Description") == ["Telemetry leads <b>run out</b> on nights"]
    measures_table = find(window, RecordTable, "Measures off target")
    assert column_texts(measures_table, "Measure") == ["Falls"]


def test_a_header_click_sorts_the_units(
    qtbot: QtBot, db: Database, small_unit: dict[str, Any]
) -> None:
    add_second_unit(db)
    window = open_window(qtbot, db)
    show_hospital(qtbot, window)
    table = find(window, RecordTable, "Units")
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert column_texts(table, "Unit") == ["4 West Medicine", "2 East Cardiology"]


def test_an_overdue_issue_opens_in_its_own_unit(
    qtbot: QtBot, db: Database, small_unit: dict[str, Any]
) -> None:
    second = add_second_unit(db)
    window = open_window(qtbot, db)
    picker = find(window, QComboBox, "Unit")
    picker.setCurrentIndex(picker.findData(small_unit["unit"].id))
    show_hospital(qtbot, window)
    activate(qtbot, find(window, RecordTable, "Most overdue issues across units"), 0)
    assert window.context.unit_id == second["unit"].id
    assert picker.currentData() == second["unit"].id
    assert [f.issue_id for f in windows(IssueFormDialog)] == [second["late"].id]


def test_a_unit_row_opens_that_units_dashboard(
    qtbot: QtBot, db: Database, small_unit: dict[str, Any]
) -> None:
    second = add_second_unit(db)
    window = open_window(qtbot, db)
    show_hospital(qtbot, window)
    table = find(window, RecordTable, "Units")
    activate(qtbot, table, column_texts(table, "Unit").index("2 East Cardiology"))
    assert window.current_screen().key == "dashboard"
    assert window.context.unit_id == second["unit"].id
    assert find(window, QComboBox, "Unit").currentData() == second["unit"].id


def test_a_measure_off_target_opens_on_the_measures_screen(
    qtbot: QtBot, db: Database, small_unit: dict[str, Any]
) -> None:
    second = add_second_unit(db)
    window = open_window(qtbot, db)
    show_hospital(qtbot, window)
    activate(qtbot, find(window, RecordTable, "Measures off target"), 0)
    settle(qtbot)
    assert window.current_screen().key == "measures"
    assert window.context.unit_id == second["unit"].id


def test_a_saved_issue_shows_up_without_reopening(
    qtbot: QtBot, db: Database, small_unit: dict[str, Any]
) -> None:
    window = open_window(qtbot, db)
    screen = show_hospital(qtbot, window)
    assert screen.data is not None and screen.data.open == 0
    issues.create_issue(
        db,
        small_unit["unit"].id,
        issues.IssueFields(description="New", date_identified=date.today()),
    )
    window.context.changed("issue")
    settle(qtbot)
    assert screen.data is not None and screen.data.open == 1


def test_new_unit_adds_a_unit_and_the_picker_shows_it(
    qtbot: QtBot, db: Database, small_unit: dict[str, Any]
) -> None:
    window = open_window(qtbot, db)
    picker = find(window, QComboBox, "Unit")
    assert not picker.isVisible()  # one unit: nothing to pick

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.accessibleName() == "Add a unit"
        find(dialog, QLineEdit, "Unit name").setText("6 South Oncology")

    DialogAnswerer().then("Add the unit", before=fill)
    window.new_unit_action.trigger()
    assert [u.name for u in units.list_units(db)] == ["4 West Medicine", "6 South Oncology"]
    assert picker.isVisible() and picker.count() == 2
    assert picker.currentText() == "6 South Oncology"
    show_hospital(qtbot, window)
    table = find(window, RecordTable, "Units")
    assert column_texts(table, "Unit") == ["4 West Medicine", "6 South Oncology"]
