"""The audit trail screen: who changed what and when, filtered and paged by the service.

Read-only by design: the trail has no edit path in the app, and the database
refuses changes to it anyway. Double-clicking a row opens that record's history.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QIntValidator, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services import audit
from cuspdesk.services.audit import AuditPage, AuditQuery
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.record_history import show_history
from cuspdesk.ui.models.audit_rows import AuditRowsModel
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.widgets.fields import OptionalDateEdit
from cuspdesk.ui.worker import run_in_background

PAGE_SIZE = 200
ALL_KINDS = "All records"
ALL_USERS = "Everyone"


class AuditScreen(Screen):
    key = "audit"
    title = "Audit trail"
    record_kinds = ("issue", "meeting", "round", "assessment", "defect", "measure", "unit", "team")

    loaded = Signal()  # a page has been shown (tests and the status bar listen)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._offset = 0
        self._total = 0
        self._generation = 0
        self.model = AuditRowsModel(self)

        self.kind = QComboBox()
        self.kind.setAccessibleName("Record kind")
        self.kind.addItem(ALL_KINDS, None)
        for entity, label in sorted(audit.ENTITY_LABELS.items(), key=lambda e: e[1]):
            self.kind.addItem(label, entity)
        self.number = QLineEdit()
        self.number.setAccessibleName("Record number")
        self.number.setPlaceholderText("any")
        self.number.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.since = OptionalDateEdit("From date")
        self.until = OptionalDateEdit("To date")
        self.user = QComboBox()
        self.user.setAccessibleName("User")
        self.this_unit = QCheckBox("Only the current &unit")
        self.this_unit.setAccessibleName("Only the current unit")
        self.this_unit.setChecked(True)

        filters = QGridLayout()
        for column, (text, widget) in enumerate(
            [
                ("Record &kind", self.kind),
                ("Record &number", self.number),
                ("&From", self.since),
                ("&To", self.until),
                ("&User", self.user),
            ]
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            filters.addWidget(caption, 0, column)
            filters.addWidget(widget, 1, column)
        filters.addWidget(self.this_unit, 1, 5)
        filters.setColumnStretch(6, 1)
        self.number.setMaximumWidth(140)

        self.table = QTableView()
        self.table.setAccessibleName("Audit events")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((140, 100, 190, 120, 110, 130, 180)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._open_history)

        self.status = QLabel()
        self.status.setAccessibleName("Audit page")
        self.previous_button = QPushButton("&Previous page")
        self.previous_button.setAccessibleName("Previous page")
        self.next_button = QPushButton("Ne&xt page")
        self.next_button.setAccessibleName("Next page")
        self.history_button = QPushButton("&History of this record…")
        self.history_button.setAccessibleName("History of the selected record")
        self.previous_button.clicked.connect(lambda: self._go(-PAGE_SIZE))
        self.next_button.clicked.connect(lambda: self._go(PAGE_SIZE))
        self.history_button.clicked.connect(lambda: self._open_history(self.table.currentIndex()))
        paging = QHBoxLayout()
        paging.addWidget(self.status, 1)
        paging.addWidget(self.history_button)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)

        note = QLabel(
            "Every change to the unit's records, as it was saved. The trail cannot be edited."
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)

        for combo in (self.kind, self.user):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.number.textChanged.connect(self._filters_changed)
        self.since.valueChanged.connect(self._filters_changed)
        self.until.valueChanged.connect(self._filters_changed)
        self.this_unit.toggled.connect(self._filters_changed)
        QShortcut(QKeySequence.StandardKey.MoveToNextPage, self.table, lambda: self._go(PAGE_SIZE))
        QShortcut(
            QKeySequence.StandardKey.MoveToPreviousPage, self.table, lambda: self._go(-PAGE_SIZE)
        )

    # --- Screen contract ------------------------------------------------------------

    def refresh(self) -> None:
        self._load_users()
        self._load()

    def focus_search(self) -> None:
        self.number.setFocus()

    def open_record(self, record_id: int) -> None:
        """Show the trail of one issue (the id a link or the dashboard passes)."""
        self.kind.setCurrentIndex(max(0, self.kind.findData("safety_issue")))
        show_history(self, self.context, "safety_issue", record_id)

    # --- the query ------------------------------------------------------------------

    def query(self) -> AuditQuery:
        """What the filters ask for, as the service takes it."""
        number = self.number.text().strip()
        return AuditQuery(
            unit_id=self.context.unit_id if self.this_unit.isChecked() else None,
            entity=self.kind.currentData(),
            record_number=int(number) if number.isdecimal() else None,
            os_user=self.user.currentData(),
            since=self.since.value(),
            until=self.until.value(),
            offset=self._offset,
            limit=PAGE_SIZE,
        )

    def _filters_changed(self, *_args: object) -> None:
        self._offset = 0
        self._load()

    def _go(self, step: int) -> None:
        target = self._offset + step
        if 0 <= target < max(self._total, 1):
            self._offset = target
            self._load()

    def _load_users(self) -> None:
        try:
            users = audit.audit_users(self.context.db)
        except CuspDeskError as exc:
            self.context.status_message.emit(str(exc))
            return
        current = self.user.currentData()
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem(ALL_USERS, None)
        for name in users:
            self.user.addItem(name, name)
        index = self.user.findData(current)
        self.user.setCurrentIndex(max(index, 0))
        self.user.blockSignals(False)

    def _load(self) -> None:
        self._generation += 1
        generation = self._generation
        query = self.query()
        db = self.context.db
        self.status.setText("Loading…")
        run_in_background(
            lambda: audit.find_audit_events(db, query),
            on_done=lambda page: self._show(generation, page),
            on_error=self._failed,
        )

    def _show(self, generation: int, page: AuditPage) -> None:
        if generation != self._generation:
            return  # the filters changed while this page was loading
        self._total = page.total
        self.model.set_rows(page.rows)
        if page.total == 0:
            self.status.setText("No changes match these filters.")
        else:
            first = self._offset + 1
            last = self._offset + len(page.rows)
            self.status.setText(f"Changes {first:,}–{last:,} of {page.total:,}, newest first.")
        self.previous_button.setEnabled(self._offset > 0)
        self.next_button.setEnabled(self._offset + PAGE_SIZE < page.total)
        self.history_button.setEnabled(bool(page.rows))
        self.loaded.emit()

    def _failed(self, error: CuspDeskError) -> None:
        self.status.setText(f"The audit trail could not be read: {error}")
        self.loaded.emit()

    def _open_history(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.rows[index.row()]
        if row.entity_id is not None:
            show_history(self, self.context, row.entity, row.entity_id)
