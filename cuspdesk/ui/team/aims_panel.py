"""The unit's strategic aims, each tied to the target above it and tracked by measurable goals."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import Problem, ValidationError
from cuspdesk.services import measures, units
from cuspdesk.services.units import AimFields, AimInfo, GoalFields
from cuspdesk.services.validation import parse_number
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel
from cuspdesk.ui.screens.list_form import make_heading
from cuspdesk.ui.team.panel import Panel
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.widgets.repeating_rows import RepeatingRows, RowEditor
from cuspdesk.ui.widgets.text_area import TextArea

AIM_COLUMNS: list[Column[AimInfo]] = [
    Column("Aim", lambda a: a.title, stretch=True, tooltip=lambda a: a.description),
    Column("Goals", lambda a: len(a.goals), numeric=True),
]


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class GoalRow(RowEditor):
    """A measurable goal: what, read off which measure, to what value, by when."""

    def __init__(self, measure_options: list[tuple[int, str]]) -> None:
        super().__init__()
        self.description = QLineEdit()
        self.measure = PickList("Measure", empty_label="— no measure —")
        self.measure.set_items(measure_options)
        self.target = QLineEdit()
        self.target.setMaximumWidth(120)
        self.due = OptionalDateEdit("Due")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for row, (caption, widget) in enumerate(
            (
                ("Goal", self.description),
                ("Measure", self.measure),
                ("Target value", self.target),
                ("Due by", self.due),
            )
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
        self.watcher.watch(self.description, self.measure, self.target, self.due)

    def set_number(self, label: str) -> None:
        self.description.setAccessibleName(label)
        self.measure.setAccessibleName(f"{label} measure")
        self.target.setAccessibleName(f"{label} target value")
        self.due.setAccessibleName(f"{label} due by")

    def error_targets(self) -> dict[str, QWidget]:
        return {"": self.description}

    def controls(self) -> list[QWidget]:
        return [self.description, self.measure, self.target, self.due]

    def is_blank(self) -> bool:
        return not (
            self.description.text().strip()
            or self.target.text().strip()
            or self.measure.value() is not None
            or self.due.value() is not None
        )

    def value(self, number: int) -> GoalFields:
        return GoalFields(
            description=self.description.text(),
            measure_id=self.measure.value(),
            target_value=parse_number(
                self.target.text(), f"Goal {number}'s target value", f"goals.{number}"
            ),
            due_date=self.due.value(),
        )

    def set_value(self, goal: GoalFields) -> None:
        self.description.setText(goal.description)
        self.measure.setValue(goal.measure_id)
        self.target.setText(_number_text(goal.target_value))
        self.due.setValue(goal.due_date)


class AimsPanel(Panel):
    what = "this aim"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._unit_id: int | None = None
        self.aim_id: int | None = None
        self._measures: list[tuple[int, str]] = []

        self.model: PlainRowsModel[AimInfo] = PlainRowsModel(AIM_COLUMNS, lambda a: a.id)
        self.table = RecordTable("Strategic aims")
        self.table.setModel(self.model)
        self.table.setSelectionMode(RecordTable.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            0, self.table.horizontalHeader().ResizeMode.Stretch
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._picked())
        self.new_button = QPushButton("&New aim")
        self.new_button.setAccessibleName("New aim")
        self.new_button.clicked.connect(self.start_new)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignRight)
        left_column.addWidget(self.table)

        self.heading = make_heading("New aim")
        section = FormSection("Aim", self.errors)
        self.aim_title = QLineEdit()
        self.description = TextArea("Description", lines=3)
        self.external = TextArea("Target above it", lines=2)
        section.add("Ai&m:", self.aim_title, "title")
        section.add("Descr&iption:", self.description, "description")
        section.add(
            "Target a&bove it:",
            self.external,
            "external_target",
            hint="The hospital or national target this aim serves.",
        )
        goals = FormSection("Measurable goals", self.errors)
        self.goals = RepeatingRows("Goal", self._make_goal, field_prefix="goals", movable=True)
        self.goals.attach_errors(self.errors)
        goals.add_wide(self.goals)
        body = QWidget()
        body_column = QVBoxLayout(body)
        body_column.setContentsMargins(0, 0, 0, 0)
        body_column.addWidget(section)
        body_column.addWidget(goals)
        body_column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAccessibleName("Aim form")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.save_button = QPushButton("&Save aim")
        self.save_button.setAccessibleName("Save aim")
        self.save_button.clicked.connect(self.save_changes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_note, 1)
        buttons.addWidget(self.save_button)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(8, 0, 0, 0)
        right_column.addWidget(self.heading)
        right_column.addWidget(scroll, 1)
        right_column.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([380, 620])
        self.column.addWidget(splitter, 1)
        self.watcher.watch(self.aim_title, self.description, self.external, self.goals)

    def _make_goal(self) -> GoalRow:
        return GoalRow(self._measures)

    def refresh(self, unit_id: int) -> None:
        self._unit_id = unit_id
        self._measures = [
            (m.id, m.fields.name) for m in measures.list_measures(self.context.db, unit_id)
        ]
        self._reload()
        if not self.has_unsaved_changes():
            self._show(self.aim_id)

    def _reload(self) -> None:
        if self._unit_id is None:
            return
        self.model.set_rows(units.list_aims(self.context.db, self._unit_id))
        self._select(self.aim_id)

    def _select(self, aim_id: int | None) -> None:
        row = self.model.row_of(aim_id) if aim_id is not None else -1
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row < 0:
            selection.clearSelection()
        else:
            selection.setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        selection.blockSignals(False)

    def _picked(self) -> None:
        aim = self.model.row_at(self.table.currentIndex().row())
        if aim is None or aim.id == self.aim_id:
            return
        if self.confirm_leave():
            self._show(aim.id)
        else:
            self._select(self.aim_id)

    def start_new(self) -> None:
        if self.confirm_leave():
            self._show(None)
            self._select(None)
            self.aim_title.setFocus()

    def _show(self, aim_id: int | None) -> None:
        aim = self.model.row_at(self.model.row_of(aim_id)) if aim_id is not None else None
        with self.watcher.paused():
            self.errors.clear()
            self.aim_title.setText(aim.title if aim else "")
            self.description.setValue(aim.description if aim else "")
            self.external.setValue(aim.external_target if aim else "")
            self.goals.clear()
            for goal in aim.goals if aim else ():
                row = self.goals.add_row()
                assert isinstance(row, GoalRow)
                row.set_value(
                    GoalFields(goal.description, goal.measure_id, goal.target_value, goal.due_date)
                )
        self.aim_id = aim.id if aim else None
        self.heading.setText(aim.title if aim else "New aim")
        self.watcher.mark_clean()

    def discard_changes(self) -> None:
        super().discard_changes()
        self._show(self.aim_id)

    def _fields(self) -> AimFields:
        goals: list[GoalFields] = []
        problems: list[Problem] = []
        self.goals.drop_blank_rows()
        rows = [r for r in self.goals.editors() if isinstance(r, GoalRow)]
        for number, row in enumerate(rows, start=1):
            try:
                goals.append(row.value(number))
            except ValidationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ValidationError(problems)
        return AimFields(
            self.aim_title.text(), self.description.value(), self.external.value(), goals
        )

    def save_changes(self) -> bool:
        unit_id = self._unit_id
        if unit_id is None:
            return False
        saved: list[int] = []

        def save() -> None:
            fields = self._fields()
            if self.aim_id is None:
                saved.append(units.create_aim(self.context.db, unit_id, fields).id)
            else:
                saved.append(units.update_aim(self.context.db, self.aim_id, fields).id)

        if not self.attempt(save, "Saved the aim.", "unit"):
            return False
        self.aim_id = saved[0]
        self._reload()
        self._show(self.aim_id)
        return True
