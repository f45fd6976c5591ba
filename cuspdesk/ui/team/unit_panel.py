"""The unit's own details, including the confidentiality footer printed on every document."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from cuspdesk.errors import ValidationError
from cuspdesk.services import units
from cuspdesk.services.units import UnitFields
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.team.panel import Panel
from cuspdesk.ui.widgets.fields import OptionalDateEdit
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.text_area import TextArea


class UnitPanel(Panel):
    what = "the unit details"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._unit_id: int | None = None
        section = FormSection("Unit details", self.errors)
        self.unit_name = QLineEdit()
        self.hospital = QLineEdit()
        self.service_line = QLineEdit()
        self.beds = QLineEdit()
        self.beds.setMaximumWidth(120)
        self.cusp_start = OptionalDateEdit("CUSP start date")
        self.footer = TextArea("Confidentiality footer", lines=3)
        section.add("Unit &name:", self.unit_name, "name")
        section.add("H&ospital:", self.hospital, "hospital")
        section.add("Service l&ine:", self.service_line, "service_line")
        section.add("&Beds:", self.beds, "bed_count")
        section.add("CUSP &start date:", self.cusp_start, "cusp_start_date")
        section.add(
            "&Confidentiality footer:",
            self.footer,
            "confidentiality_footer",
            hint="Printed at the foot of every briefing, summary and form.",
        )
        self.save_button = QPushButton("Sa&ve unit details")
        self.save_button.setAccessibleName("Save unit details")
        self.save_button.clicked.connect(self.save_changes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_note, 1)
        buttons.addWidget(self.save_button)
        self.column.addWidget(section)
        self.column.addLayout(buttons)
        self.column.addStretch(1)
        self.watcher.watch(
            self.unit_name,
            self.hospital,
            self.service_line,
            self.beds,
            self.cusp_start,
            self.footer,
        )

    def refresh(self, unit_id: int) -> None:
        if self.has_unsaved_changes() and unit_id == self._unit_id:
            return
        self._unit_id = unit_id
        info = units.get_unit(self.context.db, unit_id)
        with self.watcher.paused():
            self.errors.clear()
            self.unit_name.setText(info.name)
            self.hospital.setText(info.hospital)
            self.service_line.setText(info.service_line)
            self.beds.setText("" if info.bed_count is None else str(info.bed_count))
            self.cusp_start.setValue(info.cusp_start_date)
            self.footer.setValue(info.confidentiality_footer)
        self.watcher.mark_clean()

    def discard_changes(self) -> None:
        super().discard_changes()
        if self._unit_id is not None:
            self.refresh(self._unit_id)

    def save_changes(self) -> bool:
        unit_id = self._unit_id
        if unit_id is None:
            return False
        return self.attempt(lambda: self._save(unit_id), "Saved the unit details.", "unit")

    def _save(self, unit_id: int) -> None:
        units.update_unit(
            self.context.db,
            unit_id,
            UnitFields(
                name=self.unit_name.text(),
                hospital=self.hospital.text(),
                service_line=self.service_line.text(),
                bed_count=self._beds(),
                cusp_start_date=self.cusp_start.value(),
                confidentiality_footer=self.footer.value(),
            ),
        )

    def _beds(self) -> int | None:
        text = self.beds.text().strip().replace(",", "")
        if not text:
            return None
        if not text.isdecimal():
            raise ValidationError(
                "The number of beds must be a whole number, like 24.", "bed_count"
            )
        return int(text)
