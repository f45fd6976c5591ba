"""The tracking log: every issue of the unit, filtered and sorted by asking the service again."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.models import SOURCE_LABELS, STATUS_LABELS
from cuspdesk.services import units
from cuspdesk.services.issues import BulkResult, IssueQuery, change_status_many
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.bulk_status import BulkStatusDialog
from cuspdesk.ui.dialogs.issue_form import open_issue_form
from cuspdesk.ui.models.issue_table import COLUMN_KEYS, COLUMNS, IssueTableModel
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.widgets.busy import BusyIndicator
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.widgets.table_state import remember_column_widths
from cuspdesk.ui.worker import run_in_background

SEARCH_DELAY_MS = 300
ANY = "__any__"
ACTIVE = "__active__"
STARTING_WIDTHS = {
    "number": 55,
    "overdue": 160,
    "status": 95,
    "description": 380,
    "category": 110,
    "owner": 140,
    "target_date": 112,
    "date_identified": 95,
    "priority_rank": 50,
    "risk_score": 50,
    "source": 150,
    "location": 120,
}


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _labelled(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


# What a change to the team ("team") or to the unit's lists ("unit") is announced as.
FILTER_LIST_KINDS = ("team", "unit")
UNFILLED = object()


class TrackingLogScreen(Screen):
    key = "tracking_log"
    title = "Tracking log"
    record_kinds = ("issue",)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stale = True
        self._filling = False
        # The unit whose owners and categories the filter lists hold: refilled only when
        # the unit changes or its team or lists do, so opening the log stays quick.
        self._filters_for: int | None | object = UNFILLED
        self.model = IssueTableModel(context.db)

        heading = QLabel(f"<h2>{self.title}</h2>")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many issues are shown")
        self.busy = BusyIndicator("Loading the log…")
        self.new_button = QPushButton("&New issue")
        self.new_button.setAccessibleName("New issue")
        self.new_button.clicked.connect(self._new_issue)
        self.bulk_button = QPushButton("Change s&tatus of selected…")
        self.bulk_button.setAccessibleName("Change status of selected issues")
        self.bulk_button.clicked.connect(self._change_status_of_selected)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.count_label)
        top.addWidget(self.busy)
        top.addStretch(1)
        top.addWidget(self.bulk_button)
        top.addWidget(self.new_button)

        self.search = QLineEdit()
        self.search.setAccessibleName("Search the log")
        self.search.setPlaceholderText("Search descriptions, action plans and notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.status_filter = _combo("Status filter")
        self.category_filter = _combo("Category filter")
        self.owner_filter = _combo("Owner filter")
        self.source_filter = _combo("Source filter")
        self.overdue_only = QCheckBox("&Overdue only")
        self.overdue_only.setAccessibleName("Overdue only")
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        search_row = QHBoxLayout()
        search_row.addWidget(_labelled("F&ind:", self.search))
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.overdue_only)
        search_row.addWidget(self.clear_button)
        filters = QHBoxLayout()
        filters.addWidget(_labelled("&Status:", self.status_filter))
        filters.addWidget(self.status_filter)
        filters.addWidget(_labelled("Categor&y:", self.category_filter))
        filters.addWidget(self.category_filter)
        filters.addWidget(_labelled("O&wner:", self.owner_filter))
        filters.addWidget(self.owner_filter)
        filters.addWidget(_labelled("Sour&ce:", self.source_filter))
        filters.addWidget(self.source_filter)
        filters.addStretch(1)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem loading the log")
        self.problem.hide()
        self.empty_notice = QLabel(
            "No issue matches these filters. Use “Clear filters” to see the whole log."
        )
        self.empty_notice.setAccessibleName("Nothing matches")
        self.empty_notice.hide()

        self.table = RecordTable("Tracking log issues")
        self.table.setObjectName("tracking_log_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for column, key in enumerate(COLUMN_KEYS):
            self.table.setColumnWidth(column, STARTING_WIDTHS.get(key, 100))
        remember_column_widths(self.table, "tracking_log/issues")
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.row_activated.connect(self._open_row)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.problem)
        layout.addWidget(self.empty_notice)
        layout.addWidget(self.table, 1)

        self.model.loading_changed.connect(self._loading_changed)
        self.model.total_changed.connect(lambda _total: self._show_count())
        self.model.loaded.connect(self._show_rows_before_count)
        self.model.load_failed.connect(self._show_problem)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (
            self.status_filter,
            self.category_filter,
            self.owner_filter,
            self.source_filter,
        ):
            combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.overdue_only.toggled.connect(lambda _on: self._filter_changed())
        self._fill_fixed_filters()
        self._update_buttons()

    # --- Screen contract -------------------------------------------------------------

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if self._filters_for != self.context.unit_id:
            self._fill_unit_filters()
        self.apply_filters()

    def _on_data_changed(self, kind: str) -> None:
        if kind in FILTER_LIST_KINDS:
            self._filters_for = UNFILLED
        super()._on_data_changed(kind)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_record(self, record_id: int) -> None:
        self.context.open_record.emit("issue", record_id)

    # --- filters ---------------------------------------------------------------------

    def _fill_fixed_filters(self) -> None:
        self._filling = True
        self.status_filter.addItem("Any status", ANY)
        self.status_filter.addItem("Still open (not resolved or closed)", ACTIVE)
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, status.value)
        self.source_filter.addItem("Any source", ANY)
        for source, label in SOURCE_LABELS.items():
            self.source_filter.addItem(label, source.value)
        self._filling = False

    def _fill_unit_filters(self) -> None:
        unit_id = self.context.unit_id
        self._filling = True
        kept_category = self.category_filter.currentData()
        kept_owner = self.owner_filter.currentData()
        self.category_filter.clear()
        self.category_filter.addItem("Any category", ANY)
        self.owner_filter.clear()
        self.owner_filter.addItem("Anyone", ANY)
        if unit_id is not None:
            for choice in units.list_choices(
                self.context.db, units.CATEGORY_LIST, unit_id=unit_id, include_inactive=True
            ):
                self.category_filter.addItem(choice.label, choice.id)
            for member in units.list_team(self.context.db, unit_id, include_inactive=True):
                self.owner_filter.addItem(member.full_name, member.person_id)
        for combo, kept in ((self.category_filter, kept_category), (self.owner_filter, kept_owner)):
            index = combo.findData(kept)
            combo.setCurrentIndex(max(0, index))
        self._filling = False
        self._filters_for = unit_id

    def _filter_changed(self) -> None:
        if not self._filling:
            self.apply_filters()

    def current_query(self) -> IssueQuery:
        status = self.status_filter.currentData()
        category = self.category_filter.currentData()
        owner = self.owner_filter.currentData()
        source = self.source_filter.currentData()
        header = self.table.horizontalHeader()
        column = header.sortIndicatorSection()
        sort = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else "number"
        return IssueQuery(
            unit_id=self.context.unit_id,
            statuses=[status] if status not in (ANY, ACTIVE, None) else [],
            active_only=status == ACTIVE,
            category_ids=[category] if category not in (ANY, None) else [],
            owner_ids=[owner] if owner not in (ANY, None) else [],
            sources=[source] if source not in (ANY, None) else [],
            overdue_only=self.overdue_only.isChecked(),
            text=self.search.text(),
            sort=sort,
            descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        if self.context.unit_id is None:
            return
        self.problem.hide()
        self.model.set_query(self.current_query())

    def clear_filters(self) -> None:
        self._filling = True
        self.search.clear()
        for combo in (
            self.status_filter,
            self.category_filter,
            self.owner_filter,
            self.source_filter,
        ):
            combo.setCurrentIndex(0)
        self.overdue_only.setChecked(False)
        self._filling = False
        self.apply_filters()

    def show_overdue_only(self) -> None:
        """From the dashboard: every overdue issue, most overdue first."""
        self._filling = True
        self.search.clear()
        for combo in (
            self.status_filter,
            self.category_filter,
            self.owner_filter,
            self.source_filter,
        ):
            combo.setCurrentIndex(0)
        self.overdue_only.setChecked(True)
        self._filling = False
        self.table.horizontalHeader().setSortIndicator(
            COLUMN_KEYS.index("overdue"), Qt.SortOrder.AscendingOrder
        )
        self.apply_filters()

    def _sort_changed(self, _column: int, _order: Qt.SortOrder) -> None:
        if not self._filling:
            self.apply_filters()

    # --- feedback --------------------------------------------------------------------

    def _loading_changed(self, loading: bool) -> None:
        if loading:
            self.busy.start()
        else:
            self.busy.stop()

    def _show_count(self) -> None:
        total = self.model.total
        noun = "issue" if total == 1 else "issues"
        self.count_label.setText(f"{total:,} {noun}")
        self.empty_notice.setVisible(total == 0)

    def _show_rows_before_count(self) -> None:
        """A full first chunk is shown before it is counted: never beside the last count."""
        if self.model.loading:
            self.count_label.setText(f"{self.model.rowCount():,}+ issues, counting…")
            self.empty_notice.hide()

    def _show_problem(self, message: str) -> None:
        self.problem.setText(f"⚠ The log could not be loaded: {message}")
        self.problem.show()

    def _update_buttons(self) -> None:
        writable = not self.context.read_only and self.context.unit_id is not None
        self.new_button.setEnabled(writable)
        selected = len(self.table.selected_rows())
        self.bulk_button.setEnabled(writable and selected > 0)
        if self.context.read_only:
            tip = "The database is open read-only."
            self.new_button.setToolTip(tip)
            self.bulk_button.setToolTip(tip)
        else:
            self.bulk_button.setToolTip("Select one or more issues first." if not selected else "")

    # --- actions ---------------------------------------------------------------------

    def _open_row(self, row: int) -> None:
        self.context.open_record.emit("issue", self.model.row_at(row).id)

    def _new_issue(self) -> None:
        open_issue_form(self.context, None, unit_id=self.context.unit_id, parent=self.window())

    def _change_status_of_selected(self) -> None:
        rows = [self.model.row_at(r) for r in self.table.selected_rows()]
        if not rows:
            return
        dialog = BulkStatusDialog(len(rows), self)
        if not dialog.exec():
            return
        status, note = dialog.status(), dialog.note()
        numbers = {row.id: row.number for row in rows}
        db = self.context.db
        self.busy.start("Changing status…")
        self.bulk_button.setEnabled(False)
        run_in_background(
            lambda: change_status_many(db, list(numbers), status, note=note),
            on_done=lambda result: self._bulk_done(result, numbers),
            on_error=self._bulk_failed,
        )

    def _bulk_done(self, result: BulkResult, numbers: dict[int, int]) -> None:
        self.busy.stop()
        self.context.changed("issue")
        changed = len(result.changed)
        lines = [f"{changed} issue{'s' if changed != 1 else ''} changed."]
        if result.refused:
            lines.append(f"{len(result.refused)} not changed:")
            lines.extend(
                f"• Issue {numbers.get(issue_id, issue_id)}: {reason}"
                for issue_id, reason in sorted(
                    result.refused.items(), key=lambda item: numbers.get(item[0], 0)
                )
            )
        box = QMessageBox(
            QMessageBox.Icon.Warning if result.refused else QMessageBox.Icon.Information,
            "Status changed" if not result.refused else "Some issues were not changed",
            "\n".join(lines),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAccessibleName("Status change result")
        box.open()
        self.last_result_box = box
        self.context.status_message.emit(lines[0])

    def _bulk_failed(self, error: Exception) -> None:
        self.busy.stop()
        self._update_buttons()
        QMessageBox.warning(self, "Status not changed", str(error))
