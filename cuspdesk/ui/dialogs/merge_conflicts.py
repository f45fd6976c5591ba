"""Records changed both here and in a merged unit file: each side by side, a person chooses.

The list on the left holds the conflicts still waiting; the table on the right
shows, field by field, this database's value and the file's. Keeping one side is
saved at once and recorded in the audit trail.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.access import allowed
from cuspdesk.services.unit_exchange import ConflictInfo, decide_conflict, list_conflicts
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel
from cuspdesk.ui.widgets.record_table import RecordTable

# What a decided record's screen shows, so it reloads (the context's record kinds).
_SCREEN_KIND = {
    "safety_issue": "issue",
    "issue_note": "issue",
    "meeting": "meeting",
    "safety_round": "round",
    "assessment_response": "assessment",
    "defect_review": "defect",
    "measure": "measure",
    "measure_point": "measure",
    "measure_annotation": "measure",
    "unit": "unit",
    "person": "team",
    "strategic_aim": "unit",
}

CONFLICT_COLUMNS: list[Column[ConflictInfo]] = [
    Column("Record", lambda c: c.label, stretch=True, tooltip=lambda c: c.label),
    Column("Kind", lambda c: c.entity_label),
    Column("From the file", lambda c: c.file_name),
    Column("Found", lambda c: c.found_at.strftime("%Y-%m-%d %H:%M"), sort_key=lambda c: c.found_at),
]


class MergeConflictsDialog(QDialog):
    """Non-modal: a person can look at the record on its screen while deciding."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Merge conflicts")
        self.setAccessibleName("Merge conflicts")
        self.intro = QLabel(
            "These records were changed both in this database and in a unit file merged "
            "into it. Nothing was overwritten. For each one, compare the two versions and "
            "keep one; the choice is recorded in the audit trail."
        )
        self.intro.setWordWrap(True)
        self.model: PlainRowsModel[ConflictInfo] = PlainRowsModel(CONFLICT_COLUMNS, lambda c: c.id)
        self.list = RecordTable("Conflicts waiting for a decision")
        self.list.setModel(self.model)
        self.list.setSelectionMode(RecordTable.SelectionMode.SingleSelection)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        list_caption = QLabel("&Conflicts waiting for a decision")
        list_caption.setBuddy(self.list)
        list_caption.setStyleSheet("font-weight: bold;")

        self.record_label = QLabel()
        self.record_label.setAccessibleName("Conflict record")
        self.record_label.setWordWrap(True)
        self.record_label.setTextFormat(Qt.TextFormat.PlainText)
        self.fields = QTableWidget(0, 3)
        self.fields.setAccessibleName("Differences between the two versions")
        self.fields.setHorizontalHeaderLabels(["Field", "This database", "The file"])
        self.fields.verticalHeader().hide()
        self.fields.setWordWrap(True)
        self.fields.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        fields_caption = QLabel("&Differences")
        fields_caption.setBuddy(self.fields)
        fields_caption.setStyleSheet("font-weight: bold;")

        self.keep_database = QPushButton("Keep this &database's version")
        self.keep_database.setAccessibleName("Keep this database's version")
        self.keep_file = QPushButton("Keep the &file's version")
        self.keep_file.setAccessibleName("Keep the file's version")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        for button in (self.keep_database, self.keep_file, self.close_button):
            button.setAutoDefault(False)
        self.keep_database.clicked.connect(lambda: self._decide("database"))
        self.keep_file.clicked.connect(lambda: self._decide("file"))
        self.close_button.clicked.connect(self.close)
        self.permission_note = QLabel()
        self.permission_note.setWordWrap(True)
        self.permission_note.hide()

        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(list_caption)
        left_column.addWidget(self.list, 1)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(8, 0, 0, 0)
        right_column.addWidget(self.record_label)
        right_column.addWidget(fields_caption)
        right_column.addWidget(self.fields, 1)
        choose = QHBoxLayout()
        choose.addWidget(self.keep_database)
        choose.addWidget(self.keep_file)
        choose.addStretch(1)
        right_column.addLayout(choose)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([470, 630])
        bottom = QHBoxLayout()
        bottom.addWidget(self.permission_note, 1)
        bottom.addStretch(0 if self.permission_note.isVisible() else 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.resize(1120, 580)
        self.reload()

    @property
    def can_decide(self) -> bool:
        db = self.context.db
        return not db.read_only and allowed(db.actor.role, "unit.merge")

    def reload(self, keep: int | None = None) -> None:
        try:
            conflicts = list_conflicts(self.context.db)
        except CuspDeskError as exc:
            conflicts = []
            self.record_label.setText(f"⚠ The conflicts could not be loaded: {exc}")
        self.model.set_rows(conflicts)
        for column in range(1, len(CONFLICT_COLUMNS)):
            self.list.resizeColumnToContents(column)
        if conflicts:
            row = self.model.row_of(keep) if keep is not None else -1
            self.list.selectRow(max(row, 0))
        self._show_current()

    def current(self) -> ConflictInfo | None:
        return self.model.row_at(self.list.currentIndex().row())

    def _show_current(self) -> None:
        conflict = self.current()
        if not self.can_decide:
            why = (
                "The database is open read-only, so nothing can be decided."
                if self.context.db.read_only
                else "Only the team leader can decide merge conflicts."
            )
            self.permission_note.setText(why)
            self.permission_note.show()
        enabled = conflict is not None and self.can_decide
        self.keep_database.setEnabled(enabled)
        self.keep_file.setEnabled(enabled)
        if conflict is None:
            if not self.model.rowCount():
                self.record_label.setText("No conflicts are waiting for a decision.")
            self.fields.setRowCount(0)
            return
        self.record_label.setText(
            f"{conflict.label}\nfrom {conflict.file_name}, found "
            f"{conflict.found_at:%Y-%m-%d %H:%M} UTC"
        )
        rows = conflict.differences
        self.fields.setRowCount(len(rows))
        for row, difference in enumerate(rows):
            for column, text in enumerate((difference.label, difference.database, difference.file)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.fields.setItem(row, column, item)
        if not rows:
            self.fields.setRowCount(1)
            self.fields.setItem(0, 0, QTableWidgetItem("(no field differs any more)"))
        self.fields.resizeRowsToContents()

    def _decide(self, keep: str) -> None:
        conflict = self.current()
        if conflict is None:
            return
        try:
            decide_conflict(self.context.db, conflict.id, keep)
        except CuspDeskError as exc:
            QMessageBox.warning(self, "Not decided", str(exc))
            self.reload(conflict.id)
            return
        side = "the file's" if keep == "file" else "this database's"
        self.context.status_message.emit(f"Kept {side} version of {conflict.label}.")
        self.context.changed(_SCREEN_KIND.get(conflict.entity, "unit"))
        self.reload()
