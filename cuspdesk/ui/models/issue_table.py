"""The tracking log as a table model: pages of IssueRow fetched in the background.

Sorting and filtering are a new query to ``services.issues.find_issue_rows``; rows
arrive in chunks as the person scrolls (``canFetchMore``/``fetchMore``), so a log
of 100,000 issues opens as fast as one of 100 and the UI thread never waits. A full
first chunk is shown before the matches are counted: at 100,000 issues counting a
common word costs more than finding the rows to show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError
from cuspdesk.services.issues import (
    IssueQuery,
    IssueRow,
    count_matching_issues,
    find_issue_rows,
)
from cuspdesk.ui.worker import run_in_background

CHUNK = 500
OVERDUE_SIGN = "⚠"
_ROW = Qt.ItemDataRole.UserRole
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort_key: str
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", "No.", "number", numeric=True),
    Column("overdue", "Overdue", "target_date"),
    Column("status", "Status", "status"),
    Column("description", "Description", "description"),
    Column("category", "Category", "category"),
    Column("owner", "Owner", "owner"),
    Column("target_date", "Target date", "target_date"),
    Column("date_identified", "Identified", "date_identified"),
    Column("priority_rank", "Rank", "priority_rank", numeric=True),
    Column("risk_score", "Risk", "risk_score", numeric=True),
    Column("source", "Source", "source"),
    Column("location", "Location", "location"),
)
COLUMN_KEYS = [c.key for c in COLUMNS]


def overdue_text(days: int) -> str:
    if days <= 0:
        return ""
    return f"{OVERDUE_SIGN} {days} day{'s' if days != 1 else ''} overdue"


def first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""


def cell_text(row: IssueRow, key: str) -> str:
    value: Any
    if key == "overdue":
        return overdue_text(row.days_overdue)
    if key == "status":
        return row.status_label
    if key == "source":
        return row.source_label
    if key == "description":
        return first_line(row.description)
    value = getattr(row, key)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class IssueTableModel(QAbstractTableModel):
    """Rows of the current query; ``set_query`` starts a new one, ``reload`` repeats it.

    ``loaded`` says the rows are in, ``total_changed(int)`` the count (a moment later
    when the first chunk is full), ``loading_changed(bool)`` drives a busy sign until
    both are, ``load_failed(str)`` a message (a failing query never crashes the screen).
    """

    loading_changed = Signal(bool)
    total_changed = Signal(int)
    load_failed = Signal(str)
    loaded = Signal()

    def __init__(self, db: Database, chunk: int = CHUNK) -> None:
        super().__init__()
        self.db = db
        self.chunk = chunk
        self.query = IssueQuery(limit=chunk)
        self.rows: list[IssueRow] = []
        self.total = 0
        self._generation = 0  # a new query's number: older answers are dropped
        self._fetching = False
        self._counting = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._overdue_brush = QBrush(QColor("#fde2df"))
        self._overdue_text = QBrush(QColor("#000000"))

    # --- querying --------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """True while rows are being fetched or the matches counted."""
        return self._fetching or self._counting

    def set_query(self, query: IssueQuery) -> None:
        self.query = replace(query, offset=0, limit=self.chunk)
        self._generation += 1
        self._start(offset=0)

    def reload(self) -> None:
        self.set_query(self.query)

    def _start(self, offset: int) -> None:
        generation = self._generation
        query = replace(self.query, offset=offset, limit=self.chunk)
        # A new query's first chunk drops the last query's count still on its way.
        self._set_busy(fetching=True, counting=False if offset == 0 else None)
        db = self.db
        run_in_background(
            lambda: find_issue_rows(db, query),
            on_done=lambda rows: self._arrived(generation, query, rows),
            on_error=lambda error: self._failed(generation, error),
        )

    def _arrived(self, generation: int, query: IssueQuery, rows: list[IssueRow]) -> None:
        if generation != self._generation:
            return
        full = len(rows) == self.chunk
        if query.offset == 0:
            self.beginResetModel()
            self.rows = list(rows)
            self.total = len(self.rows)
            self.endResetModel()
        elif rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        if query.offset == 0 and full:
            # The rows are shown now; the count follows, and scrolling may go on meanwhile.
            db = self.db
            run_in_background(
                lambda: count_matching_issues(db, query),
                on_done=lambda total: self._counted(generation, total),
                on_error=lambda error: self._failed(generation, error),
            )
            self._set_busy(fetching=False, counting=True)
            self.loaded.emit()
            return
        known = self.total
        if not full:
            self.total = len(self.rows)  # a short chunk is the last: the count is exact
        else:
            self.total = max(self.total, len(self.rows))
        self._set_busy(fetching=False)
        self.loaded.emit()
        if not self._counting and (query.offset == 0 or self.total != known):
            self.total_changed.emit(self.total)

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self.total = max(total, len(self.rows))
        self._set_busy(counting=False)
        self.total_changed.emit(self.total)

    def _failed(self, generation: int, error: CuspDeskError) -> None:
        if generation != self._generation:
            return
        self._set_busy(fetching=False, counting=False)
        self.load_failed.emit(str(error))

    def _set_busy(self, *, fetching: bool | None = None, counting: bool | None = None) -> None:
        was = self.loading
        if fetching is not None:
            self._fetching = fetching
        if counting is not None:
            self._counting = counting
        if self.loading != was:
            self.loading_changed.emit(self.loading)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._fetching:
            return False
        # While the count is on its way, a full last chunk may have more behind it.
        more_behind = self._counting and len(self.rows) % self.chunk == 0
        return more_behind or len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._start(offset=len(self.rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        sort_key = COLUMNS[column].sort_key
        if sort_key == self.query.sort and descending == self.query.descending and self.rows:
            return
        self.set_query(replace(self.query, sort=sort_key, descending=descending))

    # --- reading ---------------------------------------------------------------------

    def row_at(self, row: int) -> IssueRow:
        return self.rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(row, column.key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key == "description":
                return row.description
            if row.overdue:
                return f"Issue {row.number} is {overdue_text(row.days_overdue)[2:]}."
            return None
        if role == Qt.ItemDataRole.FontRole and row.overdue:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
            return self._overdue_brush
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return self._overdue_text
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == _ROW:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Sort by {COLUMNS[section].header.lower()}"
        return None
