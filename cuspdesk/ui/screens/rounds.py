"""Safety rounds: log who walked the unit, what they asked and what they found.

Each finding typed here becomes a tracking-log issue when the round is saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QWidget

from cuspdesk.services import rounds, units
from cuspdesk.services.rounds import STANDARD_QUESTIONS, RoundFields, RoundRow
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column
from cuspdesk.ui.screens.list_form import ListFormScreen
from cuspdesk.ui.screens.options import choice_options, team_options, with_missing
from cuspdesk.ui.widgets.check_list import CheckList
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.findings_table import FindingsTable
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.text_area import TextArea

COLUMNS: list[Column[RoundRow]] = [
    Column("Date", lambda r: r.round_date),
    Column("Area", lambda r: r.area, stretch=True),
    Column("Executive", lambda r: r.executive_name),
    Column("Findings", lambda r: r.finding_count, numeric=True),
    Column(
        "Open",
        lambda r: r.open_finding_count,
        numeric=True,
        header_tip="Findings not yet resolved or closed",
    ),
]


def split_questions(text: str) -> tuple[list[str], str]:
    """The standard questions ticked, and whatever else was written, from the stored text."""
    standard = [line for line in text.splitlines() if line.strip() in STANDARD_QUESTIONS]
    other = [line for line in text.splitlines() if line.strip() not in STANDARD_QUESTIONS]
    return [q.strip() for q in standard], "\n".join(other).strip("\n")


def join_questions(ticked: Sequence[str], other: str) -> str:
    ordered = [q for q in STANDARD_QUESTIONS if q in ticked]
    return "\n".join([*ordered, other] if other.strip() else ordered)


class RoundsScreen(ListFormScreen):
    key = "rounds"
    title = "Safety rounds"
    record_kinds = ("round",)
    related_kinds = ("unit", "team", "issue")
    noun = "safety round"
    plural = "safety rounds"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, COLUMNS, lambda r: r.id, parent)
        self._saved_findings = False
        errors = self.errors

        about = FormSection("The round", errors)
        self.round_date = OptionalDateEdit("Date of the round", optional=False)
        self.area = QLineEdit()
        self.area.setPlaceholderText("e.g. Pods A and B, night shift")
        self.executive = PickList("Executive on the round", empty_label="— nobody chosen —")
        about.add("&Date:", self.round_date, "round_date")
        about.add("&Area:", self.area, "area")
        about.add("E&xecutive:", self.executive, "executive_id")

        people = FormSection("Who took part", errors)
        self.participants = CheckList("Participants", visible_rows=10)
        people.add_wide(
            self.participants,
            "participant_ids",
            hint="Tick everyone from the team who walked the unit (Space ticks).",
        )

        asked = FormSection("Questions asked", errors)
        self.questions = CheckList("Standard questions asked", visible_rows=6)
        self.questions.set_items((q, q) for q in STANDARD_QUESTIONS)
        self.other_questions = TextArea("Other questions asked", lines=2)
        asked.add_wide(self.questions)
        asked.add("&Other questions:", self.other_questions, "questions_asked")

        notes = FormSection("Notes", errors)
        self.notes = TextArea("Notes", lines=4)
        notes.add_wide(self.notes, "notes")

        found = FormSection("Findings", errors)
        self.findings = FindingsTable("Finding", field_prefix="findings")
        self.findings.attach_errors(errors)
        self.findings.open_issue.connect(lambda issue: context.open_record.emit("issue", issue))
        found.add_wide(self.findings)

        for section in (about, people, asked, notes, found):
            self.form_layout.addWidget(section)
        self.form_layout.addStretch(1)
        self.watcher.watch(
            self.round_date,
            self.area,
            self.executive,
            self.participants,
            self.questions,
            self.other_questions,
            self.notes,
            self.findings,
        )

    # --- ListFormScreen ---------------------------------------------------------------

    def fetch_rows(self, unit_id: int, text: str) -> Sequence[RoundRow]:
        return rounds.list_rounds(self.context.db, unit_id, text=text)

    def reload_options(self, unit_id: int) -> None:
        db = self.context.db
        self._team = team_options(db, unit_id)
        self.findings.set_options(choice_options(db, units.CATEGORY_LIST, unit_id), self._team)

    def first_field(self) -> QWidget | None:
        return self.round_date

    def heading_for(self, record_id: int | None) -> str:
        if record_id is None:
            return "New safety round"
        row = self.browser.row_for(record_id)
        if row is None:
            return "Safety round"
        where = f" — {row.area}" if row.area else ""
        return f"Safety round of {row.round_date.isoformat()}{where}"

    def fill_new(self, unit_id: int) -> None:
        partner = units.current_executive_partner(self.context.db, unit_id)
        self.round_date.setValue(None)
        self.area.clear()
        self.executive.set_items(self._team, keep=partner.person_id if partner else None)
        self.participants.set_items(self._team)
        self.questions.set_checked(list(STANDARD_QUESTIONS), checked=False)
        self.other_questions.clear()
        self.notes.clear()
        self.findings.set_existing(())
        self.findings.clear_new()
        self.findings.rows.add_row()

    def fill_record(self, record_id: int) -> None:
        detail = rounds.get_round(self.context.db, record_id)
        fields = detail.fields
        self.current_version = detail.version
        self.round_date.setValue(fields.round_date)
        self.area.setText(fields.area)
        self.executive.set_items(
            with_missing(self._team, [(fields.executive_id, detail.executive_name)]),
            keep=fields.executive_id,
        )
        self.participants.set_items(
            with_missing(
                self._team, zip(fields.participant_ids, detail.participant_names, strict=True)
            ),
            checked=fields.participant_ids,
        )
        ticked, other = split_questions(fields.questions_asked)
        self.questions.set_checked(list(STANDARD_QUESTIONS), checked=False)
        self.questions.set_checked(ticked)
        self.other_questions.setValue(other)
        self.notes.setValue(fields.notes)
        self.findings.set_existing(detail.findings)
        self.findings.clear_new()

    def save_record(self, unit_id: int) -> int:
        date = self.round_date.value()
        assert date is not None  # the date box here cannot be empty
        fields = RoundFields(
            round_date=date,
            area=self.area.text(),
            executive_id=self.executive.value(),
            participant_ids=[int(k) for k in self.participants.checked_keys()],
            questions_asked=join_questions(
                [str(q) for q in self.questions.checked_keys()], self.other_questions.value()
            ),
            notes=self.notes.value(),
        )
        findings = self.findings.findings()
        self._saved_findings = self.findings.has_new()
        db = self.context.db
        if self.current_id is None:
            detail = rounds.create_round(db, unit_id, fields, findings)
        else:
            assert self.current_version is not None
            detail = rounds.update_round(
                db,
                self.current_id,
                fields,
                expected_version=self.current_version,
                new_findings=findings,
            )
        return detail.id

    def changed_kinds(self) -> tuple[str, ...]:
        return ("round", "issue") if self._saved_findings else ("round",)
