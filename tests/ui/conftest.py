"""Helpers for driving real widgets the way a screen reader user would: by accessible name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from cuspdesk.db import Database
from cuspdesk.services import demo, units
from cuspdesk.ui.context import AppContext

W = TypeVar("W", bound=QWidget)


def find(root: QWidget, name: str, kind: type[W] = QWidget) -> W:  # type: ignore[assignment]
    """The one widget under ``root`` with this accessible name (visible ones win ties).

    Pending events run first, as they would before a person's next click: widgets a
    layout just received are shown by a queued call.
    """
    QApplication.processEvents()
    found = [w for w in root.findChildren(kind) if w.accessibleName() == name]
    if len(found) > 1:
        found = [w for w in found if w.isVisibleTo(root)]
    if len(found) != 1:
        names = sorted({w.accessibleName() for w in root.findChildren(kind) if w.accessibleName()})
        raise LookupError(
            f"{len(found)} widgets named {name!r} ({kind.__name__}); names seen: {names[:80]}"
        )
    return found[0]


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
        if isinstance(parent, QComboBox | QAbstractSpinBox | QAbstractScrollArea) and not (
            isinstance(parent, QScrollArea)
        ):
            return True
        parent = parent.parentWidget()
    return False


def find_all(root: QWidget, name: str, kind: type[W] = QWidget) -> list[W]:  # type: ignore[assignment]
    return [w for w in root.findChildren(kind) if w.accessibleName() == name]


def names_under(root: QWidget) -> set[str]:
    return {w.accessibleName() for w in root.findChildren(QWidget) if w.accessibleName()}


class DialogAnswer:
    """Clicks a button of the next modal dialog once it shows; remembers what it said."""

    def __init__(self, button: str) -> None:
        self.button = button
        self.text = ""
        self.title = ""
        self.done = False
        QTimer.singleShot(0, self._attempt)

    def _attempt(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, self._attempt)
            return
        self.title = dialog.windowTitle()
        if isinstance(dialog, QMessageBox):
            self.text = dialog.text()
        find(dialog, self.button, QAbstractButton).click()
        self.done = True


def answer_next_dialog(button: str) -> DialogAnswer:
    """Arrange for ``button`` to be clicked in the next modal dialog (call before opening it)."""
    return DialogAnswer(button)


def tick(check_list: QListWidget, label: str) -> None:
    """Tick an item of a check list with the keyboard: make it current, press Space."""
    for row in range(check_list.count()):
        item = check_list.item(row)
        if item is not None and item.text() == label:
            check_list.setCurrentItem(item)
            QTest.keyClick(check_list, Qt.Key.Key_Space)
            return
    raise LookupError(f"No item {label!r} in {check_list.accessibleName()!r}")


def choose(combo: QComboBox, text: str) -> None:
    """Pick the entry whose text starts with ``text``, as a person choosing from the list."""
    for index in range(combo.count()):
        if combo.itemText(index).startswith(text):
            combo.setCurrentIndex(index)
            return
    raise LookupError(f"No entry {text!r} in {combo.accessibleName()!r}")


def type_into(widget: QWidget, text: str) -> None:
    """Type short plain text key by key; paste long or non-Latin text through the clipboard
    (QTest cannot synthesise keys for CJK, Arabic or emoji)."""
    widget.setFocus()
    if len(text) <= 200 and text.isascii() and text.isprintable():
        QTest.keyClicks(widget, text)
    elif isinstance(widget, QLineEdit | QPlainTextEdit):
        QApplication.clipboard().setText(text)
        widget.paste()
    else:
        raise TypeError(f"Cannot type into {type(widget).__name__}")


def click(button: QAbstractButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def click_row(view: QAbstractItemView, text: str) -> None:
    """Click the first row with a cell showing ``text`` (found by content, not position)."""
    model = view.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if model.data(index) == text:
                view.scrollTo(index)
                rect = view.visualRect(index)
                QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
                return
    raise LookupError(f"No row showing {text!r} in {view.accessibleName()!r}")


class UiHelpers:
    """What a test needs to find and answer widgets; given by the ``ui`` fixture."""

    find = staticmethod(find)
    find_all = staticmethod(find_all)
    names_under = staticmethod(names_under)
    unnamed_controls = staticmethod(unnamed_controls)
    answer_next_dialog = staticmethod(answer_next_dialog)
    tick = staticmethod(tick)
    choose = staticmethod(choose)
    type_into = staticmethod(type_into)
    click = staticmethod(click)
    click_row = staticmethod(click_row)


@pytest.fixture
def ui() -> UiHelpers:
    return UiHelpers()


@pytest.fixture
def small_unit(db: Database) -> dict[str, Any]:
    """A unit with a four-person team and an executive partner, made through the services."""
    unit = units.create_unit(db, units.UnitFields("4 West Medicine", hospital="St Elsewhere"))
    roles = {c.key: c.id for c in units.list_choices(db, units.ROLE_LIST)}
    people = {}
    for key, name, role in (
        ("champion", "Ana Costa", "champion"),
        ("manager", "Ben Osei", "nurse_manager"),
        ("executive", "Carla Jones", "executive_partner"),
        ("staff", "李 伟", "staff"),
    ):
        member = units.add_team_member(db, unit.id, units.PersonFields(name), role_id=roles[role])
        people[key] = member.person_id
    units.assign_executive_partner(db, unit.id, people["executive"], date(2025, 1, 1))
    return {"unit": unit, "people": people}


@pytest.fixture
def context(db: Database, small_unit: dict[str, Any]) -> Iterator[AppContext]:
    yield AppContext(db, small_unit["unit"].id)


@pytest.fixture
def demo_context(db: Database) -> AppContext:
    unit = demo.create_demo_unit(db)
    return AppContext(db, unit.id)
