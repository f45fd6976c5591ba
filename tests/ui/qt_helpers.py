"""Drive real widgets as a user would: find controls by accessible name, answer dialogs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.worker import wait_for_background_work

W = TypeVar("W", bound=QWidget)


def find(root: QWidget, kind: type[W], name: str) -> W:
    """The one widget of ``kind`` under ``root`` whose accessible name is ``name``."""
    matches = [w for w in root.findChildren(kind) if w.accessibleName() == name]
    if isinstance(root, kind) and root.accessibleName() == name:
        matches.insert(0, root)
    visible = [w for w in matches if not w.isHidden()] or matches
    assert len(visible) == 1, (
        f"expected one {kind.__name__} named {name!r} under {root!r}, found {len(visible)}"
    )
    return visible[0]


def find_all(root: QWidget, kind: type[W], name: str) -> list[W]:
    return [w for w in root.findChildren(kind) if w.accessibleName() == name]


def windows(kind: type[W]) -> list[W]:
    """Open top-level windows of ``kind`` (forms, dialogs)."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


_waiting: list[DialogAnswerer] = []


@dataclass(eq=False)
class DialogAnswerer:
    """Presses buttons in modal dialogs as they appear; remembers what each one said."""

    answers: list[tuple[str, Callable[[], object] | None]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def then(self, button_name: str, before: Callable[[], object] | None = None) -> DialogAnswerer:
        """Queue a press; ``before`` runs just before it (e.g. to release a lock)."""
        self.answers.append((button_name, before))
        if len(self.answers) == 1:
            _waiting.append(self)  # alive until answered, even if the caller drops it
            self._arm()
        return self

    def _arm(self) -> None:
        QTimer.singleShot(20, self._answer)

    def _answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not self.answers:
            if self.answers:
                self._arm()
            return
        text = dialog.accessibleName()
        if isinstance(dialog, QMessageBox):
            text = f"{dialog.text()}\n{dialog.informativeText()}"
        self.seen.append(text)
        name, before = self.answers.pop(0)
        if before is not None:
            before()
        find(dialog, QAbstractButton, name).click()
        if self.answers:
            self._arm()
        elif self in _waiting:
            _waiting.remove(self)


def open_window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    window.show()  # closed by the tests' teardown, after unsaved input is discarded
    qtbot.waitExposed(window)
    return window


def settle(qtbot: QtBot) -> None:
    """Let queued background loads finish and their results arrive on the UI thread."""
    wait_for_background_work()
    qtbot.wait(30)
    wait_for_background_work()
    qtbot.wait(30)


def type_into(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key at the end of what is there, in any alphabet
    (QTest.keyClicks only knows ASCII)."""
    widget.setFocus()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            widget, QKeyEvent(kind, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        )
    for char in text:
        key = Qt.Key.Key_Return if char == "\n" else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            )


def pick(combo: QComboBox, text: str) -> None:
    """Choose the entry reading ``text``, as a person would from the drop-down."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered in {combo.accessibleName()}"
    combo.setCurrentIndex(index)
