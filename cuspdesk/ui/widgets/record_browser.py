"""The left half of a list-and-form screen: search box, New button, sortable table of records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel
from cuspdesk.ui.widgets.record_table import RecordTable

SEARCH_DELAY_MS = 250
MAX_COLUMN_CHARS = 28


class RecordBrowser(QWidget):
    """Shows a service's rows; says which record the person picked and what they searched.

    ``current_changed`` carries the id of the record now current (or None);
    ``select_id(..., quiet=True)`` moves the selection without announcing it,
    so a screen can put the selection back when the person keeps editing.
    """

    current_changed = Signal(object)
    new_requested = Signal()
    search_changed = Signal(str)

    def __init__(
        self,
        noun: str,
        plural: str,
        columns: Sequence[Column[Any]],
        row_id: Callable[[Any], int],
        *,
        multi_select: bool = False,
        new_label: str | None = None,
        name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``noun``/``plural`` name the records in sentences; ``name`` is the table's
        spoken name (the plural, capitalised, unless given)."""
        super().__init__(parent)
        self.noun = noun
        self.plural = plural
        self._quiet = False
        self._announced: int | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {plural.lower()}…")
        self.search.setAccessibleName(f"Search {plural.lower()}")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.new_button = QPushButton(new_label or f"&New {noun.lower()}")
        self.new_button.setAccessibleName((new_label or f"New {noun.lower()}").replace("&", ""))
        self.new_button.clicked.connect(self.new_requested)
        self.model: PlainRowsModel[Any] = PlainRowsModel(columns, row_id)
        self.view = RecordTable(name or plural.capitalize())
        self.view.setModel(self.model)
        self.view.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi_select
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        stretch = [n for n, column in enumerate(columns) if column.stretch]
        header.setStretchLastSection(not stretch)
        for section in stretch:
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(f"Number of {plural.lower()}")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.view, 1)
        column.addWidget(self.count_label)

    # --- rows ---------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any], keep: int | None = None) -> None:
        """Show new rows and keep ``keep`` (a record id) selected without announcing it."""
        self._quiet = True
        try:
            self.model.set_rows(rows)
        finally:
            self._quiet = False
        count = len(rows)
        noun = self.noun.lower() if count == 1 else self.plural.lower()
        searching = " found" if self.search.text().strip() else ""
        self.count_label.setText(f"{count:,} {noun}{searching}")
        if not self._column_widths_set and rows:
            self._fit_columns()
            self._column_widths_set = True
        self.select_id(keep, quiet=True)

    _column_widths_set = False

    def _fit_columns(self) -> None:
        """Size columns to their contents once, capped so one long title cannot hog the list."""
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        cap = max(120, self.fontMetrics().averageCharWidth() * MAX_COLUMN_CHARS)
        for section in range(header.count()):
            stretched = header.sectionResizeMode(section) == QHeaderView.ResizeMode.Stretch
            if not stretched and header.sectionSize(section) > cap:
                header.resizeSection(section, cap)

    def row_for(self, record_id: int) -> Any:
        return self.model.row_at(self.model.row_of(record_id))

    def current_id(self) -> int | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row()):
            return None
        value = self.model.data(index, Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.row_id(row) for r in rows if (row := self.model.row_at(r)) is not None]

    def select_id(self, record_id: int | None, *, quiet: bool = False) -> None:
        row = self.model.row_of(record_id) if record_id is not None else -1
        self._quiet = quiet
        try:
            selection = self.view.selectionModel()
            if row < 0:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
            else:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.view.scrollTo(index)
        finally:
            self._quiet = False
        if quiet:
            self._announced = record_id if row >= 0 else None

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        value = self.model.data(current, Qt.ItemDataRole.UserRole) if current.isValid() else None
        record_id = int(value) if value is not None else None
        if record_id != self._announced:
            self._announced = record_id
            self.current_changed.emit(record_id)
