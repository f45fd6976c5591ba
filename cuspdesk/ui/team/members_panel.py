"""The unit's CUSP team: who is on it, in which role, and who has left."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.services import units
from cuspdesk.services.units import MemberInfo, PersonFields
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel
from cuspdesk.ui.screens.list_form import make_heading
from cuspdesk.ui.screens.options import choice_options, with_missing
from cuspdesk.ui.team.panel import Panel
from cuspdesk.ui.widgets.fields import PickList
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.record_table import RecordTable

MEMBER_COLUMNS: list[Column[MemberInfo]] = [
    Column("Name", lambda m: m.full_name),
    Column("Role", lambda m: m.role_label),
    Column("Title", lambda m: m.title, stretch=True),
    Column("On the team", lambda m: m.active),
]


class MembersPanel(Panel):
    what = "this team member"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._unit_id: int | None = None
        self.member_id: int | None = None
        self._roles: list[tuple[int, str]] = []

        self.model: PlainRowsModel[MemberInfo] = PlainRowsModel(
            MEMBER_COLUMNS, lambda m: m.member_id
        )
        self.table = RecordTable("Team members")
        self.table.setModel(self.model)
        self.table.setSelectionMode(RecordTable.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            2, self.table.horizontalHeader().ResizeMode.Stretch
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._picked())
        self.show_former = QCheckBox("Show people who have left the team")
        self.show_former.setAccessibleName("Show people who have left the team")
        self.show_former.toggled.connect(lambda _on: self._reload())
        self.new_button = QPushButton("&New team member")
        self.new_button.setAccessibleName("New team member")
        self.new_button.clicked.connect(self.start_new)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.show_former, 1)
        top.addWidget(self.new_button)
        left_column.addLayout(top)
        left_column.addWidget(self.table)

        self.heading = make_heading("New team member")
        section = FormSection("Team member", self.errors)
        self.full_name = QLineEdit()
        self.job_title = QLineEdit()
        self.job_title.setPlaceholderText("e.g. Charge Nurse, nights")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("e-mail or extension")
        self.role = PickList("Role on the CUSP team", empty_label="—")
        self.active = QCheckBox("On the team (untick when the person leaves)")
        self.active.setAccessibleName("On the team")
        section.add("Full na&me:", self.full_name, "full_name")
        section.add("&Job title:", self.job_title, "title")
        section.add("C&ontact:", self.contact, "contact")
        section.add("&Role:", self.role, "role_id")
        section.add_wide(self.active)
        self.save_button = QPushButton("&Save team member")
        self.save_button.setAccessibleName("Save team member")
        self.save_button.clicked.connect(self.save_changes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_note, 1)
        buttons.addWidget(self.save_button)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(8, 0, 0, 0)
        right_column.addWidget(self.heading)
        right_column.addWidget(section)
        right_column.addLayout(buttons)
        right_column.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 440])
        self.column.addWidget(splitter, 1)
        self.watcher.watch(self.full_name, self.job_title, self.contact, self.role, self.active)

    def refresh(self, unit_id: int) -> None:
        self._unit_id = unit_id
        self._roles = choice_options(self.context.db, units.ROLE_LIST, unit_id)
        self._reload()
        if not self.has_unsaved_changes():
            self._show(self.member_id)

    def _reload(self) -> None:
        if self._unit_id is None:
            return
        members = units.list_team(
            self.context.db, self._unit_id, include_inactive=self.show_former.isChecked()
        )
        self.model.set_rows(members)
        self.table.resizeColumnsToContents()
        self._select(self.member_id)

    def _select(self, member_id: int | None) -> None:
        row = self.model.row_of(member_id) if member_id is not None else -1
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
        member = self.model.row_at(self.table.currentIndex().row())
        if member is None or member.member_id == self.member_id:
            return
        if self.confirm_leave():
            self._show(member.member_id)
        else:
            self._select(self.member_id)

    def start_new(self) -> None:
        if self.confirm_leave():
            self._show(None)
            self._select(None)
            self.full_name.setFocus()

    def _show(self, member_id: int | None) -> None:
        member = self.model.row_at(self.model.row_of(member_id)) if member_id is not None else None
        with self.watcher.paused():
            self.errors.clear()
            self.full_name.setText(member.full_name if member else "")
            self.job_title.setText(member.title if member else "")
            self.contact.setText(member.contact if member else "")
            role_id = member.role_id if member else None
            self.role.set_items(
                with_missing(self._roles, [(role_id, member.role_label if member else "")]),
                keep=role_id,
            )
            self.active.setChecked(member.active if member else True)
            self.active.setEnabled(member is not None)
        self.member_id = member.member_id if member else None
        self.heading.setText(member.full_name if member else "New team member")
        self.watcher.mark_clean()

    def discard_changes(self) -> None:
        super().discard_changes()
        self._show(self.member_id)

    def save_changes(self) -> bool:
        unit_id = self._unit_id
        if unit_id is None:
            return False
        saved: list[int] = []

        def save() -> None:
            fields = PersonFields(self.full_name.text(), self.job_title.text(), self.contact.text())
            if self.member_id is None:
                info = units.add_team_member(
                    self.context.db, unit_id, fields, role_id=self.role.value()
                )
            else:
                info = units.update_team_member(
                    self.context.db,
                    self.member_id,
                    fields,
                    role_id=self.role.value(),
                    active=self.active.isChecked(),
                )
            saved.append(info.member_id)

        name = self.full_name.text().strip()
        if not self.attempt(save, f"Saved {name}.", "team"):
            return False
        self.member_id = saved[0]
        self._reload()
        self._show(self.member_id)
        return True
