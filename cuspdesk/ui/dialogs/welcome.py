"""First start on an empty database: set up our unit, or load the sample unit to look around."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk import APP_NAME
from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError, ValidationError
from cuspdesk.services import units
from cuspdesk.services.demo import DEMO_UNIT_NAME, create_demo_unit
from cuspdesk.services.unit_setup import MemberEntry, UnitSetup, set_up_unit
from cuspdesk.ui.widgets.form_errors import FieldErrors
from cuspdesk.ui.worker import run_in_background

STARTING_ROWS = 4
ROLE_CHOICES = [
    (key, label)
    for label, key in units.DEFAULT_LISTS[units.ROLE_LIST]
    if key is not None and key != "executive_partner"
]


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class WelcomeDialog(QDialog):
    """``created_unit_id`` holds the new (or sample) unit once the dialog is accepted.

    With ``another_unit`` the same form adds a further unit to a database that has one.
    """

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, another_unit: bool = False
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.created_unit_id: int | None = None
        self._working = False
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.setAccessibleName("Welcome")

        intro = QLabel(
            f"<h2>Welcome to {APP_NAME}</h2>"
            "<p>This database has no unit yet. Tell us about your unit and its CUSP team "
            "(you can add and change everything later on the Team &amp; unit screen), or load "
            "a sample unit to look around first.</p>"
        )
        if another_unit:
            self.setWindowTitle("Add a unit")
            self.setAccessibleName("Add a unit")
            intro.setText(
                "<h2>Add a unit</h2><p>Each unit keeps its own tracking log, rounds, meetings "
                "and measures in this database; the Unit picker above the sidebar switches "
                "between them, and the Hospital view shows them side by side. Tell us about "
                "the unit and its CUSP team (you can change everything later on the Team "
                "&amp; unit screen).</p>"
            )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)

        banner = QLabel()
        banner.setStyleSheet(
            "QLabel { background: #fdecea; border: 1px solid #a40000; padding: 6px; color: #000; }"
        )
        self.errors = FieldErrors(banner)

        unit_box = QGroupBox("Your unit")
        unit_form = QFormLayout(unit_box)
        self.unit_name = _line("Unit name", "for example 5 North Surgical ICU")
        self.hospital = _line("Hospital", "for example Riverside General Hospital")
        self._row(unit_form, "Unit &name *", "name", self.unit_name)
        self._row(unit_form, "&Hospital", "hospital", self.hospital)

        team_box = QGroupBox("Your CUSP team")
        self.team_grid = QGridLayout()
        for column, heading in enumerate(("Name", "Role", "Job title")):
            label = QLabel(f"<b>{heading}</b>")
            self.team_grid.addWidget(label, 0, column)
        self.member_rows: list[tuple[QLineEdit, QComboBox, QLineEdit]] = []
        for _ in range(STARTING_ROWS):
            self.add_member_row()
        self.add_row_button = QPushButton("&Add another team member")
        self.add_row_button.setAccessibleName("Add another team member")
        self.add_row_button.setAutoDefault(False)
        self.add_row_button.clicked.connect(self._add_row_and_focus)
        team_layout = QVBoxLayout(team_box)
        team_layout.addLayout(self.team_grid)
        team_layout.addWidget(self.add_row_button, 0, Qt.AlignmentFlag.AlignLeft)

        executive_box = QGroupBox("Senior executive partner")
        executive_form = QFormLayout(executive_box)
        self.executive_name = _line("Executive partner's name", "for example Dr Ana Ruiz")
        self.executive_title = _line(
            "Executive partner's title", "for example Chief Nursing Officer"
        )
        self._row(executive_form, "&Executive's name", "executive_name", self.executive_name)
        self._row(executive_form, "Executive's &title", "executive_title", self.executive_title)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Loading the sample unit")
        self.progress.setTextVisible(False)
        self.progress_label = QLabel(
            "Loading the sample unit: a year of meetings, rounds, issues and measures…"
        )
        self.progress.hide()
        self.progress_label.hide()

        self.sample_button = QPushButton("Load the &sample unit instead")
        self.sample_button.setAccessibleName("Load the sample unit")
        self.sample_button.setToolTip(
            f"Adds “{DEMO_UNIT_NAME}”, a made-up unit with a year of CUSP work to explore."
        )
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.create_button = QPushButton("&Create our unit")
        self.create_button.setAccessibleName("Create our unit")
        if another_unit:
            self.sample_button.hide()
            self.create_button.setText("&Add the unit")
            self.create_button.setAccessibleName("Add the unit")
        for button in (self.sample_button, self.cancel_button, self.create_button):
            button.setAutoDefault(False)
        self.create_button.setDefault(True)
        self.sample_button.clicked.connect(self.load_sample)
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.create_unit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(banner)
        layout.addWidget(unit_box)
        layout.addWidget(team_box)
        layout.addWidget(executive_box)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(720, self.sizeHint().height())
        self.unit_name.setFocus()

    def _row(self, form: QFormLayout, caption: str, field: str, widget: QWidget) -> None:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget)
        box.addWidget(self.errors.add(field, widget))
        label = QLabel(caption)
        label.setBuddy(widget)
        form.addRow(label, holder)

    def add_member_row(self) -> None:
        number = len(self.member_rows) + 1
        name = _line(f"Team member {number} name")
        role = QComboBox()
        role.setAccessibleName(f"Team member {number} role")
        role.addItem("Choose a role", None)
        for key, label in ROLE_CHOICES:
            role.addItem(label, key)
        title = _line(f"Team member {number} job title")
        row = number
        name_holder = QWidget()
        name_box = QVBoxLayout(name_holder)
        name_box.setContentsMargins(0, 0, 0, 0)
        name_box.addWidget(name)
        name_box.addWidget(self.errors.add(f"members.{number}.full_name", name))
        self.team_grid.addWidget(name_holder, row, 0)
        self.team_grid.addWidget(role, row, 1)
        title_holder = QWidget()
        title_box = QVBoxLayout(title_holder)
        title_box.setContentsMargins(0, 0, 0, 0)
        title_box.addWidget(title)
        title_box.addWidget(self.errors.add(f"members.{number}.title", title))
        self.team_grid.addWidget(title_holder, row, 2)
        self.member_rows.append((name, role, title))

    def _add_row_and_focus(self) -> None:
        self.add_member_row()
        self.member_rows[-1][0].setFocus()

    # --- the two ways out ------------------------------------------------------------

    def setup(self) -> UnitSetup:
        return UnitSetup(
            unit=units.UnitFields(name=self.unit_name.text(), hospital=self.hospital.text()),
            members=[
                MemberEntry(name.text(), role.currentData(), title.text())
                for name, role, title in self.member_rows
            ],
            executive_name=self.executive_name.text(),
            executive_title=self.executive_title.text(),
        )

    def create_unit(self) -> None:
        try:
            unit = set_up_unit(self.db, self.setup())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except CuspDeskError as exc:
            self.errors.show_message(str(exc))
            return
        self.created_unit_id = unit.id
        self.accept()

    def load_sample(self) -> None:
        self._set_working(True)
        db = self.db
        run_in_background(
            lambda: create_demo_unit(db),
            on_done=self._sample_loaded,
            on_error=self._sample_failed,
        )

    def _sample_loaded(self, unit: units.UnitInfo) -> None:
        self._set_working(False)
        self.created_unit_id = unit.id
        self.accept()

    def _sample_failed(self, error: CuspDeskError) -> None:
        self._set_working(False)
        self.errors.show_message(f"The sample unit could not be loaded: {error}")

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.progress.setVisible(working)
        self.progress_label.setVisible(working)
        for button in (self.sample_button, self.cancel_button, self.create_button):
            button.setEnabled(not working)

    @property
    def working(self) -> bool:
        return self._working

    def reject(self) -> None:
        if not self._working:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._working:
            event.ignore()
            return
        super().closeEvent(event)
