"""The audit trail screen and one record's history: filtered, paged, read-only, in local time."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Actor, Database
from cuspdesk.services import audit, issues, units
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.record_history import RecordHistoryDialog, history_dialog, show_history
from cuspdesk.ui.screens.audit import PAGE_SIZE, AuditScreen

YESTERDAY = date.today() - timedelta(days=1)


def _find(parent: QWidget, name: str) -> QWidget:
    found = [w for w in parent.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, f"{name}: {len(found)} found"
    return found[0]


@pytest.fixture
def filled(db: Database) -> tuple[Database, int, list[int]]:
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    made = [
        issues.create_issue(
            db, unit.id, issues.IssueFields(description=f"Finding {n}", date_identified=YESTERDAY)
        ).id
        for n in range(1, 4)
    ]
    db.actor = Actor("jo.smith", "nurse_manager")
    issues.add_note(db, made[0], "Biomed called <b>twice</b> & more")
    issues.change_status(db, made[0], "in_progress")
    db.actor = Actor("pat.exec", "executive")
    issues.add_note(db, made[1], "Budget raised at the Board")
    return db, unit.id, made


def _screen(qtbot: QtBot, db: Database, unit_id: int) -> AuditScreen:
    screen = AuditScreen(AppContext(db, unit_id))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.refresh()
    return screen


def _reload(qtbot: QtBot, screen: AuditScreen, change: object) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        change()  # type: ignore[operator]


def test_the_screen_lists_the_trail_newest_first(
    qtbot: QtBot, filled: tuple[Database, int, list[int]]
) -> None:
    db, unit_id, _ = filled
    screen = _screen(qtbot, db, unit_id)
    expected = audit.find_audit_events(db, audit.AuditQuery(unit_id=unit_id))
    assert screen.model.rowCount() == expected.total
    assert screen.key == "audit" and screen.title == "Audit trail"
    first = [screen.model.index(0, c).data() for c in range(screen.model.columnCount())]
    assert first[1] == "pat.exec" and first[2] == "Executive partner"
    assert first[3] == "Note on issue 2"
    assert "Budget raised" in first[7]
    assert _find(screen, "Audit page").text().startswith(f"Changes 1–{expected.total}")


def test_the_trail_cannot_be_edited_from_the_screen(
    qtbot: QtBot, filled: tuple[Database, int, list[int]]
) -> None:
    db, unit_id, _ = filled
    screen = _screen(qtbot, db, unit_id)
    before = audit.list_audit_events(db)
    table = screen.table
    index = screen.model.index(0, 7)
    assert not screen.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not screen.model.setData(index, "rewritten")
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.keyClicks(table, "rewritten")
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert audit.list_audit_events(db) == before


def test_filters_ask_the_service_again(
    qtbot: QtBot, filled: tuple[Database, int, list[int]]
) -> None:
    db, unit_id, made = filled
    screen = _screen(qtbot, db, unit_id)
    kind = _find(screen, "Record kind")
    assert isinstance(kind, QComboBox)
    _reload(qtbot, screen, lambda: kind.setCurrentIndex(kind.findData("issue_note")))
    assert {r.entity for r in screen.model.rows} == {"issue_note"}
    _reload(qtbot, screen, lambda: kind.setCurrentIndex(kind.findData("safety_issue")))
    number = _find(screen, "Record number")
    assert isinstance(number, QLineEdit)
    _reload(qtbot, screen, lambda: qtbot.keyClicks(number, "1"))
    assert {r.record for r in screen.model.rows} == {"Issue 1"}
    assert any(r.field == "status" for r in screen.model.rows)
    _reload(qtbot, screen, number.clear)
    user = _find(screen, "User")
    assert isinstance(user, QComboBox)
    _reload(qtbot, screen, lambda: user.setCurrentIndex(user.findData("jo.smith")))
    assert {r.os_user for r in screen.model.rows} == {"jo.smith"}
    until = _find(screen, "To date")
    _reload(qtbot, screen, lambda: until.setValue(date.today() - timedelta(days=2)))  # type: ignore[attr-defined]
    assert screen.model.rowCount() == 0
    assert _find(screen, "Audit page").text() == "No changes match these filters."
    assert len(made) == 3


def test_paging_through_a_long_trail(qtbot: QtBot, db: Database) -> None:
    unit = units.create_unit(db, units.UnitFields(name="5 North"))
    issue = issues.create_issue(
        db, unit.id, issues.IssueFields(description="Busy issue", date_identified=YESTERDAY)
    )
    for n in range(PAGE_SIZE + 20):
        issues.add_note(db, issue.id, f"Note {n}")
    screen = _screen(qtbot, db, unit.id)
    total = audit.find_audit_events(db, audit.AuditQuery(unit_id=unit.id)).total
    assert screen.model.rowCount() == PAGE_SIZE
    previous = _find(screen, "Previous page")
    following = _find(screen, "Next page")
    assert isinstance(previous, QPushButton) and isinstance(following, QPushButton)
    assert not previous.isEnabled() and following.isEnabled()
    _reload(qtbot, screen, following.click)
    assert screen.model.rowCount() == total - PAGE_SIZE
    assert _find(screen, "Audit page").text().startswith(f"Changes {PAGE_SIZE + 1}–{total}")
    assert previous.isEnabled() and not following.isEnabled()


def test_a_records_history_reads_old_to_new_in_local_time(
    qtbot: QtBot, filled: tuple[Database, int, list[int]]
) -> None:
    db, unit_id, made = filled
    dialog = history_dialog(None, AppContext(db, unit_id), "safety_issue", made[0])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "History of Issue 1"
    rows = dialog.model.rows
    assert rows[0].action == "create" and rows[-1].action in ("status", "create")
    assert [r.occurred_at for r in rows] == sorted(r.occurred_at for r in rows)
    shown = dialog.model.index(0, 0).data()
    expected = rows[0].occurred_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert shown == expected
    assert rows[0].occurred_at.tzinfo is not None
    assert rows[0].occurred_at.astimezone(UTC) <= datetime.now(UTC)
    status = next(i for i, r in enumerate(rows) if r.field == "status")
    assert dialog.model.index(status, 5).data() == "Status"
    assert dialog.model.index(status, 6).data() == "Open"
    assert dialog.model.index(status, 7).data() == "In progress"
    note = next(i for i, r in enumerate(rows) if r.entity == "issue_note")
    assert "<b>twice</b> & more" in dialog.model.index(note, 7).data()


def test_show_history_opens_and_closes(
    qtbot: QtBot, filled: tuple[Database, int, list[int]]
) -> None:
    db, unit_id, made = filled

    def close_it() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, RecordHistoryDialog) and widget.isVisible():
                assert widget.table.accessibleName() == "Changes to this record"
                _find(widget, "Close").click()  # type: ignore[attr-defined]
                return
        QTimer.singleShot(10, close_it)

    QTimer.singleShot(0, close_it)
    show_history(None, AppContext(db, unit_id), "safety_issue", made[1])


def test_screenshot(qtbot: QtBot, filled: tuple[Database, int, list[int]], tmp_path: Path) -> None:
    db, unit_id, _ = filled
    screen = _screen(qtbot, db, unit_id)
    screen.show()
    qtbot.waitExposed(screen)
    # CUSPDESK_SHOTS names a folder to keep the pictures in, to look at them.
    out = Path(os.environ.get("CUSPDESK_SHOTS", str(tmp_path)))
    out.mkdir(parents=True, exist_ok=True)
    assert screen.grab().save(str(out / "audit-screen.png"))
    dialog = history_dialog(None, AppContext(db, unit_id), "safety_issue", 1)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(out / "record-history.png"))
