"""The hospital view: every unit side by side, then what needs attention across them.

For the quality department. One line per unit (sortable, so fifty units stay
readable); below, the most overdue issues and the measures off target in every
unit. A row opens its record in its own unit: the unit picker follows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from cuspdesk.errors import CuspDeskError
from cuspdesk.services.hospital import (
    DUE_SOON_DAYS,
    HospitalOverview,
    MeasureStanding,
    OverdueIssue,
    UnitStanding,
    load_hospital_overview,
)
from cuspdesk.services.measure_charts import format_number, month_label
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.issue_table import first_line, overdue_text
from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.widgets.busy import BusyIndicator
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.widgets.table_state import remember_column_widths
from cuspdesk.ui.worker import run_in_background

# A column sized to its contents stops here, so one long unit name cannot push the rest away.
MAX_COLUMN_WIDTH = 220


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _harm_free(unit: UnitStanding) -> str:
    return "none recorded" if unit.harm_free_days is None else str(unit.harm_free_days)


def _measures_on_target(unit: UnitStanding) -> str:
    judged = unit.on_target + unit.off_target
    if not unit.measures:
        return "no measures"
    if not judged:
        return "no data or target"
    return f"{unit.on_target} of {judged}"


def _value(standing: MeasureStanding, value: float | None) -> str:
    if value is None:
        return ""
    return f"{format_number(value)} {standing.unit_label}".rstrip()


UNIT_COLUMNS: list[Column[UnitStanding]] = [
    Column("Unit", lambda u: u.name, stretch=True, tooltip=lambda u: u.hospital or u.name),
    Column("Open", lambda u: u.open, numeric=True, header_tip="Open issues"),
    Column(
        "Overdue",
        lambda u: f"⚠ {u.overdue}" if u.overdue else "0",
        sort_key=lambda u: u.overdue,
        numeric=True,
        header_tip="Open issues past their target date",
    ),
    Column(
        "Due soon",
        lambda u: u.due_soon,
        numeric=True,
        header_tip=f"Open issues due in the next {DUE_SOON_DAYS} days",
    ),
    Column(
        "For executive",
        lambda u: u.needs_executive,
        numeric=True,
        header_tip="Barriers waiting on the executive partner",
    ),
    Column(
        "Harm-free days",
        _harm_free,
        sort_key=lambda u: u.harm_free_days,
        numeric=True,
        header_tip="Days since the last event where harm reached a patient",
        tooltip=lambda u: (
            u.last_harm.title if u.last_harm is not None else "No harm event recorded"
        ),
    ),
    Column(
        "On target",
        _measures_on_target,
        sort_key=lambda u: (u.off_target, -u.on_target),
        header_tip="Measures whose latest month meets the target, of those with data and a target",
    ),
    Column(
        "Conflicts",
        lambda u: u.open_conflicts or "",
        sort_key=lambda u: u.open_conflicts,
        numeric=True,
        header_tip="Records changed both here and in a merged unit file, waiting for a decision",
    ),
]

OVERDUE_COLUMNS: list[Column[OverdueIssue]] = [
    Column("Unit", lambda o: o.unit_name),
    Column("Issue", lambda o: o.issue.number, numeric=True),
    Column(
        "Description",
        lambda o: first_line(o.issue.description),
        stretch=True,
        tooltip=lambda o: o.issue.description,
    ),
    Column("Owner", lambda o: o.issue.owner),
    Column("Target date", lambda o: o.issue.target_date),
    Column(
        "Overdue",
        lambda o: overdue_text(o.issue.days_overdue),
        sort_key=lambda o: o.issue.days_overdue,
    ),
]

MEASURE_COLUMNS: list[Column[MeasureStanding]] = [
    Column("Unit", lambda m: m.unit_name),
    Column("Measure", lambda m: m.name, stretch=True),
    Column(
        "Latest month",
        lambda m: month_label(m.latest_period) if m.latest_period else "",
        sort_key=lambda m: m.latest_period,
    ),
    Column("Latest", lambda m: _value(m, m.latest_value), sort_key=lambda m: m.latest_value),
    Column("Target", lambda m: _value(m, m.target), sort_key=lambda m: m.target),
    Column("Better when", lambda m: "lower" if m.direction == "down" else "higher"),
]


class HospitalScreen(Screen):
    key = "hospital"
    title = "Hospital view"
    record_kinds = ()

    # Asks the main window for another screen (a unit's dashboard).
    show_screen_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stale = True
        self._generation = 0
        self.data: HospitalOverview | None = None

        self.heading = QLabel(f"<h2>{self.title}</h2>")
        self.heading.setAccessibleName("Hospital view heading")
        self.summary = QLabel()
        self.summary.setAccessibleName("Hospital summary")
        self.summary.setWordWrap(True)
        self.busy = BusyIndicator("Loading…")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.busy)
        top.addStretch(1)

        self.unit_model: PlainRowsModel[UnitStanding] = PlainRowsModel(
            UNIT_COLUMNS, lambda u: u.unit_id
        )
        self.overdue_model: PlainRowsModel[OverdueIssue] = PlainRowsModel(
            OVERDUE_COLUMNS, lambda o: o.issue.id
        )
        self.measure_model: PlainRowsModel[MeasureStanding] = PlainRowsModel(
            MEASURE_COLUMNS, lambda m: m.measure_id
        )
        self.unit_table = self._table("Units", self.unit_model)
        self.overdue_table = self._table("Most overdue issues across units", self.overdue_model)
        self.measure_table = self._table("Measures off target", self.measure_model)
        self.unit_table.row_activated.connect(self._open_unit)
        self.overdue_table.row_activated.connect(self._open_issue)
        self.measure_table.row_activated.connect(self._open_measure)
        # Units by name; the most overdue first; measures by unit.
        self.unit_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.overdue_table.sortByColumn(len(OVERDUE_COLUMNS) - 1, Qt.SortOrder.DescendingOrder)
        self.measure_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self._sized = False
        self.tables = (self.unit_table, self.overdue_table, self.measure_table)
        for table, key in zip(
            self.tables, ("hospital/units", "hospital/overdue", "hospital/measures"), strict=True
        ):
            remember_column_widths(table, key)

        self.overdue_caption = QLabel("Most &overdue issues across units")
        self.measure_caption = QLabel("&Measures off target")
        units_caption = QLabel("&Units (Enter opens the unit's dashboard)")
        for caption, table in (
            (units_caption, self.unit_table),
            (self.overdue_caption, self.overdue_table),
            (self.measure_caption, self.measure_table),
        ):
            caption.setBuddy(table)
            caption.setStyleSheet("font-weight: bold;")

        # One above the other, each the full width: long unit names and descriptions
        # stay readable; the splitter lets a person give any of them more room.
        panes = QSplitter(Qt.Orientation.Vertical)
        panes.setChildrenCollapsible(False)
        panes.addWidget(self._panel(units_caption, self.unit_table))
        panes.addWidget(self._panel(self.overdue_caption, self.overdue_table))
        panes.addWidget(self._panel(self.measure_caption, self.measure_table))
        panes.setSizes([260, 260, 150])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addWidget(panes, 1)

    @staticmethod
    def _table(name: str, model: PlainRowsModel[Any]) -> RecordTable:
        table = RecordTable(name)
        table.setModel(model)
        table.setSortingEnabled(True)
        table.setSelectionMode(RecordTable.SelectionMode.SingleSelection)
        for column, spec in enumerate(model.columns):
            if spec.stretch:
                table.horizontalHeader().setSectionResizeMode(
                    column, table.horizontalHeader().ResizeMode.Stretch
                )
        return table

    @staticmethod
    def _panel(caption: QLabel, table: RecordTable) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(caption)
        column.addWidget(table, 1)
        return panel

    # --- Screen contract -------------------------------------------------------------

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._generation += 1
        generation = self._generation
        db = self.context.db
        self.busy.start()
        run_in_background(
            lambda: load_hospital_overview(db),
            on_done=lambda data: self._arrived(generation, data),
            on_error=lambda error: self._failed(generation, error),
        )

    def _on_unit_changed(self) -> None:
        """The view covers every unit: choosing another one changes nothing here."""

    def _on_data_changed(self, kind: str) -> None:
        self.refresh_when_shown()

    # --- drawing ---------------------------------------------------------------------

    def _failed(self, generation: int, error: CuspDeskError) -> None:
        if generation != self._generation:
            return
        self.busy.stop()
        self.problem.setText(f"⚠ The hospital view could not be loaded: {error}")
        self.problem.show()

    def _arrived(self, generation: int, data: HospitalOverview) -> None:
        if generation != self._generation:
            return
        self.busy.stop()
        self.problem.hide()
        self.data = data
        day = data.on.strftime("%A %d %B %Y").replace(" 0", " ")
        self.heading.setText(f"<h2>{self.title}</h2>{day}")
        self.summary.setText(
            f"{_plural(len(data.units), 'unit')} · {_plural(data.open, 'open issue')} · "
            f"{data.overdue} overdue · {_plural(len(data.off_target), 'measure')} off target"
        )
        shown = len(data.most_overdue)
        self.overdue_caption.setText(
            "Most &overdue issues across units"
            + (
                f" (the {shown} most overdue of {data.overdue_total})"
                if data.overdue_total > shown
                else ""
            )
        )
        self.unit_model.set_rows(data.units)
        self.overdue_model.set_rows(data.most_overdue)
        self.measure_model.set_rows(data.off_target)
        if not self._sized:  # once: afterwards the widths are the person's own
            self._sized = True
            for table in self.tables:
                self._fit_columns(table)

    @staticmethod
    def _fit_columns(table: RecordTable) -> None:
        header = table.horizontalHeader()
        for column in range(header.count()):
            if header.sectionResizeMode(column) != header.ResizeMode.Stretch:
                table.resizeColumnToContents(column)
                header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_WIDTH))

    # --- opening records in their unit ------------------------------------------------

    def _open_unit(self, row: int) -> None:
        unit = self.unit_model.row_at(row)
        if unit is not None:
            self.context.set_unit(unit.unit_id)
            self.show_screen_requested.emit("dashboard")

    def _open_issue(self, row: int) -> None:
        item = self.overdue_model.row_at(row)
        if item is not None:
            self.context.set_unit(item.unit_id)
            self.context.open_record.emit("issue", item.issue.id)

    def _open_measure(self, row: int) -> None:
        item = self.measure_model.row_at(row)
        if item is not None:
            self.context.set_unit(item.unit_id)
            self.context.open_record.emit("measure", item.measure_id)
