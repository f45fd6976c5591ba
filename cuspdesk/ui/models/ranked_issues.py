"""The concerns board as a table model: active issues in the team's order, draggable.

A drag does not move rows itself: it asks (``move_requested``) for the issue to
take the rank of the row it was dropped on, the service moves it, and the board
reloads, so the order on screen is always the order in the database.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from cuspdesk.services.issues import IssueRow
from cuspdesk.ui.models.issue_table import first_line, overdue_text

MIME_TYPE = "application/x-cuspdesk-issue-id"
_Index = QModelIndex | QPersistentModelIndex
HEADERS = (
    "Rank",
    "Risk score",
    "No.",
    "Concern",
    "Overdue",
    "Owner",
    "Status",
    "Target date",
    "Feasibility",
)


def score_text(row: IssueRow) -> str:
    if row.risk_score is None:
        return "not rated"
    return f"{row.risk_score} ({row.likelihood}×{row.severity})"


class RankedIssueModel(QAbstractTableModel):
    move_requested = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[IssueRow] = []

    def set_rows(self, rows: list[IssueRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of(self, issue_id: int) -> int:
        for index, row in enumerate(self.rows):
            if row.id == issue_id:
                return index
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            values = (
                str(row.priority_rank or ""),
                score_text(row),
                str(row.number),
                first_line(row.description),
                overdue_text(row.days_overdue),
                row.owner,
                row.status_label,
                row.target_date.isoformat() if row.target_date else "",
                str(row.feasibility_score) if row.feasibility_score is not None else "",
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return row.description
        if role == Qt.ItemDataRole.FontRole and row.overdue and column == 4:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 2, 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    # --- drag and drop ---------------------------------------------------------------

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(MIME_TYPE, QByteArray(str(self.rows[rows[0]].id).encode()))
        return data

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _Index,
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not data.hasFormat(MIME_TYPE) or not self.rows:
            return False
        issue_id = int(bytes(data.data(MIME_TYPE).data()).decode())
        source = self.row_of(issue_id)
        if source < 0:
            return False
        target = self.target_rank(source, row, parent)
        if target is not None:
            self.move_requested.emit(issue_id, target)
        # Rows are not removed here (removeRows is not implemented); the board reloads.
        return True

    def target_rank(self, source: int, row: int, parent: _Index) -> int | None:
        """The rank a dragged row takes when dropped before ``row`` or onto ``parent``."""
        if row < 0 and parent.isValid():
            destination = parent.row()
        elif row < 0:
            destination = len(self.rows) - 1
        elif row > source:
            destination = row - 1  # dropping below itself: it lands above ``row``
        else:
            destination = row
        destination = max(0, min(destination, len(self.rows) - 1))
        if destination == source:
            return None
        return self.rows[destination].priority_rank
