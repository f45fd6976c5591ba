"""Notice when a person edits a form, so closing it can ask before anything is lost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)


class ChangeWatcher(QObject):
    """Connects each watched widget's own "edited" signal to one ``changed`` signal.

    Loading a record happens inside ``paused()`` so filling the form in code does
    not count as an edit; ``dirty`` stays true until ``mark_clean()``.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paused = 0
        self._dirty = False

    @property
    def dirty(self) -> bool:
        return self._dirty

    def mark_clean(self) -> None:
        self._dirty = False

    def mark_dirty(self) -> None:
        if not self._paused:
            self._dirty = True
            self.changed.emit()

    @contextmanager
    def paused(self) -> Iterator[None]:
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            self._connect(widget)

    def _connect(self, widget: QWidget) -> None:
        own = getattr(type(widget), "changed", None)
        if isinstance(own, Signal):
            widget.changed.connect(self.mark_dirty)  # type: ignore[attr-defined]
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            widget.textChanged.connect(self.mark_dirty)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self.mark_dirty)
            if widget.isEditable():
                widget.editTextChanged.connect(self.mark_dirty)
        elif isinstance(widget, QDateEdit):
            widget.dateChanged.connect(self.mark_dirty)
        elif isinstance(widget, QAbstractSpinBox):
            widget.editingFinished.connect(self.mark_dirty)
        elif isinstance(widget, QAbstractButton):
            widget.toggled.connect(self.mark_dirty)
        elif isinstance(widget, QListWidget | QTableWidget):
            widget.itemChanged.connect(self.mark_dirty)
        else:
            raise TypeError(f"Cannot watch {type(widget).__name__} for edits.")
