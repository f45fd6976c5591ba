"""The main window: screens, units, status bar, menus, safe closing, reopening, and
opening databases that are read-only, locked, newer, damaged or not ours."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cuspdesk import __version__
from cuspdesk import db as db_module
from cuspdesk.db import Database, open_database
from cuspdesk.services import issues, units
from cuspdesk.ui.database_open import open_for_gui
from cuspdesk.ui.dialogs.issue_form import IssueFormDialog
from cuspdesk.ui.dialogs.welcome import WelcomeDialog
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.screens.tracking_log import TrackingLogScreen
from ui.qt_helpers import DialogAnswerer, find, open_window, settle, type_into, windows

SCREEN_TITLES = [
    "Dashboard",
    "Tracking log",
    "Concerns",
    "Safety rounds",
    "Meetings",
    "Staff safety assessments",
    "Learning from defects",
    "Measures",
    "Team & unit",
    "Strategic alignment",
    "Hospital view",
]


def sidebar_titles(window: MainWindow) -> list[str]:
    sidebar = find(window, QListWidget, "Sections")
    return [sidebar.item(row).text() for row in range(sidebar.count())]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- screens and menus -----------------------------------------------------------------


def test_the_sidebar_offers_the_nine_screens_and_ctrl_numbers_switch(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert sidebar_titles(window) == SCREEN_TITLES
    assert window.current_screen().key == "dashboard"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen().title == "Concerns"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    rounds = window.current_screen()
    assert rounds.title == "Safety rounds"
    sidebar = find(window, QListWidget, "Sections")
    sidebar.setFocus()
    qtbot.keyClick(sidebar, Qt.Key.Key_Up)
    assert window.current_screen().title == "Concerns"


def test_find_puts_the_cursor_in_the_search_box_of_the_log(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show_screen("tracking_log")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.find_action.trigger()
    search = find(window, QLineEdit, "Search the log")
    assert search.hasFocus()


def test_status_bar_shows_the_database_and_the_counts(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    assert str(demo_db.path) in find(window, QLabel, "Database in use").text()
    counts = issues.count_issues(demo_db, window.context.unit_id)
    label = find(window, QLabel, "Issue counts")
    qtbot.waitUntil(lambda: label.text() == f"{counts.open} open · ⚠ {counts.overdue} overdue")

    fields = issues.IssueFields(description="Another one", date_identified=issues.today())
    issues.create_issue(demo_db, window.context.unit_id or 0, fields)
    window.context.changed("issue")
    qtbot.waitUntil(lambda: label.text().startswith(f"{counts.open + 1} open"))


def test_print_briefing_opens_the_preview_once_printing_is_there(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    if importlib.util.find_spec("cuspdesk.ui.print_preview") is None:
        assert not window.print_action.isEnabled()
        assert "not in this version" in window.print_action.toolTip()
        return
    assert window.print_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    previews = [w for w in QApplication.topLevelWidgets() if w.accessibleName() == "Print preview"]
    assert len(previews) == 1 and previews[0].isVisible()
    assert "briefing" in previews[0].windowTitle().lower()
    settle(qtbot)


def test_about_box_names_the_version_and_the_database(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    answered = DialogAnswerer().then("OK")
    window.about_action.trigger()
    assert __version__ in answered.seen[0]
    assert str(demo_db.path) in answered.seen[0]


def test_open_record_shows_issues_in_a_form_and_other_records_on_their_screen(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    window.context.open_record.emit("round", 1)
    assert window.current_screen().key == "rounds"
    issue = issues.get_issue_by_number(demo_db, window.context.unit_id or 0, 12)
    window.context.open_record.emit("issue", issue.id)
    window.context.open_record.emit("issue", issue.id)
    forms = windows(IssueFormDialog)
    assert len(forms) == 1  # the second request brings the same form forward
    assert forms[0].windowTitle() == "Issue 12"
    window.context.open_record.emit("team", 1)
    assert window.current_screen().key == "team"


def test_a_second_unit_brings_the_unit_picker(qtbot: QtBot, demo_db: Database) -> None:
    other = units.create_unit(demo_db, units.UnitFields(name="Ω Ward — 東病棟", hospital="Annex"))
    window = open_window(qtbot, demo_db)
    picker = find(window, QComboBox, "Unit")
    assert picker.isVisible()
    assert picker.count() == 2
    picker.setCurrentIndex(picker.findData(other.id))
    assert window.context.unit_id == other.id
    assert "Ω Ward — 東病棟" in window.windowTitle()
    window.show_screen("tracking_log")
    settle(qtbot)
    assert find(window, QLabel, "How many issues are shown").text() == "0 issues"


def test_one_unit_needs_no_picker(window: MainWindow) -> None:
    assert not find(window, QComboBox, "Unit").isVisible()


def unnamed_controls(root: QWidget) -> list[str]:
    """Focusable controls without an accessible name (parts of combos and date boxes aside)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(root):
            continue
        if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox):
            continue
        if not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}")
    return missing


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow, demo_db: Database, db: Database
) -> None:
    for screen in window.screens:
        window.show_screen(screen.key)
        settle(qtbot)
    assert unnamed_controls(window) == []
    window.context.open_record.emit("issue", issues.get_issue_by_number(demo_db, 1, 5).id)
    form = windows(IssueFormDialog)[0]
    assert unnamed_controls(form) == []
    welcome = WelcomeDialog(db)
    welcome.show()
    assert unnamed_controls(welcome) == []
    welcome.close()


# --- closing with unsaved work ---------------------------------------------------------


def open_new_issue(qtbot: QtBot, window: MainWindow, text: str) -> IssueFormDialog:
    window.new_issue_action.trigger()
    form = windows(IssueFormDialog)[-1]
    type_into(find(form, QPlainTextEdit, "Description"), text)
    return form


def test_closing_with_an_unsaved_form_asks_and_cancel_keeps_everything(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    before = issues.count_issues(demo_db, window.context.unit_id).by_status
    form = open_new_issue(qtbot, window, "Oxygen cylinder empty on the resus trolley")
    answered = DialogAnswerer().then("Cancel")
    window.close()
    assert "New issue" in answered.seen[0]
    assert window.isVisible() and form.isVisible()
    assert find(form, QPlainTextEdit, "Description").toPlainText().startswith("Oxygen")
    assert issues.count_issues(demo_db, window.context.unit_id).by_status == before


def test_closing_and_discarding_closes_the_form_without_saving(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    total = issues.list_issues(demo_db, issues.IssueQuery(unit_id=window.context.unit_id)).total
    form = open_new_issue(qtbot, window, "Suction not set up in bed 4")
    DialogAnswerer().then("Discard")
    window.close()
    assert not window.isVisible() and not form.isVisible()
    assert (
        issues.list_issues(demo_db, issues.IssueQuery(unit_id=window.context.unit_id)).total
        == total
    )


def test_closing_and_saving_saves_the_form_first(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    open_new_issue(qtbot, window, "Call bell in room 9 does not reach the bed")
    DialogAnswerer().then("Save")
    window.close()
    assert not window.isVisible()
    found = issues.list_issues(
        demo_db, issues.IssueQuery(unit_id=window.context.unit_id, text="Call bell in room 9")
    )
    assert found.total == 1


def test_a_refused_save_at_closing_keeps_the_app_open(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    form = open_new_issue(qtbot, window, "")
    type_into(find(form, QLineEdit, "Location"), "Bay 3")
    DialogAnswerer().then("Save")
    window.close()
    assert window.isVisible() and form.isVisible()
    assert "The description is needed." in form.errors.messages()["description"]


# --- reopening -------------------------------------------------------------------------


def test_reopening_brings_back_the_records_last_screen_and_column_widths(
    qtbot: QtBot, demo_path: Path
) -> None:
    first_db = open_database(demo_path)
    window = open_window(qtbot, first_db)
    form = open_new_issue(qtbot, window, "Linen trolley blocks the fire door")
    form.save_changes()
    form.close()
    window.show_screen("tracking_log")
    settle(qtbot)
    table = find(window, QTableView, "Tracking log issues")
    table.horizontalHeader().resizeSection(3, 333)
    window.resize(1100, 640)
    window.close()
    first_db.dispose()

    again = open_database(demo_path)
    reopened = open_window(qtbot, again)
    settle(qtbot)
    assert reopened.current_screen().key == "tracking_log"
    assert reopened.size().height() == 640  # the test screen is 800 px wide, so only height
    table = find(reopened, QTableView, "Tracking log issues")
    assert table.columnWidth(3) == 333
    screen = reopened.current_screen()
    assert isinstance(screen, TrackingLogScreen)
    texts = [row.description for row in screen.model.rows]
    assert "Linen trolley blocks the fire door" in texts


# --- opening awkward databases -----------------------------------------------------------


@pytest.fixture
def unwritable(demo_path: Path) -> Iterator[Path]:
    """The demo file made unwritable (chattr +i works even for root; chmod otherwise)."""
    marked = (
        subprocess.run(
            ["chattr", "+i", str(demo_path)], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not marked:
        demo_path.chmod(0o444)
    try:
        if os.access(demo_path, os.W_OK):
            pytest.skip("this user can write to any file, so read-only files cannot be tested")
        yield demo_path
    finally:
        if marked:
            subprocess.run(["chattr", "-i", str(demo_path)], check=False)
        demo_path.chmod(0o644)


def test_an_unwritable_database_opens_read_only_with_a_notice(
    qtbot: QtBot, unwritable: Path
) -> None:
    answered = DialogAnswerer().then("OK")
    db = open_for_gui(str(unwritable))
    assert db is not None and db.read_only
    assert "read-only" in answered.seen[0]
    window = open_window(qtbot, db)
    assert "(read-only)" in find(window, QLabel, "Database in use").text()
    assert "(read-only)" in window.windowTitle()
    assert not window.new_issue_action.isEnabled()
    window.show_screen("tracking_log")
    settle(qtbot)
    assert find(window, QLabel, "How many issues are shown").text() == "57 issues"
    issue = issues.get_issue_by_number(db, window.context.unit_id or 0, 12)
    window.context.open_record.emit("issue", issue.id)
    form = windows(IssueFormDialog)[0]
    assert find(form, QPlainTextEdit, "Description").isReadOnly()
    assert find(form, QLabel, "Read-only notice").isVisible()
    form.close()
    assert not form.isVisible()  # nothing to save, nothing asked


def test_asking_for_read_only_opens_without_a_question(demo_path: Path) -> None:
    db = open_for_gui(str(demo_path), read_only=True)
    assert db is not None and db.read_only


def test_a_database_from_a_newer_version_is_refused_politely(demo_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(demo_path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = sha256(demo_path)
    answered = DialogAnswerer().then("OK")
    assert open_for_gui(str(demo_path)) is None
    assert "newer version of CUSPDesk" in answered.seen[0]
    assert "nothing in the file was changed" in answered.seen[0]
    assert sha256(demo_path) == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "shopping list.txt"
    notes.write_text("milk, eggs, <b>bread</b>\n")
    answered = DialogAnswerer().then("OK")
    assert open_for_gui(str(notes)) is None
    assert "is not a CUSPDesk database" in answered.seen[0]
    assert notes.read_text() == "milk, eggs, <b>bread</b>\n"


def test_a_damaged_database_points_at_the_backups(demo_path: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    data[4096:40960] = b"\xde\xad\xbe\xef" * ((40960 - 4096) // 4)
    demo_path.write_bytes(bytes(data))
    answered = DialogAnswerer().then("OK")
    assert open_for_gui(str(demo_path)) is None
    assert "damaged" in answered.seen[0]


@pytest.fixture
def locked(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Another program holds an exclusive lock on the file; calling the result releases it."""
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    conn = sqlite3.connect(demo_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("BEGIN EXCLUSIVE")
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            conn.execute("ROLLBACK")
            released = True

    yield release
    release()
    conn.close()


def test_a_locked_database_offers_to_try_again_and_opens_once_free(
    qtbot: QtBot, locked: Callable[[], None], demo_path: Path
) -> None:
    answered = DialogAnswerer().then("Try again").then("Try again", before=locked)
    db = open_for_gui(str(demo_path))
    assert db is not None and not db.read_only
    assert len(answered.seen) == 2
    assert all("locked by another program" in text for text in answered.seen)


def test_a_locked_database_can_be_given_up_on(locked: Callable[[], None], demo_path: Path) -> None:
    answered = DialogAnswerer().then("Open read-only").then("OK")
    assert open_for_gui(str(demo_path)) is None
    assert "locked" in answered.seen[0]
    assert len(answered.seen) == 2


def mnemonics(root: QWidget) -> list[str]:
    """The Alt+letter keys of the visible labels, buttons and check boxes under ``root``."""
    keys = []
    for widget in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        if not widget.isVisibleTo(root):
            continue
        found = re.search(r"&([^&\s])", widget.text().replace("&&", ""))
        if found and (not isinstance(widget, QLabel) or widget.buddy() is not None):
            keys.append(found.group(1).lower())
    return keys


def test_alt_letters_never_clash_on_a_screen(qtbot: QtBot, window: MainWindow) -> None:
    menus = [re.search(r"&(\w)", a.text()).group(1).lower() for a in window.menuBar().actions()]  # type: ignore[union-attr]
    for screen in window.screens:
        window.show_screen(screen.key)
        settle(qtbot)
        keys = menus + mnemonics(window)
        clashes = sorted({k for k in keys if keys.count(k) > 1})
        assert clashes == [], f"{screen.title}: Alt+{clashes} reach more than one control"
    window.new_issue_action.trigger()
    form = windows(IssueFormDialog)[0]
    keys = mnemonics(form)
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
