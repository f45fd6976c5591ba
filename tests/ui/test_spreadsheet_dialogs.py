"""The spreadsheet dialogs driven as a person would: File ▸ Export…, File ▸ Import tracking
log…, the column mapping and the row-by-row preview."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QTableView,
)
from pytestqt.qtbot import QtBot

from cuspdesk.db import Actor, Database, open_database
from cuspdesk.services import issues
from cuspdesk.ui import spreadsheet_files
from cuspdesk.ui.dialogs.column_mapping import ColumnMappingDialog
from cuspdesk.ui.dialogs.log_import import LogImportDialog
from cuspdesk.ui.dialogs.spreadsheet_export import SpreadsheetExportDialog
from cuspdesk.ui.main_window import MainWindow
from ui.qt_helpers import click, find, mnemonic_clashes, open_window, settle, unnamed_controls

DAY = date.today() - timedelta(days=5)


def action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert isinstance(found, QAction), name
    return found


def log_count(db: Database, unit_id: int) -> int:
    return issues.list_issues(db, issues.IssueQuery(unit_id=unit_id)).total


def test_file_menu_has_both_actions(window: MainWindow) -> None:
    export = action(window, "export_spreadsheet")
    import_ = action(window, "import_tracking_log")
    assert export.text() == "&Export…" and export.isEnabled()
    assert import_.text() == "&Import tracking log…" and import_.isEnabled()


def test_import_is_disabled_read_only_and_for_a_viewer(qtbot: QtBot, demo_path: Path) -> None:
    read_only = open_database(demo_path, read_only=True)
    window = open_window(qtbot, read_only)
    assert not action(window, "import_tracking_log").isEnabled()
    assert "read-only" in action(window, "import_tracking_log").toolTip()
    assert action(window, "export_spreadsheet").isEnabled()
    window.close()
    viewer = open_database(demo_path, actor=Actor("v", role="viewer"))
    window = open_window(qtbot, viewer)
    assert not action(window, "import_tracking_log").isEnabled()
    assert spreadsheet_files.open_import_dialog(window) is None


def test_export_dialog_writes_a_workbook_then_a_csv(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = spreadsheet_files.open_export_dialog(window)
    assert isinstance(dialog, SpreadsheetExportDialog)
    assert unnamed_controls(dialog) == []
    assert mnemonic_clashes(dialog) == []
    table = find(dialog, QComboBox, "Table to export")
    assert not table.isEnabled()
    path = find(dialog, QLineEdit, "File to write")
    path.setText(str(tmp_path / "unit.xlsx"))
    click(find(dialog, QAbstractButton, "Export"))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    result = find(dialog, QLabel, "Export result").text()
    assert result.startswith("Wrote 57 issues, 14 meetings")
    assert find(dialog, QProgressBar, "Export progress").value() == 1
    assert load_workbook(tmp_path / "unit.xlsx", read_only=True).sheetnames[0] == "Tracking log"

    click(find(dialog, QRadioButton, "CSV file with one table"))
    assert table.isEnabled()
    assert path.text() == str(tmp_path / "unit.csv")
    table.setCurrentIndex(table.findText("Safety rounds"))
    assert not find(dialog, QCheckBox, "Include archived issues").isEnabled()
    click(find(dialog, QAbstractButton, "Export"))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert find(dialog, QLabel, "Export result").text() == (
        f"Wrote 14 safety rounds of “5 North Surgical ICU” to {tmp_path / 'unit.csv'}."
    )


def test_export_failure_is_shown_in_words(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = spreadsheet_files.open_export_dialog(window)
    assert isinstance(dialog, SpreadsheetExportDialog)
    find(dialog, QLineEdit, "File to write").setText(str(tmp_path / "no" / "such" / "log.xlsx"))
    click(find(dialog, QAbstractButton, "Export"))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    text = find(dialog, QLabel, "Export result").text()
    assert text.startswith("⚠ Nothing was exported: Cannot write")
    assert "does not exist" in text


TEAM_FILE = (
    "No.,Date raised,Problem,Who,Ward sister,RAG\n"
    f"1,{DAY.strftime('%d/%m/%Y')},Pump alarms too quiet at night,Daniel Reyes,Jo,Red\n"
    "2,31/02/2026,Impossible date here,,Jo,Amber\n"
    f"3,{DAY.isoformat()},Hand gel empty in bay 3,New Person,Jo,Green\n"
)


def open_import(window: MainWindow) -> LogImportDialog:
    dialog = spreadsheet_files.open_import_dialog(window)
    assert isinstance(dialog, LogImportDialog)
    return dialog


def test_unknown_columns_then_rows_in_error_then_a_corrected_file(
    qtbot: QtBot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:
    unit_id = window.context.unit_id
    assert unit_id is not None
    before = log_count(demo_db, unit_id)
    path = tmp_path / "team.csv"
    path.write_text(TEAM_FILE, encoding="utf-8")
    dialog = open_import(window)
    assert unnamed_controls(dialog) == []
    assert mnemonic_clashes(dialog) == []
    dialog.load_file(path)
    qtbot.waitUntil(
        lambda: dialog.mapping is not None and dialog.mapping.isVisible(), timeout=10_000
    )
    mapping = dialog.mapping
    assert isinstance(mapping, ColumnMappingDialog)
    assert unnamed_controls(mapping) == []
    assert mnemonic_clashes(mapping) == []
    ward = find(mapping, QComboBox, "What the column “Ward sister” holds")
    ward.setCurrentIndex(ward.findText("Location"))
    assert find(mapping, QComboBox, "What the column “RAG” holds").currentText() == (
        "Leave this column out"
    )
    click(find(mapping, QAbstractButton, "Continue with these columns"))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)

    summary = find(dialog, QLabel, "What the import will do").text()
    assert summary.startswith(
        "3 rows read from team.csv: 2 issues will be added, 0 already in the log will be "
        "skipped, 1 cannot be imported."
    )
    assert "New people will join the unit's team: “New Person”." in summary
    import_button = find(dialog, QAbstractButton, "Import the new issues")
    assert not import_button.isEnabled()
    assert find(dialog, QCheckBox, "Show only rows with problems").isChecked()
    table = find(dialog, QTableView, "Rows in the file")
    model = table.model()
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "3"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Line"
    assert model.index(0, model.columnCount() - 1).data() == (
        "⚠ Date identified 31/02/2026 does not exist on the calendar."
    )
    click(find(dialog, QCheckBox, "Show only rows with problems"))
    assert model.rowCount() == 3
    assert model.index(0, model.columnCount() - 1).data() == "Will be added"
    assert log_count(demo_db, unit_id) == before

    path.write_text(TEAM_FILE.replace("31/02/2026", "28/02/2026"), encoding="utf-8")
    dialog.load_file(path, dialog.columns)
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.busy, timeout=10_000)
    assert import_button.isEnabled()
    assert import_button.text() == "&Import 3 issues"
    seen: list[str] = []
    window.context.data_changed.connect(seen.append)
    click(import_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    settle(qtbot)
    assert "issue" in seen
    assert log_count(demo_db, unit_id) == before + 3
    located = issues.list_issues(
        demo_db, issues.IssueQuery(unit_id=unit_id, text="Pump alarms too quiet")
    ).rows
    assert [r.location for r in located] == ["Jo"]
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Imported 3 issues into “5 North Surgical ICU”")
    )


def test_an_exported_log_reads_back_as_already_present(
    qtbot: QtBot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:
    from cuspdesk.services.spreadsheet_export import export_spreadsheet

    unit_id = window.context.unit_id
    assert unit_id is not None
    path = tmp_path / "log.xlsx"
    export_spreadsheet(demo_db, unit_id, path)
    dialog = open_import(window)
    dialog.load_file(path)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    assert dialog.preview is not None and dialog.preview.already_present == 57
    assert not find(dialog, QAbstractButton, "Import the new issues").isEnabled()
    model = find(dialog, QTableView, "Rows in the file").model()
    assert model.index(0, model.columnCount() - 1).data() == (
        "Skipped: Already in the log as issue 1 (same ID)."
    )


def test_a_file_that_cannot_be_read_says_why(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    junk = tmp_path / "log.xlsx"
    junk.write_bytes(b"not a workbook at all" * 10)
    dialog = open_import(window)
    dialog.load_file(junk)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert (
        find(dialog, QLabel, "What the import will do")
        .text()
        .startswith(
            "⚠ This file cannot be imported; nothing was saved. The file log.xlsx is not an Excel "
            "workbook"
        )
    )


def test_export_opens_from_the_menu_action(window: MainWindow) -> None:
    action(window, "export_spreadsheet").trigger()
    dialogs = [w for w in window.findChildren(SpreadsheetExportDialog) if w.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].windowTitle() == "Export 5 North Surgical ICU"


def test_a_file_changed_after_the_preview_is_refused_whole(
    qtbot: QtBot, window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:
    unit_id = window.context.unit_id
    assert unit_id is not None
    before = log_count(demo_db, unit_id)
    path = tmp_path / "log.csv"
    path.write_text(f"Date,Issue\n{DAY.isoformat()},Fine row\n", encoding="utf-8")
    dialog = open_import(window)
    dialog.load_file(path)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    import_button = find(dialog, QAbstractButton, "Import the new issues")
    assert import_button.isEnabled()
    path.write_text(f"Date,Issue\n{DAY.isoformat()},Fine row\nsoon,Bad row\n", encoding="utf-8")
    click(import_button)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.isVisible()
    assert (
        find(dialog, QLabel, "What the import will do")
        .text()
        .startswith("⚠ Nothing was saved. 2 rows read from log.csv")
    )
    assert not import_button.isEnabled()
    assert log_count(demo_db, unit_id) == before
