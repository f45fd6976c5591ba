"""Drive real widgets as a user would: find controls by accessible name, answer dialogs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cuspdesk.db import Database
from cuspdesk.ui.main_window import MainWindow
from cuspdesk.ui.worker import wait_for_background_work

W = TypeVar("W", bound=QWidget)
# Longer text is pasted: a person would, and a megabyte of key events would take minutes.
LONGEST_TYPED = 300


def find(root: QWidget, kind: type[W], name: str) -> W:
    """The one widget of ``kind`` under ``root`` whose accessible name is ``name``.

    Pending events run first, as they would before a person's next click (a layout
    shows the widgets it has just received by a queued call); a widget on screen wins
    over one on a hidden page or on its way out.
    """
    QApplication.processEvents()
    matches = [w for w in root.findChildren(kind) if w.accessibleName() == name]
    if isinstance(root, kind) and root.accessibleName() == name:
        matches.insert(0, root)
    visible = (
        [w for w in matches if w.isVisibleTo(root)]
        or [w for w in matches if not w.isHidden()]
        or matches
    )
    assert len(visible) == 1, (
        f"expected one {kind.__name__} named {name!r} under {root!r}, found {len(visible)}"
    )
    return visible[0]


def find_all(root: QWidget, kind: type[W], name: str) -> list[W]:
    QApplication.processEvents()
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
    (QTest.keyClicks only knows ASCII); long text is pasted, as a person would."""
    if len(text) > LONGEST_TYPED:
        paste_into(widget, text)
        return
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
    """Choose the entry reading ``text`` (or, failing that, the first starting with it:
    "Ana Costa" for "Ana Costa (Unit champion)"), as a person would from the drop-down."""
    index = combo.findText(text)
    if index < 0:
        index = combo.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, f"{text!r} is not offered in {combo.accessibleName()}"
    combo.setCurrentIndex(index)


def paste_into(widget: QWidget, text: str) -> None:
    """Paste ``text`` from the clipboard (how control characters and huge text arrive)."""
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    widget.setFocus()
    QApplication.clipboard().setText(text)
    widget.paste()


def tick(check_list: QListWidget, label: str) -> None:
    """Tick an item of a check list with the keyboard: make it current, press Space."""
    for row in range(check_list.count()):
        item = check_list.item(row)
        if item is not None and item.text() == label:
            check_list.setCurrentItem(item)
            QTest.keyClick(check_list, Qt.Key.Key_Space)
            return
    raise LookupError(f"No item {label!r} in {check_list.accessibleName()!r}")


def click(button: QAbstractButton) -> None:
    """Click a button; a check box is clicked on its box, which a wide one has at the left."""
    if isinstance(button, QCheckBox | QRadioButton):
        spot = QPoint(min(8, button.width() // 2), button.height() // 2)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=spot)
    else:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def click_row(view: QAbstractItemView, text: str) -> None:
    """Click the first row with a cell reading ``text`` (found by content, not position)."""
    model = view.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if model.data(index) == text:
                view.scrollTo(index)
                rect = view.visualRect(index)
                QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
                return
    raise LookupError(f"No row reading {text!r} in {view.accessibleName()!r}")


def select_rows(view: QAbstractItemView, texts: list[str]) -> None:
    """Ctrl+click each row reading one of ``texts``, as a person picks several."""
    model = view.model()
    wanted = set(texts)
    modifier = Qt.KeyboardModifier.NoModifier
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if model.data(index) in wanted:
                view.scrollTo(index)
                QTest.mouseClick(
                    view.viewport(),
                    Qt.MouseButton.LeftButton,
                    modifier,
                    view.visualRect(index).center(),
                )
                modifier = Qt.KeyboardModifier.ControlModifier
                wanted.discard(model.data(index))
                break
    if wanted:
        raise LookupError(f"No rows reading {sorted(wanted)} in {view.accessibleName()!r}")


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a keyboard can reach that a screen reader could not name."""
    QApplication.processEvents()
    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.focusProxy() is not None or _inside_compound(widget, root):
            continue
        if not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def _inside_compound(widget: QWidget, root: QWidget) -> bool:
    """The line edit inside a combo or date box, the viewport of a list: named by their owner."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        compound = isinstance(parent, QComboBox | QAbstractSpinBox | QAbstractScrollArea)
        if compound and not isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def tab_path(start: QWidget, stop: str, limit: int = 80) -> list[str]:
    """The spoken names Tab visits from ``start`` until a control named ``stop``."""
    start.setFocus()
    QApplication.processEvents()
    names = [start.accessibleName()]
    for _ in range(limit):
        focused = QApplication.focusWidget()
        assert focused is not None, "nothing has the keyboard focus"
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        QApplication.processEvents()
        now = QApplication.focusWidget()
        assert now is not None, "Tab left the window"
        owner = now.focusProxy() or now
        while not owner.accessibleName() and owner.parentWidget() is not None:
            owner = owner.parentWidget()  # the line edit inside a date box speaks as the box
        names.append(owner.accessibleName())
        if names[-1] == stop:
            return names
    raise AssertionError(f"Tab never reached {stop!r}; went {names}")


# Alt+F, E, G, H open the main window's menus; Alt+U its unit picker.
MAIN_WINDOW_KEYS = "feghu"


def mnemonic_clashes(root: QWidget) -> list[str]:
    """Alt+letters that reach more than one visible control, or one of the main window's."""
    QApplication.processEvents()
    keys = list(MAIN_WINDOW_KEYS)
    texts = [
        w.text()
        for w in root.findChildren(QLabel) + root.findChildren(QAbstractButton)
        if w.isVisibleTo(root) and (not isinstance(w, QLabel) or w.buddy() is not None)
    ]
    for bar in root.findChildren(QTabBar):
        texts += [bar.tabText(i) for i in range(bar.count())]
    for text in texts:
        found = re.search(r"&([^&\s])", text.replace("&&", ""))
        if found:
            keys.append(found.group(1).lower())
    return sorted({k for k in keys if keys.count(k) > 1})
