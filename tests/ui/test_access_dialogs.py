"""The role chooser, the idle lock, the identifier warning and the recovery offer, by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cuspdesk.db import Actor, Database, open_database
from cuspdesk.errors import CorruptDatabaseError
from cuspdesk.services import access, backup, drafts, sensitive, units
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.identifiers import confirm_identifiers, identifiers_text
from cuspdesk.ui.dialogs.recovery import offer_recovery
from cuspdesk.ui.dialogs.role_chooser import RoleChooserDialog, choose_role
from cuspdesk.ui.drafts import DraftKeeper
from cuspdesk.ui.idle_lock import IdleLock, LockDialog


def _named(parent: QWidget, name: str) -> Any:
    found = [w for w in parent.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, f"{name}: {len(found)}"
    return found[0]


def when_shown(kind: type[QWidget], act: Callable[[Any], None]) -> None:
    """Act on the first visible top-level window of ``kind`` once it appears."""

    def attempt() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                act(widget)
                return
        QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def click(name: str) -> Callable[[QWidget], None]:
    return lambda window: _named(window, name).click()


# --- identifiers ---------------------------------------------------------------------


def test_confirm_identifiers_defaults_to_going_back(qtbot: QtBot) -> None:
    hits = sensitive.scan_fields({"description": "MRN 1234567 and DOB 01/02/1939"})
    text = identifiers_text(hits)
    assert "Description: “MRN 1234567” looks like a medical record number." in text
    assert "date of birth" in text

    def check_and_go_back(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert box.accessibleName() == "Patient details in the log"
        assert box.defaultButton().accessibleName() == "Go back and edit"
        _named(box, "Go back and edit").click()

    when_shown(QMessageBox, check_and_go_back)
    assert confirm_identifiers(None, hits) is False
    when_shown(QMessageBox, click("Save anyway"))
    assert confirm_identifiers(None, [h for _f, h in hits]) is True
    assert confirm_identifiers(None, []) is True


def test_many_hits_are_summarised() -> None:
    hits = sensitive.find_identifiers(" ".join(f"MRN {1000000 + n}" for n in range(12)))
    text = identifiers_text(hits)
    assert text.count("•") == 9 and text.endswith("…and 4 more.")


# --- the role chooser ----------------------------------------------------------------


def test_role_chooser_signs_in_and_keeps_the_choice_on_a_wrong_passphrase(
    qtbot: QtBot, db: Database
) -> None:
    access.set_passphrase(db, "nurse_manager", "night shift 5N")
    dialog = RoleChooserDialog(db)
    qtbot.addWidget(dialog)
    nurse = _named(dialog, "Nurse manager")
    nurse.click()
    passphrase = _named(dialog, "Passphrase")
    assert isinstance(passphrase, QLineEdit) and passphrase.isEnabled()
    qtbot.keyClicks(passphrase, "wrong")
    _named(dialog, "Continue").click()
    problem = _named(dialog, "Problem")
    assert problem.isVisible() or not problem.isHidden()
    assert "not right" in problem.text()
    assert dialog.actor is None and nurse.isChecked()
    assert db.actor.role == "champion"
    passphrase.clear()
    qtbot.keyClicks(passphrase, "night shift 5N")
    _named(dialog, "Continue").click()
    assert dialog.actor == Actor(db.actor.os_user, "nurse_manager")
    assert db.actor.role == "nurse_manager"
    assert access.remembered_role(db).value == "nurse_manager"


def test_a_role_without_a_passphrase_needs_none(qtbot: QtBot, db: Database) -> None:
    dialog = RoleChooserDialog(db)
    qtbot.addWidget(dialog)
    _named(dialog, "Viewer").click()
    assert not _named(dialog, "Passphrase").isEnabled()
    when_shown(RoleChooserDialog, click("Cancel"))
    assert choose_role(None, db) is None
    when_shown(RoleChooserDialog, lambda d: (_named(d, "Viewer").click(), d.try_sign_in()))
    assert choose_role(None, db) == Actor(db.actor.os_user, "viewer")


# --- the idle lock -------------------------------------------------------------------


class Window(QWidget):
    """A stand-in main window with a field, a shortcut and a draft keeper."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.field = QLineEdit()
        self.field.setAccessibleName("Description")
        QVBoxLayout(self).addWidget(self.field)
        self.shortcut_used = 0
        shortcut = QShortcut(QKeySequence("Ctrl+N"), self)
        shortcut.activated.connect(self._count)
        self.keeper = DraftKeeper(
            context,
            "issue",
            lambda: {"description": self.field.text()},
            lambda p: self.field.setText(p["description"]),
            delay_ms=60_000,
            parent=self,
        )
        self.keeper.watch([self.field])

    def _count(self) -> None:
        self.shortcut_used += 1


def _covers_on(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if w.accessibleName() == "Locked window"]


def _lock_dialog() -> LockDialog:
    return next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, LockDialog) and w.isVisible()
    )


def test_idle_lock_covers_everything_keeps_drafts_and_asks_for_the_passphrase(
    qtbot: QtBot, db: Database
) -> None:
    access.set_passphrase(db, "champion", "unit leader 5N")
    context = AppContext(db)
    window = Window(context)
    qtbot.addWidget(window)
    window.resize(800, 500)
    window.show()
    other = QDialog()  # a form open in its own window when the lock comes
    qtbot.addWidget(other)
    other.show()
    lock = IdleLock(window, context, timeout_ms=300)
    window.activateWindow()
    window.field.setFocus()
    qtbot.keyClicks(window.field, "Pump alarm in bay 3")
    assert window.keeper.pending
    with qtbot.waitSignal(lock.locked_changed, timeout=5000) as locked:
        pass
    assert locked.args == [True] and lock.locked
    assert drafts.load_draft(db, "issue", "new") == {"description": "Pump alarm in bay 3"}
    assert set(lock.covers) >= {window, other}
    for cover in lock.covers.values():
        assert cover.isVisible() and cover.geometry() == cover.parentWidget().rect()

    # Nothing behind the covers takes input, shortcuts included.
    qtbot.keyClicks(window.field, "typed while locked")
    qtbot.keyClick(window, "n", modifier=QKeySequence("Ctrl+N")[0].keyboardModifiers())
    assert window.field.text() == "Pump alarm in bay 3"
    assert window.shortcut_used == 0

    dialog = _lock_dialog()
    assert "working as team leader" in dialog.detail.text().lower()
    passphrase = _named(dialog, "Passphrase to unlock")
    qtbot.keyClicks(passphrase, "guess")
    _named(dialog, "Unlock").click()
    assert lock.locked and "not right" in _named(dialog, "Unlock problem").text()
    dialog.reject()  # Escape does not unlock
    assert lock.locked
    passphrase.clear()
    qtbot.keyClicks(passphrase, "unit leader 5N")
    with qtbot.waitSignal(lock.locked_changed, timeout=2000) as unlocked:
        _named(dialog, "Unlock").click()
    assert unlocked.args == [False] and not lock.locked
    qtbot.waitUntil(lambda: not _covers_on(window))
    assert window.field.text() == "Pump alarm in bay 3"


def test_input_keeps_the_lock_away_and_zero_means_never(qtbot: QtBot, db: Database) -> None:
    context = AppContext(db)
    window = Window(context)
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, context, timeout_ms=400)
    for _ in range(6):
        qtbot.wait(150)
        qtbot.keyClick(window.field, "x")
    assert not lock.locked
    lock.set_timeout_ms(0)
    qtbot.wait(600)
    assert not lock.locked


def test_a_role_without_passphrase_unlocks_with_a_press(qtbot: QtBot, db: Database) -> None:
    context = AppContext(db)
    window = Window(context)
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, context, minutes=15)
    lock.lock()
    dialog = _lock_dialog()
    assert not _named(dialog, "Passphrase to unlock").isVisible()
    assert "no passphrase" in dialog.detail.text()
    _named(dialog, "Unlock").click()
    assert not lock.locked


def test_idle_minutes_come_from_the_database(qtbot: QtBot, db: Database) -> None:
    access.set_idle_lock_minutes(db, 2)
    context = AppContext(db)
    window = Window(context)
    qtbot.addWidget(window)
    lock = IdleLock(window, context)
    assert lock._timeout_ms == 120_000


# --- recovery ------------------------------------------------------------------------


def test_offer_recovery_restores_the_newest_good_backup(qtbot: QtBot, db_path: Path) -> None:
    db = open_database(db_path)
    units.create_unit(db, units.UnitFields(name="5 North"))
    good = backup.backup_now(db)
    db.dispose()
    with db_path.open("r+b") as fh:  # a bad sector's worth of noise in the middle
        fh.seek(4096 * 2)
        fh.write(bytes(range(256)) * 64)
    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(db_path)

    def restore(box: QWidget) -> None:
        assert good.name in box.informativeText()  # type: ignore[attr-defined]
        _named(box, "Restore this backup").click()

    when_shown(QMessageBox, restore)
    assert offer_recovery(None, db_path, caught.value) is True
    reopened = open_database(db_path)
    assert [u.name for u in units.list_units(reopened)] == ["5 North"]


def test_offer_recovery_without_a_backup_explains(qtbot: QtBot, db_path: Path) -> None:
    db_path.write_bytes(b"")
    error = CorruptDatabaseError(f"{db_path} is damaged and cannot be opened.")

    def check(box: QWidget) -> None:
        assert "No good backup" in box.informativeText()  # type: ignore[attr-defined]
        buttons = [b.accessibleName() for b in box.findChildren(QAbstractButton)]
        assert "Restore this backup" not in buttons
        _named(box, "Close").click()

    when_shown(QMessageBox, check)
    assert offer_recovery(None, db_path, error) is False
