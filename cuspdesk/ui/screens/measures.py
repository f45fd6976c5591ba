"""Measures: define what the unit counts, and type in each month's numbers.

The table shows the value each month works out to (a rate, a proportion or a
count) as the briefing and the charts will use it; a month can be left out of
the centre line and limits with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from cuspdesk.chart_kinds import CHART_KINDS, RULE_SETS
from cuspdesk.errors import ConflictError, CuspDeskError, Problem, ValidationError
from cuspdesk.models import MeasureKind
from cuspdesk.services import measures, units
from cuspdesk.services.measures import (
    KIND_LABELS,
    MeasureFields,
    MeasureInfo,
    PointInfo,
)
from cuspdesk.services.validation import parse_number, today
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel, display_text
from cuspdesk.ui.screens.list_form import ListFormScreen
from cuspdesk.ui.widgets.change_watcher import ChangeWatcher
from cuspdesk.ui.widgets.fields import PickList
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.measure_chart_panel import MeasureChartPanel
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.widgets.text_area import TextArea

CHART_LABELS = {
    "run": "Run chart",
    "p": "p chart (proportions)",
    "u": "u chart (rates)",
    "c": "c chart (counts)",
    "i": "I chart (single values)",
    "g": "g chart (cases between events)",
    "t": "t chart (time between events)",
}
RULE_LABELS = {
    "ihi": "IHI run chart rules",
    "anhoej": "Anhøj rules",
    "we": "Western Electric rules",
    "mdc": "NHS Making Data Count rules",
}
RUN_CHART_RULES = ("ihi", "anhoej")
NEEDS_DENOMINATOR = {MeasureKind.RATE.value, MeasureKind.PROPORTION.value}

COLUMNS: list[Column[MeasureInfo]] = [
    Column(
        "Measure", lambda m: m.fields.name, stretch=True, tooltip=lambda m: m.fields.description
    ),
    Column("Kind", lambda m: KIND_LABELS.get(m.fields.kind, m.fields.kind)),
    Column("Latest month", lambda m: m.latest_period.strftime("%Y-%m") if m.latest_period else ""),
    Column("Latest", lambda m: m.latest_value, numeric=True),
]

POINT_COLUMNS: list[Column[PointInfo]] = [
    Column("Month", lambda p: p.period.strftime("%Y-%m"), sort_key=lambda p: p.period),
    Column("Numerator", lambda p: p.numerator, numeric=True),
    Column("Denominator", lambda p: p.denominator, numeric=True),
    Column("Value", lambda p: p.value, numeric=True, header_tip="What the month works out to"),
    Column("Left out", lambda p: "Left out" if p.excluded else ""),
    Column("Reason / note", lambda p: p.exclude_reason or p.note, stretch=True),
]


def number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}" if abs(value) < 1e15 else str(value)


class MeasuresScreen(ListFormScreen):
    key = "measures"
    title = "Measures"
    record_kinds = ("measure",)
    related_kinds = ("unit",)
    noun = "measure"
    plural = "measures"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, COLUMNS, lambda m: m.id, parent)
        self._ratio_entry = False
        self.month_watcher = ChangeWatcher(self)
        self.month_watcher.changed.connect(self._update_state)
        errors = self.errors

        # --- definition ---------------------------------------------------------------
        what = self.what_section = FormSection("What is measured", errors)
        self.measure_name = QLineEdit()
        self.kind = QComboBox()
        for value, label in KIND_LABELS.items():
            self.kind.addItem(label, value)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.description = TextArea("Description", lines=2)
        self.unit_label = QLineEdit()
        self.unit_label.setPlaceholderText("e.g. per 1,000 patient-days")
        self.numerator_label = QLineEdit()
        self.numerator_label.setPlaceholderText("e.g. Falls with injury")
        self.denominator_label = QLineEdit()
        self.denominator_label.setPlaceholderText("e.g. Patient-days")
        self.multiplier = QLineEdit()
        what.add("Na&me:", self.measure_name, "name")
        what.add("&Kind:", self.kind, "kind")
        what.add("&Description:", self.description, "description")
        what.add("Unit of measure:", self.unit_label, "unit_label")
        what.add("Numerator counts:", self.numerator_label, "numerator_label")
        what.add("Denominator counts:", self.denominator_label, "denominator_label")
        what.add(
            "Rate per:",
            self.multiplier,
            "multiplier",
            hint="A rate is numerator ÷ denominator × this (1000 for per 1,000 patient-days).",
        )
        self.multiplier.setAccessibleName("Rate per")

        judged = FormSection("How it is judged", errors)
        self.direction = QComboBox()
        self.direction.addItem("Lower is better", "down")
        self.direction.addItem("Higher is better", "up")
        self.target = QLineEdit()
        self.chart_kind = QComboBox()
        for value in CHART_KINDS:
            self.chart_kind.addItem(CHART_LABELS[value], value)
        self.chart_kind.currentIndexChanged.connect(lambda _i: self._offer_rules())
        self.rule_set = QComboBox()
        self.aim = PickList("Strategic aim", empty_label="— none —")
        self.key_measure = QCheckBox("Key measure: show it in briefings and summaries")
        judged.add("&Better when:", self.direction, "direction")
        judged.add("&Target:", self.target, "target")
        judged.add("Chart t&ype:", self.chart_kind, "chart_kind")
        judged.add("&Rules:", self.rule_set, "rule_set")
        judged.add("Strategic &aim:", self.aim, "aim_id")
        judged.add_wide(self.key_measure, "key_measure")

        # --- monthly values -------------------------------------------------------------
        self.values_section = FormSection("Monthly values", errors)
        # the months are left out or put back with the controls under the table
        self.chart_panel = MeasureChartPanel(context, exclusion_button=False)
        self.chart_panel.setMinimumHeight(380)
        self.values_section.add_wide(self.chart_panel)

        self.month = QDateEdit()
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.month.setAccessibleName("Month")
        self.numerator = QLineEdit()
        self.denominator = QLineEdit()
        self.value = QLineEdit()
        self.note = QLineEdit()
        self.values_section.add("M&onth:", self.month, "period")
        self.values_section.add("Numerator:", self.numerator, "numerator")
        self.values_section.add("Denominator:", self.denominator, "denominator")
        self.values_section.add("Value:", self.value, "value")
        self.values_section.add("Note:", self.note, "note")
        self.save_month_button = QPushButton("Sa&ve this month")
        self.save_month_button.setAccessibleName("Save this month")
        self.save_month_button.clicked.connect(self.save_month)
        save_row = QWidget()
        save_line = QHBoxLayout(save_row)
        save_line.setContentsMargins(0, 0, 0, 0)
        save_line.addWidget(self.save_month_button)
        save_line.addStretch(1)
        self.values_section.add_wide(save_row)

        self.points_model: PlainRowsModel[PointInfo] = PlainRowsModel(POINT_COLUMNS, lambda p: p.id)
        self.points = RecordTable("Monthly values")
        self.points.setModel(self.points_model)
        self.points.setSelectionMode(RecordTable.SelectionMode.SingleSelection)
        self.points.setMinimumHeight(220)
        self.points.horizontalHeader().setStretchLastSection(True)
        self.points.selectionModel().currentRowChanged.connect(lambda *_: self._point_chosen())
        self.values_section.add_wide(self.points)
        self.exclude_reason = QLineEdit()
        self.exclude_reason.setPlaceholderText("Why this month is left out (e.g. data incomplete)")
        self.exclude_button = QPushButton("&Leave the month out")
        self.exclude_button.setAccessibleName("Leave the selected month out of the limits")
        self.exclude_button.clicked.connect(lambda: self._exclude(True))
        self.include_button = QPushButton("&Put it back")
        self.include_button.setAccessibleName("Put the selected month back")
        self.include_button.clicked.connect(lambda: self._exclude(False))
        self.values_section.add(
            "Reason to leave out:",
            self.exclude_reason,
            "exclude_reason",
            hint="A month left out stays on the chart but not in its centre line and limits.",
        )
        exclude_row = QWidget()
        exclude_buttons = QHBoxLayout(exclude_row)
        exclude_buttons.setContentsMargins(0, 0, 0, 0)
        exclude_buttons.addWidget(self.exclude_button)
        exclude_buttons.addWidget(self.include_button)
        exclude_buttons.addStretch(1)
        self.values_section.add_wide(exclude_row)

        for section in (self.values_section, what, judged):
            self.form_layout.addWidget(section)
        self.form_layout.addStretch(1)
        self.watcher.watch(
            self.measure_name,
            self.kind,
            self.description,
            self.unit_label,
            self.numerator_label,
            self.denominator_label,
            self.multiplier,
            self.direction,
            self.target,
            self.chart_kind,
            self.rule_set,
            self.aim,
            self.key_measure,
        )
        self.month_watcher.watch(self.numerator, self.denominator, self.value, self.note)

    # --- the chart's place -------------------------------------------------------------

    def show_chart(self, measure: MeasureInfo | None, points: Sequence[PointInfo]) -> None:
        """Chart the measure shown (its months were just loaded or saved)."""
        self.chart_panel.show_measure(measure.id if measure is not None else None)

    # --- ListFormScreen ---------------------------------------------------------------

    def fetch_rows(self, unit_id: int, text: str) -> Sequence[MeasureInfo]:
        rows = measures.list_measures(self.context.db, unit_id)
        wanted = text.strip().casefold()
        if not wanted:
            return rows
        return [
            m
            for m in rows
            if wanted in m.fields.name.casefold() or wanted in m.fields.description.casefold()
        ]

    def reload_options(self, unit_id: int) -> None:
        aims = units.list_aims(self.context.db, unit_id)
        self.aim.set_items([(a.id, a.title) for a in aims])

    def first_field(self) -> QWidget | None:
        return self.measure_name

    def heading_for(self, record_id: int | None) -> str:
        if record_id is None:
            return "New measure"
        row = self.browser.row_for(record_id)
        return row.fields.name if row is not None else "Measure"

    def has_unsaved_changes(self) -> bool:
        return self.watcher.dirty or self.month_watcher.dirty

    def forget_edits(self) -> None:
        super().forget_edits()
        self.month_watcher.mark_clean()

    def save_changes(self) -> bool:
        """Save the definition if it changed, then a month typed but not yet saved."""
        if self.watcher.dirty or self.current_id is None:
            month_typed = self.month_watcher.dirty
            if not super().save_changes():
                return False
            if not month_typed:
                return True
        return self.save_month() if self.month_watcher.dirty else True

    def fill_new(self, unit_id: int) -> None:
        self._fill_definition(MeasureFields(name=""))
        self._set_points(None, [])
        self.values_section.setVisible(False)

    def fill_record(self, record_id: int) -> None:
        info = measures.get_measure(self.context.db, record_id)
        self.current_version = info.version
        self._fill_definition(info.fields)
        self.values_section.setVisible(True)
        self._set_points(info, measures.list_points(self.context.db, record_id))

    def save_record(self, unit_id: int) -> int:
        fields = self._definition()
        db = self.context.db
        if self.current_id is None:
            return measures.create_measure(db, unit_id, fields).id
        assert self.current_version is not None
        return measures.update_measure(
            db, self.current_id, fields, expected_version=self.current_version
        ).id

    # --- definition -----------------------------------------------------------------------

    def _fill_definition(self, fields: MeasureFields) -> None:
        self.measure_name.setText(fields.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(fields.kind)))
        self.description.setValue(fields.description)
        self.unit_label.setText(fields.unit_label)
        self.numerator_label.setText(fields.numerator_label)
        self.denominator_label.setText(fields.denominator_label)
        self.multiplier.setText(number_text(fields.multiplier))
        self.direction.setCurrentIndex(max(0, self.direction.findData(fields.direction)))
        self.target.setText(number_text(fields.target))
        self.chart_kind.setCurrentIndex(max(0, self.chart_kind.findData(fields.chart_kind)))
        self._offer_rules(fields.rule_set)
        self.aim.setValue(fields.aim_id)
        self.key_measure.setChecked(fields.key_measure)
        self._kind_changed()

    def _definition(self) -> MeasureFields:
        problems: list[Problem] = []
        multiplier = self._number(self.multiplier, "The rate multiplier", "multiplier", problems)
        target = self._number(self.target, "The target", "target", problems)
        if problems:
            raise ValidationError(problems)
        return MeasureFields(
            name=self.measure_name.text(),
            kind=str(self.kind.currentData()),
            description=self.description.value(),
            multiplier=multiplier if multiplier is not None else 1.0,
            unit_label=self.unit_label.text(),
            numerator_label=self.numerator_label.text(),
            denominator_label=self.denominator_label.text(),
            direction=str(self.direction.currentData()),
            target=target,
            chart_kind=str(self.chart_kind.currentData()),
            rule_set=str(self.rule_set.currentData()),
            aim_id=self.aim.value(),
            key_measure=self.key_measure.isChecked(),
        )

    def _offer_rules(self, keep: str | None = None) -> None:
        """A run chart reads the run rules; a control chart the control-chart rules."""
        wanted = keep or self.rule_set.currentData()
        run = self.chart_kind.currentData() == "run"
        offered = [r for r in RULE_SETS if (r in RUN_CHART_RULES) == run]
        self.rule_set.blockSignals(True)
        self.rule_set.clear()
        for value in offered:
            self.rule_set.addItem(RULE_LABELS[value], value)
        self.rule_set.blockSignals(False)
        index = self.rule_set.findData(wanted)
        self.rule_set.setCurrentIndex(index if index >= 0 else 0)

    def _kind_changed(self) -> None:
        """Only a rate has a multiplier; only rates and proportions have a denominator."""
        ratio = self.kind.currentData() in NEEDS_DENOMINATOR
        self.what_section.set_row_visible(
            self.multiplier, self.kind.currentData() == MeasureKind.RATE.value
        )
        self.what_section.set_row_visible(self.denominator_label, ratio)

    # --- monthly values -------------------------------------------------------------------

    def _set_points(self, info: MeasureInfo | None, points: list[PointInfo]) -> None:
        with self.month_watcher.paused():
            self.points_model.set_rows(points)
            self.points_model.sort(0, Qt.SortOrder.DescendingOrder)
            self.points.resizeColumnsToContents()
            kind = info.fields.kind if info is not None else MeasureKind.COUNT.value
            ratio = kind in NEEDS_DENOMINATOR
            for widget in (self.numerator, self.denominator):
                self.values_section.set_row_visible(widget, ratio)
            self.values_section.set_row_visible(self.value, not ratio)
            self.points.setColumnHidden(1, not ratio)  # numerator
            self.points.setColumnHidden(2, not ratio)  # denominator
            self._ratio_entry = ratio
            if info is not None:
                self.numerator.setPlaceholderText(info.fields.numerator_label or "Numerator")
                self.denominator.setPlaceholderText(info.fields.denominator_label or "Denominator")
                self.value.setPlaceholderText(info.fields.unit_label or "The month's value")
            last_month = measures.month_start(today()).toordinal() - 1
            previous = date.fromordinal(last_month).replace(day=1)
            self.month.setDate(QDate(previous.year, previous.month, 1))
            for widget in (self.numerator, self.denominator, self.value, self.note):
                widget.clear()
            self.exclude_reason.clear()
        self.month_watcher.mark_clean()
        self.show_chart(info, points)
        self._update_point_buttons()

    def _point_chosen(self) -> None:
        """Selecting a month puts its numbers in the boxes above, ready to correct."""
        point = self.points_model.row_at(self.points.currentIndex().row())
        self._update_point_buttons()
        if point is None or self.month_watcher.dirty:
            return
        with self.month_watcher.paused():
            self.month.setDate(QDate(point.period.year, point.period.month, 1))
            self.numerator.setText(number_text(point.numerator))
            self.denominator.setText(number_text(point.denominator))
            if not self._ratio_entry:
                self.value.setText(display_text(point.value).replace(",", ""))
            self.note.setText(point.note)
            self.exclude_reason.setText(point.exclude_reason)
        self.month_watcher.mark_clean()

    def _update_point_buttons(self) -> None:
        point = self.points_model.row_at(self.points.currentIndex().row())
        writable = not self.context.read_only
        self.exclude_button.setEnabled(point is not None and not point.excluded and writable)
        self.include_button.setEnabled(point is not None and point.excluded and writable)

    def _number(
        self, box: QLineEdit, label: str, field: str, problems: list[Problem]
    ) -> float | None:
        try:
            return parse_number(box.text(), label, field)
        except ValidationError as exc:
            problems.extend(exc.problems)
            return None

    def save_month(self) -> bool:
        """Save the month typed above the table (a month already there is corrected)."""
        if self.current_id is None:
            return False
        if self.context.read_only:
            self.errors.show_message("The database is open read-only: you can look, but not save.")
            return False
        self.errors.clear()
        qdate = self.month.date()
        period = date(qdate.year(), qdate.month(), 1)
        problems: list[Problem] = []
        numerator = self._number(self.numerator, "The numerator", "numerator", problems)
        denominator = self._number(self.denominator, "The denominator", "denominator", problems)
        value = self._number(self.value, "The value", "value", problems)
        try:
            if problems:
                raise ValidationError(problems)
            ratio = self._ratio_entry
            measures.set_point(
                self.context.db,
                self.current_id,
                period,
                numerator=numerator if ratio else None,
                denominator=denominator if ratio else None,
                value=None if ratio else value,
                note=self.note.text(),
            )
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except CuspDeskError as exc:
            self.errors.show_message(f"Not saved: {exc}")
            return False
        self.month_watcher.mark_clean()
        self._reload_points(select=period)
        note = f"Saved {period.strftime('%Y-%m')}."
        self.state_note.setText(note)
        self.context.status_message.emit(note)
        self.announce("measure")
        return True

    def _exclude(self, excluded: bool) -> None:
        point = self.points_model.row_at(self.points.currentIndex().row())
        if point is None or self.current_id is None:
            return
        self.errors.clear()
        try:
            measures.exclude_point(
                self.context.db,
                self.current_id,
                point.period,
                excluded=excluded,
                reason=self.exclude_reason.text(),
            )
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except (ConflictError, CuspDeskError) as exc:
            self.errors.show_message(str(exc))
            return
        self._reload_points(select=point.period)
        self.announce("measure")

    def _reload_points(self, select: date | None = None) -> None:
        if self.current_id is None:
            return
        info = measures.get_measure(self.context.db, self.current_id)
        points = measures.list_points(self.context.db, self.current_id)
        self._set_points(info, points)
        self._reload_list()
        for row, point in enumerate(self.points_model.rows()):
            if point.period == select:
                self.points.selectionModel().setCurrentIndex(
                    self.points_model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
