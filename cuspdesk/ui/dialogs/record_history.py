"""One record's history, oldest change first, in local time: what the audit knows about it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.audit import AuditRow, entity_label, record_history
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.audit_rows import AuditRowsModel


class RecordHistoryDialog(QDialog):
    """A read-only table of every change to one record and its parts (notes, data points)."""

    def __init__(self, title: str, rows: list[AuditRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.model = AuditRowsModel(self)
        self.model.set_rows(rows)
        layout = QVBoxLayout(self)
        summary = QLabel(
            f"{len(rows)} recorded change{'s' if len(rows) != 1 else ''}, oldest first, in this "
            "computer's time."
            if rows
            else "Nothing has been recorded for this record."
        )
        summary.setAccessibleName("History summary")
        layout.addWidget(summary)
        self.table = QTableView()
        self.table.setAccessibleName("Changes to this record")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((135, 90, 190, 115, 105, 110, 150)):
            self.table.setColumnWidth(column, width)
        summary.setBuddy(self.table)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1200, 520)


def history_dialog(
    parent: QWidget | None, context: AppContext, entity: str, entity_id: int
) -> RecordHistoryDialog:
    """Build (not show) the history dialog; a failed read becomes the dialog's message."""
    try:
        rows = record_history(context.db, entity, entity_id)
    except CuspDeskError as exc:
        context.status_message.emit(f"The history could not be read: {exc}")
        rows = []
    name = rows[-1].record if rows else f"{entity_label(entity)} #{entity_id}"
    return RecordHistoryDialog(f"History of {name}", rows, parent)


def show_history(parent: QWidget | None, context: AppContext, entity: str, entity_id: int) -> None:
    """Show the history of one record (``entity`` is its table, e.g. "safety_issue")."""
    history_dialog(parent, context, entity, entity_id).exec()
