"""The dashboard screen: the numbers match the records and every line opens its record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.services import units
from cuspdesk.services.dashboard import load_dashboard
from cuspdesk.ui.dialogs.issue_form import IssueFormDialog
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.screens.dashboard import DashboardScreen
from cuspdesk.ui.widgets.record_list import RecordList
from ui.qt_helpers import find, open_window, settle, windows


def show_dashboard(qtbot: QtBot, window: MainWindow) -> DashboardScreen:
    screen = window.show_screen("dashboard")
    assert isinstance(screen, DashboardScreen)
    settle(qtbot)
    qtbot.waitUntil(lambda: screen.data is not None)
    return screen


def texts(record_list: QListWidget) -> list[str]:
    return [record_list.item(row).text() for row in range(record_list.count())]


def test_the_numbers_and_lists_match_the_records(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    show_dashboard(qtbot, window)
    data = load_dashboard(demo_db, window.context.unit_id or 0)
    counts = data.counts
    find(window, QPushButton, f"open issues: {counts.open}")
    find(window, QPushButton, f"overdue: ⚠ {counts.overdue}, click to list them")
    find(window, QPushButton, f"due in 14 days: {counts.due_soon}")
    assert data.last_harm is not None
    find(
        window,
        QPushButton,
        f"days since a patient was harmed: {data.last_harm.days_since}, "
        f"last: {data.last_harm.on.isoformat()}",
    )
    overdue = texts(find(window, QListWidget, "Overdue issues"))
    worst = data.overdue.rows[0]
    assert overdue[0].startswith(f"⚠ {worst.days_overdue} days overdue · Issue {worst.number}:")
    assert f"…and {data.overdue.total - len(data.overdue.rows)} more overdue" in overdue[-1]
    concerns = texts(find(window, QListWidget, "Top five concerns"))
    assert [line.split(".")[0] for line in concerns] == ["1", "2", "3", "4", "5"]
    coming = texts(find(window, QListWidget, "Next meeting and round"))
    assert data.next_meeting is not None
    assert any(line.startswith("Meeting") and data.next_meeting.title in line for line in coming)
    reviews = texts(find(window, QListWidget, "Recent learning from defects"))
    assert len(reviews) == len(data.recent_reviews)


def test_enter_on_a_line_opens_its_record(qtbot: QtBot, window: MainWindow) -> None:
    screen = show_dashboard(qtbot, window)
    overdue = find(window, RecordList, "Overdue issues")
    overdue.setFocus()
    overdue.setCurrentRow(0)
    qtbot.keyClick(overdue, Qt.Key.Key_Return)
    assert screen.data is not None
    assert [f.issue_id for f in windows(IssueFormDialog)] == [screen.data.overdue.rows[0].id]

    coming = find(window, RecordList, "Next meeting and round")
    coming.setFocus()
    coming.setCurrentRow(1)  # the next safety round
    qtbot.keyClick(coming, Qt.Key.Key_Return)
    assert window.current_screen().key == "rounds"

    window.show_screen("dashboard")
    reviews = find(window, RecordList, "Recent learning from defects")
    reviews.setCurrentRow(0)
    qtbot.keyClick(reviews, Qt.Key.Key_Enter)
    assert window.current_screen().key == "defects"


def test_show_all_overdue_opens_the_log_filtered(qtbot: QtBot, window: MainWindow) -> None:
    show_dashboard(qtbot, window)
    qtbot.mouseClick(
        find(window, QPushButton, "Show all overdue issues in the tracking log"),
        Qt.MouseButton.LeftButton,
    )
    assert window.current_screen().key == "tracking_log"
    assert find(window, QCheckBox, "Overdue only").isChecked()
    settle(qtbot)
    log = window.current_screen()
    qtbot.waitUntil(lambda: not log.model.loading)  # type: ignore[attr-defined]
    rows = log.model.rows  # type: ignore[attr-defined]
    assert rows and all(r.overdue for r in rows)
    assert [r.days_overdue for r in rows] == sorted((r.days_overdue for r in rows), reverse=True)


def test_a_new_unit_says_there_is_nothing_yet(qtbot: QtBot, db: Database) -> None:
    units.create_unit(db, units.UnitFields(name="Brand new unit"))
    window = open_window(qtbot, db)
    show_dashboard(qtbot, window)
    assert texts(find(window, QListWidget, "Overdue issues")) == ["Nothing is overdue."]
    assert texts(find(window, QListWidget, "Top five concerns")) == ["No open concerns."]
    assert texts(find(window, QListWidget, "Next meeting and round")) == [
        "Meeting: none planned yet",
        "Safety round: none planned yet",
    ]
    harm = find(window, QPushButton, "days since a patient was harmed: –, none recorded")
    assert not harm.isEnabled()
    assert not find(window, QPushButton, "Show all overdue issues in the tracking log").isVisible()


def test_the_dashboard_follows_changes_made_elsewhere(qtbot: QtBot, window: MainWindow) -> None:
    screen = show_dashboard(qtbot, window)
    assert screen.data is not None
    before = screen.data.counts.open
    window.new_issue_action.trigger()
    form = windows(IssueFormDialog)[0]
    form.description.setPlainText("Blood gas analyser out of cartridges")
    assert form.save_changes()
    settle(qtbot)
    qtbot.waitUntil(lambda: screen.data is not None and screen.data.counts.open == before + 1)
    find(window, QPushButton, f"open issues: {before + 1}")
