"""A read-only table of records where Enter or a double-click opens the row, as in a list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

# A thick frame while the list has the keyboard, so a keyboard user can see where they are.
FOCUS_FRAME = "{widget}:focus {{ border: 2px solid #1a4fa0; }}"


class RecordTable(QTableView):
    """Whole-row selection, no in-place editing, ``row_activated(row)`` on Enter or double-click.

    Tab leaves the table (arrow keys move inside it), so a keyboard user is never
    trapped in a long list.
    """

    row_activated = Signal(int)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        # Compact rows: more of the log on screen, still room for the focus frame.
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setHighlightSections(False)
        self.doubleClicked.connect(lambda index: self.row_activated.emit(index.row()))
        self.setStyleSheet(FOCUS_FRAME.format(widget="QTableView"))

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.row_activated.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)
