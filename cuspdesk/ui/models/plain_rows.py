"""A read-only table model over a short list of plain rows from a service.

For the small lists of one unit (rounds, meetings, reviews, measures, team):
sorting happens in plain Python on the rows already fetched, then the model
resets. Large lists (the tracking log) page through the service instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

RowT = TypeVar("RowT")
_Index = QModelIndex | QPersistentModelIndex


def display_text(value: object) -> str:
    """How a plain value reads in a table cell: ISO dates, Yes/No, no 'None'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        # Half up, as people round (3.125 reads 3.13), not the float's half-even.
        rounded = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return str(value)


@dataclass(frozen=True)
class Column(Generic[RowT]):
    """One column: its header, the value it shows, and optionally how it sorts.

    A ``stretch`` column takes the width left over (the one with the longest text).
    """

    header: str
    value: Callable[[RowT], object]
    sort_key: Callable[[RowT], Any] | None = None
    numeric: bool = False
    tooltip: Callable[[RowT], str] | None = None
    stretch: bool = False
    header_tip: str = ""


def _none_last(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (1, 0)
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)


class PlainRowsModel(QAbstractTableModel, Generic[RowT]):
    """Rows in, cells out; ``row_id`` names the record each row stands for."""

    def __init__(self, columns: Sequence[Column[RowT]], row_id: Callable[[RowT], int]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.row_id = row_id
        self._rows: list[RowT] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- data in ------------------------------------------------------------------

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._apply_sort()
        self.endResetModel()

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row_at(self, row: int) -> RowT | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: int) -> int:
        """The table row showing ``record_id``, or -1."""
        for number, row in enumerate(self._rows):
            if self.row_id(row) == record_id:
                return number
        return -1

    # --- Qt model -----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return display_text(column.value(row))
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.row_id(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return column.header_tip or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        column_number, order = self._sort
        column = self.columns[column_number]
        key = column.sort_key or column.value
        self._rows.sort(
            key=lambda row: _none_last(key(row)),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
