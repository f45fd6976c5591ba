"""The concerns board: active issues in the team's priority order, and the risk matrix.

The order is the team's own (drag a row, or Ctrl+Up / Ctrl+Down); the computed
risk score stands beside it so the team can see where judgement and arithmetic
disagree. Clicking a cell of the likelihood × severity grid lists only its issues.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.issues import IssueRow, list_ranked, move_rank
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.ranked_issues import RankedIssueModel
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.widgets.busy import BusyIndicator
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.widgets.risk_matrix import RiskMatrix
from cuspdesk.ui.widgets.table_state import remember_column_widths
from cuspdesk.ui.worker import run_in_background

UNRATED = (-1, -1)
STARTING_WIDTHS = (45, 75, 40, 230, 145, 115, 90, 90, 80)


class ConcernsScreen(Screen):
    key = "concerns"
    title = "Concerns"
    record_kinds = ("issue",)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stale = True
        self._generation = 0
        self._all_rows: list[IssueRow] = []
        self._cell: tuple[int, int] | None = None
        self._select_after: int | None = None
        self.model = RankedIssueModel()
        self.model.move_requested.connect(self.move_issue)

        heading = QLabel(f"<h2>{self.title}</h2>")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many concerns")
        self.busy = BusyIndicator("Loading concerns…")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.count_label)
        top.addWidget(self.busy)
        top.addStretch(1)
        intro = QLabel(
            "Open issues in the order the team will work on them. Drag a row, or select it "
            "and press Ctrl+Up / Ctrl+Down, to change the order. Risk score = likelihood × "
            "severity."
        )
        intro.setWordWrap(True)

        self.filter_notice = QLabel()
        self.filter_notice.setAccessibleName("Matrix filter")
        self.show_all_button = QPushButton("Show &all concerns")
        self.show_all_button.setAccessibleName("Show all concerns")
        self.show_all_button.clicked.connect(self.show_all)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_notice, 1)
        filter_row.addWidget(self.show_all_button)
        self.filter_bar = QWidget()
        self.filter_bar.setLayout(filter_row)
        self.filter_bar.hide()

        self.table = RecordTable("Concerns in priority order")
        self.table.setObjectName("concerns_table")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(False)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(STARTING_WIDTHS):
            self.table.setColumnWidth(column, width)
        remember_column_widths(self.table, "concerns/ranked")
        self.table.row_activated.connect(self._open_row)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        self.up_button = QPushButton("Move u&p")
        self.up_button.setAccessibleName("Move up")
        self.up_button.setToolTip("Move the selected concern one place up (Ctrl+Up)")
        self.down_button = QPushButton("Move &down")
        self.down_button.setAccessibleName("Move down")
        self.down_button.setToolTip("Move the selected concern one place down (Ctrl+Down)")
        self.top_button = QPushButton("Move to &top")
        self.top_button.setAccessibleName("Move to top")
        self.top_button.setToolTip("Make the selected concern the first priority (Ctrl+Home)")
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open concern")
        self.open_button.setToolTip("Open the selected concern (Enter)")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.top_button.clicked.connect(self.move_selected_to_top)
        self.open_button.clicked.connect(self._open_current)
        for keys, slot in (
            ("Ctrl+Up", lambda: self.move_selected(-1)),
            ("Ctrl+Down", lambda: self.move_selected(1)),
            ("Ctrl+Home", self.move_selected_to_top),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        buttons = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.top_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)

        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(intro)
        left.addWidget(self.filter_bar)
        left.addWidget(self.table, 1)
        left.addLayout(buttons)

        self.matrix = RiskMatrix("Likelihood", "Severity")
        self.matrix.cell_chosen.connect(self._cell_chosen)
        self.unrated_button = QPushButton()
        self.unrated_button.setAccessibleName("Concerns not rated")
        self.unrated_button.clicked.connect(self._show_unrated)
        legend = QLabel(
            "Each cell shows how many open concerns have that likelihood and severity, and "
            "their score. Scores of 15 and over are high risk, 8 to 14 medium, under 8 low. "
            "Click a cell (or press Space on it) to list only those concerns; again to show "
            "all. Arrow keys move between cells."
        )
        legend.setWordWrap(True)
        matrix_box = QGroupBox("Likelihood × severity")
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.addWidget(self.matrix, 1)
        matrix_layout.addWidget(self.unrated_button)
        matrix_layout.addWidget(legend)
        matrix_layout.addStretch(1)
        matrix_box.setFixedWidth(self.matrix.sizeHint().width() + 30)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(matrix_box, 0)
        self._update_buttons()

    # --- Screen contract -------------------------------------------------------------

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        unit_id = self.context.unit_id
        if unit_id is None:
            return
        self._generation += 1
        generation = self._generation
        db = self.context.db
        self.busy.start()
        run_in_background(
            lambda: list_ranked(db, unit_id),
            on_done=lambda rows: self._arrived(generation, rows),
            on_error=lambda error: self._failed(generation, error),
        )

    def focus_search(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_record(self, record_id: int) -> None:
        self.context.open_record.emit("issue", record_id)

    # --- loading ---------------------------------------------------------------------

    def _arrived(self, generation: int, rows: list[IssueRow]) -> None:
        if generation != self._generation:
            return
        self.busy.stop()
        self._all_rows = rows
        counts = Counter(
            (r.likelihood, r.severity)
            for r in rows
            if r.likelihood is not None and r.severity is not None
        )
        self.matrix.set_counts(counts)
        unrated = sum(1 for r in rows if r.likelihood is None or r.severity is None)
        noun = "concern" if unrated == 1 else "concerns"
        self.unrated_button.setText(f"Not rated yet: {unrated} {noun}")
        self.unrated_button.setEnabled(unrated > 0)
        total = len(rows)
        self.count_label.setText(f"{total} open concern{'s' if total != 1 else ''}")
        self._show_rows()

    def _failed(self, generation: int, error: CuspDeskError) -> None:
        if generation != self._generation:
            return
        self.busy.stop()
        self.count_label.setText(f"⚠ Could not load the concerns: {error}")

    def _show_rows(self) -> None:
        keep = self._select_after
        if keep is None and self.table.currentIndex().isValid():
            keep = self.model.rows[self.table.currentIndex().row()].id
        cell = self._cell
        if cell is None:
            rows = self._all_rows
            self.filter_bar.hide()
        elif cell == UNRATED:
            rows = [r for r in self._all_rows if r.likelihood is None or r.severity is None]
            self.filter_notice.setText(f"Showing the {len(rows)} concerns not rated yet.")
            self.filter_bar.show()
        else:
            rows = [r for r in self._all_rows if (r.likelihood, r.severity) == cell]
            self.filter_notice.setText(
                f"Showing likelihood {cell[0]} × severity {cell[1]} "
                f"(score {cell[0] * cell[1]}): {len(rows)} concern{'s' if len(rows) != 1 else ''}."
            )
            self.filter_bar.show()
        self.model.set_rows(rows)
        self._select_after = None
        if keep is not None:
            row = self.model.row_of(keep)
            if row >= 0:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_buttons()

    def _cell_chosen(self, likelihood: int, severity: int) -> None:
        self._cell = None if (likelihood, severity) == (0, 0) else (likelihood, severity)
        self._show_rows()

    def show_all(self) -> None:
        self.matrix.choose(0, 0)

    def _show_unrated(self) -> None:
        self.matrix.choose(0, 0)
        self._cell = UNRATED
        self._show_rows()

    # --- moving ----------------------------------------------------------------------

    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def move_selected(self, offset: int) -> None:
        """Swap the selected concern with its neighbour in the list as shown."""
        row = self._current_row()
        target = row + offset
        if row < 0 or not 0 <= target < len(self.model.rows):
            return
        issue = self.model.rows[row]
        rank = self.model.rows[target].priority_rank
        if rank is not None:
            self.move_issue(issue.id, rank)

    def move_selected_to_top(self) -> None:
        row = self._current_row()
        if row > 0:
            self.move_issue(self.model.rows[row].id, 1)

    def move_issue(self, issue_id: int, rank: int) -> None:
        if self.context.read_only:
            return
        try:
            move_rank(self.context.db, issue_id, rank)
        except CuspDeskError as exc:
            QMessageBox.warning(self, "Order not changed", str(exc))
            return
        number = next((r.number for r in self._all_rows if r.id == issue_id), None)
        self._select_after = issue_id
        self._move_locally(issue_id, rank)
        self.context.changed("issue")
        if number is not None:
            self.context.status_message.emit(f"Issue {number} moved to priority {rank}.")

    def _move_locally(self, issue_id: int, rank: int) -> None:
        """Show the new order at once, so a second Ctrl+Up works on what is on screen;
        the reload that follows confirms it from the database."""
        rows = [r for r in self._all_rows if r.id != issue_id]
        moved = next((r for r in self._all_rows if r.id == issue_id), None)
        if moved is None:
            return
        rows.insert(max(0, min(rank - 1, len(rows))), moved)
        self._all_rows = [replace(r, priority_rank=n) for n, r in enumerate(rows, start=1)]
        self._show_rows()

    def _update_buttons(self) -> None:
        row = self._current_row()
        writable = not self.context.read_only
        self.up_button.setEnabled(writable and row > 0)
        self.down_button.setEnabled(writable and 0 <= row < len(self.model.rows) - 1)
        self.top_button.setEnabled(writable and row > 0)
        self.open_button.setEnabled(row >= 0)
        self.table.setDragEnabled(writable)

    # --- opening ---------------------------------------------------------------------

    def _open_row(self, row: int) -> None:
        self.context.open_record.emit("issue", self.model.rows[row].id)

    def _open_current(self) -> None:
        row = self._current_row()
        if row >= 0:
            self._open_row(row)
