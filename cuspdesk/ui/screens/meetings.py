"""Meetings with the executive partner and pre-rounds huddles: who came, agenda, decisions.

New actions agreed at a meeting become tracking-log issues when it is saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from cuspdesk.services import meetings, units
from cuspdesk.services.meetings import (
    AgendaItemFields,
    AttendeeFields,
    MeetingFields,
    MeetingRow,
)
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column
from cuspdesk.ui.screens.list_form import ListFormScreen
from cuspdesk.ui.screens.options import choice_options, team_options, with_missing
from cuspdesk.ui.widgets.attendance import AttendanceGrid
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.findings_table import FindingsTable
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.repeating_rows import RepeatingRows, RowEditor
from cuspdesk.ui.widgets.text_area import TextArea

COLUMNS: list[Column[MeetingRow]] = [
    Column("Date", lambda r: r.meeting_date),
    Column("Title", lambda r: r.title or r.kind, stretch=True, tooltip=lambda r: r.kind),
    Column("Executive attended", lambda r: r.executive_attended),
    Column("Actions", lambda r: r.action_count, numeric=True),
]


class AgendaItemRow(RowEditor):
    """One agenda item: its title, who presents it, and the minutes taken on it."""

    def __init__(self) -> None:
        super().__init__()
        self.item_title = QLineEdit()
        self.presenter = QLineEdit()
        self.minutes = TextArea("Minutes", lines=2)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for row, (caption, widget) in enumerate(
            (("Title", self.item_title), ("Presenter", self.presenter), ("Minutes", self.minutes))
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
        self.watcher.watch(*self.controls())

    def set_number(self, label: str) -> None:
        self.item_title.setAccessibleName(f"{label} title")
        self.presenter.setAccessibleName(f"{label} presenter")
        self.minutes.setAccessibleName(f"{label} minutes")

    def error_targets(self) -> dict[str, QWidget]:
        return {"": self.item_title}

    def controls(self) -> list[QWidget]:
        return [self.item_title, self.presenter, self.minutes]

    def value(self) -> AgendaItemFields:
        return AgendaItemFields(self.item_title.text(), self.presenter.text(), self.minutes.value())

    def set_value(self, item: AgendaItemFields) -> None:
        self.item_title.setText(item.title)
        self.presenter.setText(item.presenter)
        self.minutes.setValue(item.minutes)

    def is_blank(self) -> bool:
        item = self.value()
        return not (item.title.strip() or item.presenter.strip() or item.minutes.strip())


class DecisionRow(RowEditor):
    """One decision, in the words the meeting agreed."""

    def __init__(self) -> None:
        super().__init__()
        self.text = TextArea("Decision", lines=2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.text)
        self.watcher.watch(self.text)

    def set_number(self, label: str) -> None:
        self.text.setAccessibleName(label)

    def error_targets(self) -> dict[str, QWidget]:
        return {"": self.text}

    def is_blank(self) -> bool:
        return not self.text.value().strip()


class MeetingsScreen(ListFormScreen):
    key = "meetings"
    title = "Meetings"
    record_kinds = ("meeting",)
    related_kinds = ("unit", "team", "issue")
    noun = "meeting"
    plural = "meetings"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, COLUMNS, lambda r: r.id, parent)
        self._saved_actions = False
        self._partner_id: int | None = None
        errors = self.errors

        self.executive_attended = QCheckBox("The executive partner attended this meeting")
        self.executive_attended.setAccessibleName("Executive attended")
        font = self.executive_attended.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.executive_attended.setFont(font)

        about = FormSection("The meeting", errors)
        self.meeting_date = OptionalDateEdit("Meeting date", optional=False)
        self.kind = PickList("Kind of meeting", empty_label="—")
        self.meeting_title = QLineEdit()
        self.meeting_title.setPlaceholderText("e.g. CUSP executive partner meeting — March")
        self.location = QLineEdit()
        self.next_meeting = OptionalDateEdit("Next meeting date")
        about.add("&Date:", self.meeting_date, "meeting_date")
        about.add(
            "&Kind:", self.kind, "kind_id", hint="The list of kinds is edited under Team & unit."
        )
        about.add("&Title:", self.meeting_title, "title")
        about.add("&Location:", self.location, "location")
        about.add("Ne&xt meeting:", self.next_meeting, "next_meeting_date")

        who = FormSection("Attendance", errors)
        who.add_wide(self.executive_attended, "executive_attended")
        self.attendance = AttendanceGrid()
        self.attendance.attended_toggled.connect(self._attendance_ticked)
        who.add_wide(self.attendance, "attendees")

        agenda = FormSection("Agenda", errors)
        self.agenda = RepeatingRows(
            "Agenda item", AgendaItemRow, field_prefix="agenda", movable=True
        )
        self.agenda.attach_errors(errors)
        agenda.add_wide(self.agenda)

        notes = FormSection("Notes", errors)
        self.notes = TextArea("Notes", lines=4)
        notes.add_wide(self.notes, "notes")

        decided = FormSection("Decisions", errors)
        self.decisions = RepeatingRows("Decision", DecisionRow, field_prefix="decisions")
        self.decisions.attach_errors(errors)
        decided.add_wide(self.decisions)

        actions = FormSection("New actions", errors)
        self.new_actions = FindingsTable("Action", field_prefix="findings")
        self.new_actions.attach_errors(errors)
        self.new_actions.open_issue.connect(lambda issue: context.open_record.emit("issue", issue))
        actions.add_wide(self.new_actions)

        for section in (about, who, agenda, notes, decided, actions):
            self.form_layout.addWidget(section)
        self.form_layout.addStretch(1)
        self.watcher.watch(
            self.meeting_date,
            self.kind,
            self.meeting_title,
            self.location,
            self.next_meeting,
            self.executive_attended,
            self.attendance,
            self.agenda,
            self.notes,
            self.decisions,
            self.new_actions,
        )

    # --- ListFormScreen ---------------------------------------------------------------

    def fetch_rows(self, unit_id: int, text: str) -> Sequence[MeetingRow]:
        return meetings.list_meetings(self.context.db, unit_id, text=text)

    def reload_options(self, unit_id: int) -> None:
        db = self.context.db
        self._team = team_options(db, unit_id)
        self._kinds = choice_options(db, units.MEETING_KIND_LIST, unit_id)
        partner = units.current_executive_partner(db, unit_id)
        self._partner_id = partner.person_id if partner is not None else None
        self.new_actions.set_options(choice_options(db, units.CATEGORY_LIST, unit_id), self._team)

    def first_field(self) -> QWidget | None:
        return self.meeting_date

    def heading_for(self, record_id: int | None) -> str:
        if record_id is None:
            return "New meeting"
        row = self.browser.row_for(record_id)
        if row is None:
            return "Meeting"
        return f"{row.title or row.kind or 'Meeting'} ({row.meeting_date.isoformat()})"

    def fill_new(self, unit_id: int) -> None:
        self.meeting_date.setValue(None)
        self.kind.set_items(self._kinds, keep=self._kinds[0][0] if self._kinds else None)
        self.meeting_title.clear()
        self.location.clear()
        self.next_meeting.setValue(None)
        self.executive_attended.setChecked(False)
        self.attendance.set_people(self._team)
        self.agenda.clear()
        self.agenda.add_row()
        self.notes.clear()
        self.decisions.clear()
        self.new_actions.set_existing(())
        self.new_actions.clear_new()
        self.new_actions.rows.add_row()

    def fill_record(self, record_id: int) -> None:
        detail = meetings.get_meeting(self.context.db, record_id)
        fields = detail.fields
        self.current_version = detail.version
        self.meeting_date.setValue(fields.meeting_date)
        self.kind.set_items(
            with_missing(self._kinds, [(fields.kind_id, detail.kind_label)]), keep=fields.kind_id
        )
        self.meeting_title.setText(fields.title)
        self.location.setText(fields.location)
        self.next_meeting.setValue(fields.next_meeting_date)
        self.executive_attended.setChecked(fields.executive_attended)
        self.attendance.set_people(
            with_missing(self._team, [(a.person_id, a.full_name) for a in detail.attendees]),
            [(a.person_id, a.attended) for a in fields.attendees],
        )
        self.agenda.clear()
        for item in fields.agenda:
            row = self.agenda.add_row()
            assert isinstance(row, AgendaItemRow)
            row.set_value(item)
        self.notes.setValue(fields.notes)
        self.decisions.clear()
        for text in fields.decisions:
            decision = self.decisions.add_row()
            assert isinstance(decision, DecisionRow)
            decision.text.setValue(text)
        self.new_actions.set_existing(detail.actions)
        self.new_actions.clear_new()

    def save_record(self, unit_id: int) -> int:
        meeting_date = self.meeting_date.value()
        assert meeting_date is not None  # this date box cannot be empty
        fields = MeetingFields(
            meeting_date=meeting_date,
            kind_id=self.kind.value(),
            title=self.meeting_title.text(),
            location=self.location.text(),
            notes=self.notes.value(),
            executive_attended=self.executive_attended.isChecked(),
            next_meeting_date=self.next_meeting.value(),
            attendees=[AttendeeFields(p, came) for p, came in self.attendance.value()],
            agenda=[r.value() for r in self.agenda.editors() if isinstance(r, AgendaItemRow)],
            decisions=[
                r.text.value() for r in self.decisions.editors() if isinstance(r, DecisionRow)
            ],
        )
        actions = self.new_actions.findings()
        self._saved_actions = self.new_actions.has_new()
        db = self.context.db
        if self.current_id is None:
            detail = meetings.create_meeting(db, unit_id, fields, actions)
        else:
            assert self.current_version is not None
            detail = meetings.update_meeting(
                db,
                self.current_id,
                fields,
                expected_version=self.current_version,
                new_actions=actions,
            )
        return detail.id

    def changed_kinds(self) -> tuple[str, ...]:
        return ("meeting", "issue") if self._saved_actions else ("meeting",)

    def _attendance_ticked(self, person_id: int, attended: bool) -> None:
        """Ticking the executive partner as attended ticks the prominent box too."""
        if person_id == self._partner_id and attended:
            self.executive_attended.setChecked(True)
