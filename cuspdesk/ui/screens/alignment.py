"""Strategic alignment screen: a matrix of the unit's aims and goals against its work.

Rows are the aims, each followed by its goals; columns are the measures, then the
active issues by category. Marks are shapes and numbers, so the matrix reads the
same in black and white: ● the measure serves the aim, ◆ the goal is read off that
measure, a number counts the aim's active issues in that category. Activating a
cell opens what it points at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.alignment import (
    AimRow,
    Alignment,
    GoalState,
    GoalStatus,
    Link,
    gather_alignment,
    issues_in_cell,
)
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.worker import run_in_background

SERVES_MARK = "●"
GOAL_MARK = "◆"
STATE_MARKS = {
    GoalState.ON_TRACK: "✓",
    GoalState.NOT_ON_TRACK: "✗",
    GoalState.NOT_MEASURED: "–",
    GoalState.NO_DATA: "–",
    GoalState.NO_TARGET: "–",
}
STATE_COLOURS = {GoalState.ON_TRACK: QColor("#1E6B34"), GoalState.NOT_ON_TRACK: QColor("#9B1C1C")}
AIM_FILL = QColor("#E9EEF4")
_Index = QModelIndex | QPersistentModelIndex
LEGEND = (
    f"{SERVES_MARK} the measure serves the aim · {GOAL_MARK} the goal is read off the measure · "
    "numbers: the aim's active issues in each category. Select a cell and press Enter, or "
    "click it, to open what it points at."
)


@dataclass(frozen=True)
class _Row:
    kind: str  # "aim", "goal" or "unlinked"
    aim: AimRow | None = None
    goal: GoalStatus | None = None


class AlignmentModel(QAbstractTableModel):
    """The matrix as a table: column 0 names the aim or goal, then measures, then categories."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_: Alignment | None = None
        self.rows: list[_Row] = []

    def set_alignment(self, data: Alignment | None) -> None:
        self.beginResetModel()
        self.data_ = data
        self.rows = []
        if data is not None:
            for aim in data.aims:
                self.rows.append(_Row("aim", aim))
                self.rows += [_Row("goal", aim, g) for g in aim.goals]
            if data.unlinked_measures or any(data.unlinked_issue_counts):
                self.rows.append(_Row("unlinked"))
        self.endResetModel()

    # --- what a column is ------------------------------------------------------------

    def measure_count(self) -> int:
        return len(self.data_.measures) if self.data_ is not None else 0

    def column_kind(self, column: int) -> tuple[str, int]:
        """("name", 0), ("measure", i) or ("category", i)."""
        if column == 0:
            return "name", 0
        if column <= self.measure_count():
            return "measure", column - 1
        return "category", column - 1 - self.measure_count()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.data_ is None:
            return 0
        return 1 + len(self.data_.measures) + len(self.data_.categories)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.data_ is None:
            return None
        kind, i = self.column_kind(section)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if kind == "name":
                return "Aim, the target above it, and its goals"
            if kind == "measure":
                return f"Measure: {self.data_.measures[i].name}"
            return f"Issues: {self.data_.categories[i].label}"
        return None

    def data(
        self,
        index: _Index,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or self.data_ is None:
            return None
        row = self.rows[index.row()]
        kind, i = self.column_kind(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, kind, i)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._sentence(row, kind, i)
        if role == Qt.ItemDataRole.FontRole and row.kind in ("aim", "unlinked") and kind == "name":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.kind in ("aim", "unlinked"):
            return QBrush(AIM_FILL)
        if role == Qt.ItemDataRole.ForegroundRole and row.goal is not None and kind == "name":
            colour = STATE_COLOURS.get(row.goal.state)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if kind == "name":
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, row: _Row, kind: str, i: int) -> str:
        assert self.data_ is not None
        if kind == "name":
            if row.kind == "unlinked":
                return "Not linked to any aim"
            if row.goal is not None:
                g = row.goal
                detail = f" · {g.detail}" if g.detail else ""
                return f"Goal: {g.description}\n{STATE_MARKS[g.state]} {g.state_words}{detail}"
            assert row.aim is not None
            above = f"\nSits under: {row.aim.external_target}" if row.aim.external_target else ""
            return f"Aim: {row.aim.title}{above}"
        if kind == "measure":
            measure = self.data_.measures[i]
            if row.kind == "unlinked":
                return "○" if measure in self.data_.unlinked_measures else ""
            if row.goal is not None:
                return GOAL_MARK if row.goal.measure_id == measure.measure_id else ""
            assert row.aim is not None
            link = self.data_.link(row.aim.aim_id, measure.measure_id)
            return SERVES_MARK if link in (Link.SERVES, Link.BOTH) else ""
        count = self._count(row, i)
        return f"{count:,}" if count else ""

    def _count(self, row: _Row, i: int) -> int:
        assert self.data_ is not None
        if row.kind == "unlinked":
            return self.data_.unlinked_issue_counts[i]
        if row.kind == "aim" and row.aim is not None:
            return row.aim.issue_counts[i]
        return 0

    def _sentence(self, row: _Row, kind: str, i: int) -> str:
        """The cell in words, for screen readers and tooltips."""
        assert self.data_ is not None
        text = self._text(row, kind, i)
        if kind == "name":
            return text.replace("\n", ". ")
        subject = (
            "no aim"
            if row.kind == "unlinked"
            else f"the goal “{row.goal.description}”"
            if row.goal is not None
            else f"the aim “{row.aim.title}”"
            if row.aim is not None
            else ""
        )
        if kind == "measure":
            name = self.data_.measures[i].name
            if not text:
                return f"{name} is not linked to {subject}."
            if row.kind == "unlinked":
                return f"{name} serves no aim and tracks no goal."
            if row.goal is not None:
                return f"{subject[0].upper()}{subject[1:]} is read off {name}."
            return f"{name} serves {subject}."
        category = self.data_.categories[i].label
        count = self._count(row, i)
        if row.kind == "goal":
            return f"Issues are counted on the aim's row ({category})."
        issues_word = "active issue" if count == 1 else "active issues"
        return f"{count:,} {issues_word} in {category} linked to {subject}."

    def cell_target(self, index: QModelIndex) -> tuple[str, int | None, int | None]:
        """What activating a cell opens: ("unit", None, None), ("measure", id, None),
        ("issues", aim_id or None, category_id or None) or ("", None, None)."""
        if not index.isValid() or self.data_ is None:
            return "", None, None
        row = self.rows[index.row()]
        kind, i = self.column_kind(index.column())
        if kind == "name":
            return ("unit", None, None) if row.kind != "unlinked" else ("", None, None)
        if kind == "measure":
            return "measure", self.data_.measures[i].measure_id, None
        if row.kind == "goal" or self._count(row, i) == 0:
            return "", None, None
        aim_id = row.aim.aim_id if row.aim is not None else None
        return "issues", aim_id, self.data_.categories[i].category_id


class RotatedHeader(QHeaderView):
    """Column titles written upwards, so a dozen narrow matrix columns fit on the screen."""

    MAX_TEXT = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)

    def sizeHint(self) -> QSize:
        size = super().sizeHint()
        model = self.model()
        widest = 0
        if model is not None:
            for section in range(1, model.columnCount()):
                text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                widest = max(widest, self.fontMetrics().horizontalAdvance(text))
        size.setHeight(min(widest, self.MAX_TEXT) + 16 if widest else size.height())
        return size

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:
        if logical_index == 0:
            super().paintSection(painter, rect, logical_index)
            return
        painter.save()
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logical_index
        self.style().drawControl(QStyle.ControlElement.CE_HeaderSection, option, painter, self)
        model = self.model()
        text = str(model.headerData(logical_index, Qt.Orientation.Horizontal) or "")
        text = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.height() - 12)
        painter.translate(
            rect.center().x() + self.fontMetrics().ascent() / 2 - 2, rect.bottom() - 6
        )
        painter.rotate(-90)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(0, 0, text)
        painter.restore()


class AlignmentScreen(Screen):
    key = "alignment"
    title = "Strategic alignment"
    record_kinds = ("unit", "measure", "issue")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stale = True
        heading = QLabel(f"<h2>{self.title}</h2>")
        self.summary = QLabel()
        self.summary.setAccessibleName("Alignment summary")
        self.summary.setWordWrap(True)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        legend.setAccessibleName("How to read the matrix")
        self.problem = QLabel()
        self.problem.setAccessibleName("Problem loading the alignment")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.model = AlignmentModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Strategic alignment matrix")
        self.table.setHorizontalHeader(RotatedHeader(self.table))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.clicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        self.table.selectionModel().currentChanged.connect(
            lambda current, _previous: self._show_cell(current)
        )

        self.cell_title = QLabel("Select a count of issues to list them here.")
        self.cell_title.setWordWrap(True)
        self.cell_issues = QListWidget()
        self.cell_issues.setAccessibleName("Issues in the selected cell")
        self.cell_issues.setWordWrap(True)
        self.cell_title.setBuddy(self.cell_issues)
        self.cell_issues.itemActivated.connect(self._open_issue)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.cell_title)
        side_layout.addWidget(self.cell_issues)

        # the issues of a cell go under the matrix, so the matrix keeps the full width
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([520, 180])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(legend)
        layout.addWidget(self.problem)
        layout.addWidget(splitter, 1)
        self._loading = False

    # --- Screen contract -------------------------------------------------------------

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        unit_id = self.context.unit_id
        if unit_id is None:
            self.model.set_alignment(None)
            self.summary.setText("Choose a unit to see its aims.")
            return
        db = self.context.db
        self._loading = True
        run_in_background(
            lambda: gather_alignment(db, unit_id), on_done=self._loaded, on_error=self._failed
        )

    def open_record(self, record_id: int) -> None:
        self.refresh()

    @property
    def loading(self) -> bool:
        return self._loading

    # --- loading ---------------------------------------------------------------------

    def _loaded(self, data: Alignment) -> None:
        self._loading = False
        self.problem.hide()
        self.model.set_alignment(data)
        self.summary.setText(_summary(data))
        self._size_columns()
        self.cell_issues.clear()

    def _failed(self, error: CuspDeskError) -> None:
        self._loading = False
        self.problem.setText(f"The alignment could not be loaded: {error}")
        self.problem.show()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 380)
        for column in range(1, self.model.columnCount()):
            self.table.setColumnWidth(column, 44)
        header.updateGeometry()
        self.table.resizeRowsToContents()

    # --- cells -----------------------------------------------------------------------

    def _activate(self, index: QModelIndex) -> None:
        what, first, second = self.model.cell_target(index)
        data = self.model.data_
        if data is None or not what:
            return
        if what == "unit":
            self.context.open_record.emit("unit", data.unit_id)
        elif what == "measure" and first is not None:
            self.context.open_record.emit("measure", first)
        elif what == "issues":
            self._show_cell(index)
            if self.cell_issues.count() == 1 and self.cell_issues.item(0).data(
                Qt.ItemDataRole.UserRole
            ):
                self._open_issue(self.cell_issues.item(0))
            else:
                self.cell_issues.setFocus(Qt.FocusReason.OtherFocusReason)
                self.cell_issues.setCurrentRow(0)

    def _show_cell(self, index: QModelIndex) -> None:
        what, aim_id, category_id = self.model.cell_target(index)
        data = self.model.data_
        if what != "issues" or data is None:
            return
        try:
            refs, total = issues_in_cell(self.context.db, data.unit_id, aim_id, category_id)
        except CuspDeskError as error:
            self.cell_title.setText(f"The issues could not be listed: {error}")
            return
        self.cell_title.setText(str(self.model.data(index, Qt.ItemDataRole.AccessibleTextRole)))
        self.cell_issues.clear()
        for ref in refs:
            item = QListWidgetItem(ref.label)
            item.setData(Qt.ItemDataRole.UserRole, ref.issue_id)
            self.cell_issues.addItem(item)
        if total > len(refs):
            more = QListWidgetItem(f"…and {total - len(refs):,} more in the tracking log")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.cell_issues.addItem(more)

    def _open_issue(self, item: QListWidgetItem) -> None:
        issue_id = item.data(Qt.ItemDataRole.UserRole)
        if issue_id:
            self.context.open_record.emit("issue", int(issue_id))


def _summary(data: Alignment) -> str:
    goals = [g for a in data.aims for g in a.goals]
    on_track = sum(1 for g in goals if g.state is GoalState.ON_TRACK)
    linked = sum(a.active_issues for a in data.aims)
    unlinked = sum(data.unlinked_issue_counts)
    if not data.aims:
        return (
            "No strategic aims yet: add them under Team & unit, then link measures and "
            "issues to them."
        )
    parts = [
        f"{len(data.aims)} {'aim' if len(data.aims) == 1 else 'aims'}",
        f"{len(goals)} {'goal' if len(goals) == 1 else 'goals'} ({on_track} on track)",
        f"{linked:,} active issues linked to an aim",
    ]
    if unlinked:
        parts.append(f"{unlinked:,} not linked to any aim")
    if data.unlinked_measures:
        n = len(data.unlinked_measures)
        parts.append(f"{n} {'measure' if n == 1 else 'measures'} not linked")
    return " · ".join(parts) + "."
