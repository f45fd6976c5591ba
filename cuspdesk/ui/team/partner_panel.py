"""The senior executive who adopted the unit: who it is now, who it was, and handing over."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from cuspdesk.services import units
from cuspdesk.services.units import ExecutivePartnerInfo
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel
from cuspdesk.ui.screens.list_form import make_heading
from cuspdesk.ui.screens.options import team_options
from cuspdesk.ui.team.panel import Panel
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.record_table import RecordTable

HISTORY_COLUMNS: list[Column[ExecutivePartnerInfo]] = [
    Column("Executive partner", lambda p: p.full_name),
    Column("Title", lambda p: p.title, stretch=True),
    Column("From", lambda p: p.start_date),
    Column("To", lambda p: p.end_date or "now"),
]


class PartnerPanel(Panel):
    what = "the new executive partner"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._unit_id: int | None = None
        self.current = make_heading()
        self.current.setAccessibleName("Current executive partner")
        self.model: PlainRowsModel[ExecutivePartnerInfo] = PlainRowsModel(
            HISTORY_COLUMNS, lambda p: p.assignment_id
        )
        self.history = RecordTable("Executive partners over time")
        self.history.setModel(self.model)
        self.history.horizontalHeader().setSectionResizeMode(
            1, self.history.horizontalHeader().ResizeMode.Stretch
        )
        self.history.setMaximumHeight(self.history.verticalHeader().defaultSectionSize() * 6 + 40)
        history_label = QLabel("Histor&y:")
        history_label.setBuddy(self.history)

        section = FormSection("Hand over to a new executive partner", self.errors)
        self.person = PickList("New executive partner", empty_label="— choose from the team —")
        self.start_date = OptionalDateEdit("Starting on", optional=False)
        section.add("&New executive partner:", self.person, "person_id")
        section.add(
            "&Starting on:",
            self.start_date,
            "start_date",
            hint="The current partner's term ends the day before.",
        )
        self.assign_button = QPushButton("&Make executive partner")
        self.assign_button.setAccessibleName("Make executive partner")
        self.assign_button.clicked.connect(self.save_changes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_note, 1)
        buttons.addWidget(self.assign_button)
        self.column.addWidget(self.current)
        self.column.addWidget(history_label)
        self.column.addWidget(self.history)
        self.column.addWidget(section)
        self.column.addLayout(buttons)
        self.column.addStretch(1)
        self.watcher.watch(self.person)

    def refresh(self, unit_id: int) -> None:
        self._unit_id = unit_id
        db = self.context.db
        history = units.executive_partner_history(db, unit_id)
        current = units.current_executive_partner(db, unit_id)
        self.current.setText(
            f"Executive partner: {current.full_name}"
            + (f", {current.title}" if current.title else "")
            + f" — since {current.start_date.isoformat()}"
            if current is not None
            else "This unit has no executive partner yet."
        )
        self.model.set_rows(history)
        self.history.resizeColumnsToContents()
        with self.watcher.paused():
            self.person.set_items(team_options(db, unit_id), keep=self.person.value())
        if not self.has_unsaved_changes():
            self.watcher.mark_clean()

    def has_unsaved_changes(self) -> bool:
        """Handing over is an action, not a form: leaving without it loses nothing."""
        return False

    def save_changes(self) -> bool:
        unit_id = self._unit_id
        person_id = self.person.value()
        if unit_id is None:
            return False
        if person_id is None:
            self.errors.show_message("Choose the new executive partner from the team first.")
            return False
        name = self.person.currentText()
        start = self.start_date.value()
        assert start is not None  # this date box cannot be empty
        if not self._confirm(name, start):
            return False
        ok = self.attempt(
            lambda: units.assign_executive_partner(self.context.db, unit_id, person_id, start),
            f"{name} is now the executive partner.",
            "team",
        )
        if ok:
            with self.watcher.paused():
                self.person.setValue(None)
            self.watcher.mark_clean()
            self.refresh(unit_id)
        return ok

    def _confirm(self, name: str, start: date) -> bool:
        current = self._unit_id and units.current_executive_partner(self.context.db, self._unit_id)
        ends = (
            f" {current.full_name}'s term ends on {(start - timedelta(days=1)).isoformat()}."
            if current
            else ""
        )
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("New executive partner")
        box.setAccessibleName("New executive partner")
        box.setText(f"Make {name} the executive partner from {start.isoformat()}?{ends}")
        yes = box.addButton("Make executive partner", QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        yes.setAccessibleName("Make executive partner")
        no.setAccessibleName("Cancel")
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes
