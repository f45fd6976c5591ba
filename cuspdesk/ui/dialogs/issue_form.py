"""The issue form: every tracking-log field, the workflow explained as you type, nothing lost.

A form opens as its own window (several can be open, the log stays usable behind
them). The status picker offers only the moves the workflow allows, and says
beside itself why a move would be refused before the person presses Save. A save
that clashes with someone else's shows both versions and lets the person choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import ConflictError, CuspDeskError, ValidationError
from cuspdesk.models import SOURCE_LABELS, STATUS_LABELS, IssueSource, IssueStatus
from cuspdesk.services import units
from cuspdesk.services.issues import (
    FIELD_LABELS,
    IssueDetail,
    IssueFields,
    allowed_statuses,
    check_issue,
    create_issue,
    get_issue,
    status_problems,
    update_issue,
)
from cuspdesk.services.validation import today
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.conflict import ConflictChoice, ConflictDialog
from cuspdesk.ui.dialogs.issue_notes import IssueNotesPanel
from cuspdesk.ui.widgets.fields import RATING_WORDS, OptionalDateEdit, PickList, RatingPicker
from cuspdesk.ui.widgets.form_errors import WARNING_SIGN, FieldErrors
from cuspdesk.ui.widgets.unsaved import SaveChoice, ask_to_save

CHECK_DELAY_MS = 300
PRIVACY_NOTICE = (
    "Keep patient names, record numbers and dates of birth out of the log: it is shared with "
    "the whole team and printed for executives. Describe the system problem, not the patient."
)
_TEXT_FIELDS = ("description", "action_plan", "barriers", "risk_reduced_evidence", "staff_feedback")


def _text_box(name: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


class IssueFormDialog(QDialog):
    """Open an issue (``issue_id``) or start a new one (optionally ``prefill``-ed).

    ``assessment_ids`` links staff safety assessment responses to a new issue
    when it is saved (the assessments screen converts responses this way).
    ``saved(issue_id)`` fires after every successful save.
    """

    saved = Signal(int)

    def __init__(
        self,
        context: AppContext,
        issue_id: int | None = None,
        *,
        unit_id: int | None = None,
        prefill: IssueFields | None = None,
        assessment_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.context = context
        self.db = context.db
        self.issue_id = issue_id
        self.detail: IssueDetail | None = None
        self.unit_id = unit_id if unit_id is not None else context.unit_id
        self.assessment_ids = tuple(assessment_ids)
        self._touched: set[str] = set()
        self._save_attempted = False
        self._loading = False
        self._snapshot: tuple[Any, ...] = ()
        self._fields_loaded = IssueFields(description="", date_identified=today())
        self._current_status = IssueStatus.OPEN.value
        if issue_id is not None:
            self.detail = get_issue(self.db, issue_id)
            self.unit_id = self.detail.unit_id
        if self.unit_id is None:
            raise CuspDeskError("Choose or create a unit before adding issues.")

        self._build()
        self._fill_pick_lists()
        if self.detail is not None:
            self._load_detail(self.detail)
        else:
            fields = prefill or IssueFields(description="", date_identified=today())
            if self.assessment_ids:
                fields = replace(fields, source=IssueSource.ASSESSMENT.value)
            self._load_fields(fields, IssueStatus.OPEN.value)
        self._apply_read_only()
        self._take_snapshot()

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.setAccessibleName("Issue form")
        self.heading = QLabel()
        self.heading.setAccessibleName("Issue")
        self.status_chip = QLabel()
        self.status_chip.setAccessibleName("Current status")
        self.status_chip.setStyleSheet(
            "QLabel { border: 1px solid #555; border-radius: 4px; padding: 2px 8px; }"
        )
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.status_chip)
        top.addStretch(1)

        privacy = QLabel(f"<b>Privacy:</b> {PRIVACY_NOTICE}")
        privacy.setWordWrap(True)
        privacy.setAccessibleName("Privacy notice")
        privacy.setStyleSheet(
            "QLabel { background: #eef3fb; border: 1px solid #9db3d8; padding: 6px; color: #000; }"
        )
        self.banner = QLabel()
        self.banner.setStyleSheet(
            "QLabel { background: #fdecea; border: 1px solid #a40000; padding: 6px; color: #000; }"
        )
        self.errors = FieldErrors(self.banner)
        self.read_only_notice = QLabel(
            "The database is open read-only: you can read this issue but not change it."
        )
        self.read_only_notice.setAccessibleName("Read-only notice")
        self.read_only_notice.hide()

        first = QVBoxLayout()
        first.addWidget(self._build_issue_box())
        first.addWidget(self._build_risk_box())
        first.addStretch(1)
        second = QVBoxLayout()
        second.addWidget(self._build_people_box())
        second.addWidget(self._build_plan_box())
        second.addStretch(1)
        third = QVBoxLayout()
        third.addWidget(self._build_status_box())
        self.notes = IssueNotesPanel(self.db, self.errors)
        self.notes.note_added.connect(lambda: self.context.changed("issue"))
        third.addWidget(self.notes)
        third.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(first, 4)
        columns.addLayout(second, 3)
        columns.addLayout(third, 3)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName("Issue fields")

        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_close_button = QPushButton("Save and close")
        self.save_close_button.setAccessibleName("Save and close")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.setToolTip("Close (Esc); asks first if something is not saved")
        for button in (self.save_button, self.save_close_button, self.close_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_changes)
        self.save_close_button.clicked.connect(self._save_and_close)
        self.close_button.clicked.connect(self.close)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(self.save_changes)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.save_close_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(privacy)
        layout.addWidget(self.read_only_notice)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_as_you_type)
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 1180, 760
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 40)
        self.resize(width, height)

    def _field(
        self,
        form: QFormLayout,
        label: str,
        name: str,
        widget: QWidget,
        *,
        hint: str = "",
    ) -> None:
        """Add a labelled field with its error line underneath, watched for changes."""
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet("color: #444;")
            box.addWidget(hint_label)
        box.addWidget(self.errors.add(name, widget))
        caption = QLabel(label)
        caption.setBuddy(widget)
        # The underlined mnemonic letter is drawn without kerning, a few pixels wider
        # than Qt measures it; leave room so the last letter is not cut off.
        caption.setMinimumWidth(caption.sizeHint().width() + 4)
        form.addRow(caption, container)
        self._watch(name, widget)

    def _watch(self, name: str, widget: QWidget) -> None:
        def changed(*_args: object) -> None:
            self._changed(name)

        signal: Any
        if isinstance(widget, QPlainTextEdit | QLineEdit):
            signal = widget.textChanged
        elif isinstance(widget, OptionalDateEdit):
            signal = widget.valueChanged
        elif isinstance(widget, QComboBox):
            signal = widget.currentIndexChanged
        elif isinstance(widget, QCheckBox):
            signal = widget.toggled
        else:
            return
        signal.connect(changed)

    @staticmethod
    def _form(title: str, *, labels_above: bool = False) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(
            QFormLayout.RowWrapPolicy.WrapAllRows
            if labels_above
            else QFormLayout.RowWrapPolicy.WrapLongRows
        )
        return box, form

    def _build_issue_box(self) -> QGroupBox:
        box, form = self._form("The issue")
        self.description = _text_box("Description", 3)
        self.date_identified = OptionalDateEdit("Date identified", optional=False)
        self.category = PickList("Category", empty_label="Not categorised")
        self.location = _line("Location")
        self.source = QComboBox()
        self.source.setAccessibleName("Source")
        for source, label in SOURCE_LABELS.items():
            self.source.addItem(label, source.value)
        self.event_report_ref = _line("Event report number")
        self.harm_event = QCheckBox("&Harm reached a patient")
        self.harm_event.setAccessibleName("Harm reached a patient")
        self._field(form, "&Description *", "description", self.description)
        self._field(form, "Date &identified *", "date_identified", self.date_identified)
        self._field(form, "Categor&y", "category_id", self.category)
        self._field(form, "&Location", "location", self.location)
        self._field(form, "So&urce", "source", self.source)
        self.links = QVBoxLayout()
        self.links.setContentsMargins(0, 0, 0, 0)
        links_holder = QWidget()
        links_holder.setLayout(self.links)
        self.links_caption = QLabel("Came from")
        form.addRow(self.links_caption, links_holder)
        self._field(form, "&Event report number", "event_report_ref", self.event_report_ref)
        form.addRow("", self.harm_event)
        self._watch("harm_event", self.harm_event)
        self.errors.add("harm_event", self.harm_event)
        for name in ("round_id", "meeting_id", "defect_review_id"):
            self.errors.add(name, links_holder)
        return box

    def _build_risk_box(self) -> QGroupBox:
        box, form = self._form("Risk and priority")
        self.likelihood = RatingPicker("Likelihood")
        self.severity = RatingPicker("Severity")
        self.risk_score = QLabel()
        self.risk_score.setAccessibleName("Risk score")
        self.mitigate_ability = RatingPicker("Ability to mitigate")
        self.implement_ability = RatingPicker("Ability to implement")
        self.feasibility_score = QLabel()
        self.feasibility_score.setAccessibleName("Feasibility score")
        self.rank = QLabel()
        self.rank.setAccessibleName("Priority rank")
        self._field(form, "Li&kelihood", "likelihood", self.likelihood)
        self._field(form, "Se&verity", "severity", self.severity)
        form.addRow("Risk score", self.risk_score)
        self._field(form, "Ability to &mitigate", "mitigate_ability", self.mitigate_ability)
        self._field(form, "Ability to im&plement", "implement_ability", self.implement_ability)
        form.addRow("Feasibility score", self.feasibility_score)
        form.addRow("Priority rank", self.rank)
        return box

    def _build_people_box(self) -> QGroupBox:
        box, form = self._form("Who and when", labels_above=True)
        self.owner = PickList("Owner", empty_label="No owner yet")
        self.sponsor = PickList("Executive sponsor", empty_label="None")
        self.aim = PickList("Strategic aim", empty_label="None")
        self.target_date = OptionalDateEdit("Target date")
        self.overdue_notice = QLabel()
        self.overdue_notice.setAccessibleName("Overdue")
        self.overdue_notice.setStyleSheet("QLabel { font-weight: bold; }")
        self._field(form, "&Owner", "owner_id", self.owner)
        self._field(form, "E&xecutive sponsor", "sponsor_id", self.sponsor)
        self._field(form, "Strate&gic aim", "aim_id", self.aim)
        self._field(
            form,
            "&Target date",
            "target_date",
            self.target_date,
            hint="Ctrl+Delete empties a date.",
        )
        form.addRow("", self.overdue_notice)
        return box

    def _build_plan_box(self) -> QGroupBox:
        box, form = self._form("Plan", labels_above=True)
        self.action_plan = _text_box("Action plan", 3)
        self.barriers = _text_box("Barriers needing executive help", 3)
        self.needs_executive = QCheckBox("Needs the exe&cutive's help")
        self.needs_executive.setAccessibleName("Needs the executive")
        self._field(form, "&Action plan", "action_plan", self.action_plan)
        self._field(form, "&Barriers needing executive help", "barriers", self.barriers)
        form.addRow("", self.needs_executive)
        self._watch("needs_executive", self.needs_executive)
        self.errors.add("needs_executive", self.needs_executive)
        return box

    def _build_status_box(self) -> QGroupBox:
        box, form = self._form("Status and closing the loop", labels_above=True)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status_problems = QLabel()
        self.status_problems.setWordWrap(True)
        self.status_problems.setAccessibleName("Status rules")
        self.status_note = _line("Reason for the status change")
        self.status_note.setPlaceholderText("Needed when reopening; goes into the history")
        self.date_resolved = OptionalDateEdit("Date resolved")
        self.risk_reduced_evidence = _text_box("How we know the risk is reduced", 2)
        self.staff_feedback = _text_box("Feedback given to staff", 2)
        self.feedback_date = OptionalDateEdit("Date feedback given")
        status_holder = QWidget()
        status_row = QVBoxLayout(status_holder)
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.setSpacing(2)
        status_row.addWidget(self.status)
        status_row.addWidget(self.status_problems)
        status_row.addWidget(self.errors.add("status", self.status))
        caption = QLabel("&Status")
        caption.setBuddy(self.status)
        form.addRow(caption, status_holder)
        self._watch("status", self.status)
        self._field(form, "&Reason for the change", "status_note", self.status_note)
        self._field(form, "Date resolved", "date_resolved", self.date_resolved)
        self._field(
            form,
            "How &we know the risk is reduced",
            "risk_reduced_evidence",
            self.risk_reduced_evidence,
            hint="Needed before the issue can be closed: the measure, audit or observation.",
        )
        self._field(form, "&Feedback given to staff", "staff_feedback", self.staff_feedback)
        self._field(form, "Date feedback given", "feedback_date", self.feedback_date)
        return box

    # --- filling ---------------------------------------------------------------------

    def _fill_pick_lists(self) -> None:
        assert self.unit_id is not None
        db = self.db
        categories = units.list_choices(db, units.CATEGORY_LIST, unit_id=self.unit_id)
        self.category.set_items((c.id, c.label) for c in categories)
        team = [(m.person_id, m.full_name) for m in units.list_team(db, self.unit_id)]
        self.owner.set_items(team)
        self.sponsor.set_items(team)
        self.aim.set_items((a.id, a.title) for a in units.list_aims(db, self.unit_id))
        if self.detail is not None:
            # Someone who left the team still shows as the owner of their old issues.
            fields = self.detail.fields
            for picker, person_id, name in (
                (self.owner, fields.owner_id, self.detail.owner_name),
                (self.sponsor, fields.sponsor_id, self.detail.sponsor_name),
            ):
                if person_id is not None and picker.findData(person_id) < 0:
                    picker.addItem(f"{name} (no longer on the team)", person_id)
            if fields.category_id is not None and self.category.findData(fields.category_id) < 0:
                self.category.addItem(self.detail.category_label or "(retired)", fields.category_id)

    def _load_detail(self, detail: IssueDetail) -> None:
        self.detail = detail
        self.issue_id = detail.id
        self._load_fields(detail.fields, detail.status)
        self.notes.show_issue(detail)

    def _load_fields(self, fields: IssueFields, status: str) -> None:
        self._loading = True
        self._fields_loaded = fields
        self.description.setPlainText(fields.description)
        self.date_identified.setValue(fields.date_identified)
        self.category.setValue(fields.category_id)
        self.location.setText(fields.location)
        self.source.setCurrentIndex(max(0, self.source.findData(fields.source)))
        self.event_report_ref.setText(fields.event_report_ref)
        self.harm_event.setChecked(fields.harm_event)
        self.likelihood.setValue(fields.likelihood)
        self.severity.setValue(fields.severity)
        self.mitigate_ability.setValue(fields.mitigate_ability)
        self.implement_ability.setValue(fields.implement_ability)
        self.owner.setValue(fields.owner_id)
        self.sponsor.setValue(fields.sponsor_id)
        self.aim.setValue(fields.aim_id)
        self.target_date.setValue(fields.target_date)
        self.action_plan.setPlainText(fields.action_plan)
        self.barriers.setPlainText(fields.barriers)
        self.needs_executive.setChecked(fields.needs_executive)
        self.date_resolved.setValue(fields.date_resolved)
        self.risk_reduced_evidence.setPlainText(fields.risk_reduced_evidence)
        self.staff_feedback.setPlainText(fields.staff_feedback)
        self.feedback_date.setValue(fields.feedback_date)
        self._current_status = status
        self.status.clear()
        self.status.addItem(f"{STATUS_LABELS[IssueStatus(status)]} (now)", status)
        for target in allowed_statuses(status):
            self.status.addItem(STATUS_LABELS[IssueStatus(target)], target)
        self.status.setCurrentIndex(0)
        self.status_note.clear()
        self._show_links(fields)
        self._show_heading()
        self._loading = False
        self._update_computed()

    def _show_heading(self) -> None:
        if self.detail is None:
            self.heading.setText("<h2>New issue</h2>")
            self.setWindowTitle("New issue")
            self.status_chip.setText("Not saved yet")
        else:
            self.heading.setText(f"<h2>Issue {self.detail.number}</h2>")
            self.setWindowTitle(f"Issue {self.detail.number}")
            archived = " · archived" if self.detail.archived else ""
            self.status_chip.setText(f"{self.detail.status_label}{archived}")
        self.heading.setAccessibleName(self.windowTitle())

    def _show_links(self, fields: IssueFields) -> None:
        while self.links.count():
            item = self.links.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        links: list[tuple[str, str, int]] = []
        record = self.detail.source_record if self.detail is not None else ""
        if fields.round_id is not None:
            links.append((record or "The safety round", "round", fields.round_id))
        if fields.meeting_id is not None:
            links.append((record or "The meeting", "meeting", fields.meeting_id))
        if fields.defect_review_id is not None:
            links.append((record or "The defect review", "defect", fields.defect_review_id))
        assessment_ids = self.detail.assessment_ids if self.detail else self.assessment_ids
        if assessment_ids:
            count = len(assessment_ids)
            text = f"{count} staff safety assessment response{'s' if count != 1 else ''}"
            links.append((text, "assessment", assessment_ids[0]))
        previous: QWidget = self.source
        for text, kind, record_id in links:
            button = QPushButton(f"{text} ↗")
            button.setAccessibleName(f"Open {text}")
            button.setToolTip("Open the record this issue came from")
            button.setAutoDefault(False)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(
                "QPushButton { text-align: left; color: #1a4fa0; text-decoration: underline; "
                "padding: 2px; }"
            )
            button.clicked.connect(
                lambda _c=False, k=kind, i=record_id: self.context.open_record.emit(k, i)
            )
            self.links.addWidget(button)
            # Links are made after the form is built; keep them in reading order for Tab.
            QWidget.setTabOrder(previous, button)
            previous = button
        if links:
            QWidget.setTabOrder(previous, self.event_report_ref)
        if not links:
            note = QLabel("Not linked to a round, meeting, assessment or defect review.")
            note.setWordWrap(True)
            self.links.addWidget(note)

    # --- reading the form --------------------------------------------------------------

    def current_fields(self) -> IssueFields:
        base = self._fields_loaded
        return IssueFields(
            description=self.description.toPlainText(),
            date_identified=self.date_identified.value() or base.date_identified,
            source=str(self.source.currentData()),
            round_id=base.round_id,
            meeting_id=base.meeting_id,
            defect_review_id=base.defect_review_id,
            event_report_ref=self.event_report_ref.text(),
            category_id=self.category.value(),
            location=self.location.text(),
            likelihood=self.likelihood.value(),
            severity=self.severity.value(),
            mitigate_ability=self.mitigate_ability.value(),
            implement_ability=self.implement_ability.value(),
            owner_id=self.owner.value(),
            sponsor_id=self.sponsor.value(),
            aim_id=self.aim.value(),
            action_plan=self.action_plan.toPlainText(),
            barriers=self.barriers.toPlainText(),
            needs_executive=self.needs_executive.isChecked(),
            target_date=self.target_date.value(),
            date_resolved=self.date_resolved.value(),
            risk_reduced_evidence=self.risk_reduced_evidence.toPlainText(),
            staff_feedback=self.staff_feedback.toPlainText(),
            feedback_date=self.feedback_date.value(),
            harm_event=self.harm_event.isChecked(),
        )

    def target_status(self) -> str:
        return str(self.status.currentData())

    def _state(self) -> tuple[Any, ...]:
        return (
            tuple(asdict(self.current_fields()).items()),
            self.target_status(),
            self.status_note.text(),
            self.notes.pending_text(),
        )

    def _take_snapshot(self) -> None:
        # A note typed but not yet added is unsaved work whatever else happened.
        self._snapshot = (*self._state()[:3], "")

    def has_unsaved_changes(self) -> bool:
        return not self.context.read_only and self._state() != self._snapshot

    def discard_changes(self) -> None:
        """Forget what was typed, so the form can close without asking again."""
        self.notes.set_pending_text("")
        self._take_snapshot()

    # --- as the person types -----------------------------------------------------------

    def _changed(self, name: str) -> None:
        if self._loading:
            return
        self._touched.add(name)
        self._update_computed()
        self._check_timer.start()

    def _update_computed(self) -> None:
        fields = self.current_fields()
        self.risk_score.setText(self._score_text(fields.likelihood, fields.severity))
        self.feasibility_score.setText(
            self._score_text(fields.mitigate_ability, fields.implement_ability)
        )
        if self.detail is not None and self.detail.priority_rank is not None:
            self.rank.setText(f"{self.detail.priority_rank} on the Concerns board")
        elif self.detail is None:
            self.rank.setText("Goes to the bottom of the Concerns board when saved")
        else:
            self.rank.setText("Not ranked (resolved or closed)")
        self._show_overdue(fields)
        self._show_status_rules(fields)

    @staticmethod
    def _score_text(a: int | None, b: int | None) -> str:
        if a is None or b is None:
            return "Rate both to get the score"
        return f"{a * b} of 25 ({a} × {b})"

    def _show_overdue(self, fields: IssueFields) -> None:
        active = IssueStatus(self.target_status()).is_active
        if active and fields.target_date is not None and fields.target_date < today():
            days = (today() - fields.target_date).days
            self.overdue_notice.setText(
                f"{WARNING_SIGN} {days} day{'s' if days != 1 else ''} overdue"
            )
        else:
            self.overdue_notice.setText("")

    def _show_status_rules(self, fields: IssueFields) -> None:
        target = self.target_status()
        problems = status_problems(self._current_status, target, fields, self.status_note.text())
        if problems:
            self.status_problems.setText("\n".join(f"{WARNING_SIGN} {p}" for p in problems))
            self.status_problems.setStyleSheet("QLabel { color: #a40000; }")
        elif target != self._current_status:
            label = STATUS_LABELS[IssueStatus(target)].lower()
            self.status_problems.setText(f"✓ Will be marked {label} when you save.")
            self.status_problems.setStyleSheet("QLabel { color: #1d5e20; }")
        else:
            self.status_problems.setText("")
        self.status_problems.setVisible(bool(self.status_problems.text()))

    def status_rule_text(self) -> str:
        return self.status_problems.text()

    def check_as_you_type(self) -> None:
        """Show the save-time problems of the fields already touched, without saving."""
        self._check_timer.stop()
        assert self.unit_id is not None
        try:
            check_issue(self.db, self.unit_id, self.current_fields())
        except ValidationError as exc:
            shown = [
                p for p in exc.problems if self._save_attempted or (p.field or "") in self._touched
            ]
            if shown:
                self.errors.show(ValidationError(shown), as_you_type=True)
            else:
                self.errors.clear()
            return
        except CuspDeskError:
            return  # the database is busy or gone; Save will say so in words
        self.errors.clear()

    # --- saving ----------------------------------------------------------------------

    def save_changes(self) -> bool:
        """Save; on refusal show why beside the fields and keep every character typed."""
        if self.context.read_only:
            self.errors.show_message("The database is open read-only, so nothing can be saved.")
            return False
        assert self.unit_id is not None
        self._save_attempted = True
        self._check_timer.stop()
        fields = self.current_fields()
        target = self.target_status()
        note = self.status_note.text()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            detail = self._write(fields, target, note, self.detail.version if self.detail else 0)
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except ConflictError as exc:
            return self._resolve_conflict(exc, fields, target, note)
        except CuspDeskError as exc:
            self.errors.show_message(str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        return self._saved(detail)

    def _write(self, fields: IssueFields, target: str, note: str, version: int) -> IssueDetail:
        assert self.unit_id is not None
        if self.detail is None:
            return create_issue(
                self.db, self.unit_id, fields, status=target, assessment_ids=self.assessment_ids
            )
        return update_issue(
            self.db,
            self.detail.id,
            fields,
            expected_version=version,
            status=target if target != self.detail.status else None,
            status_note=note,
        )

    def _saved(self, detail: IssueDetail) -> bool:
        """After a save: show what was stored, and add a note typed but not yet added
        (a person pressing Save expects everything on the form to be kept)."""
        pending_note = self.notes.pending_text()
        self._load_detail(detail)
        self.notes.set_pending_text(pending_note)
        self.errors.clear()
        self._touched.clear()
        self._save_attempted = False
        self._take_snapshot()
        self.context.changed("issue")
        self.context.status_message.emit(f"Issue {detail.number} saved.")
        self.saved.emit(detail.id)
        return not pending_note.strip() or self.notes.add()

    def _save_and_close(self) -> None:
        if self.save_changes():
            self.close()

    def _resolve_conflict(
        self, exc: ConflictError, fields: IssueFields, target: str, note: str
    ) -> bool:
        assert self.detail is not None
        rows = self._conflict_rows(exc, target)
        dialog = ConflictDialog(f"Issue {self.detail.number}", rows, self)
        dialog.exec()
        if dialog.choice is ConflictChoice.KEEP_THEIRS:
            self._load_detail(get_issue(self.db, self.detail.id))
            self._take_snapshot()
            self.errors.clear()
            self.context.changed("issue")
            return True
        if dialog.choice is not ConflictChoice.KEEP_MINE:
            self.errors.show_message(
                "Not saved: someone else changed this issue. Save again to choose which "
                "version to keep."
            )
            return False
        theirs_status = str(exc.theirs.get("status", self.detail.status))
        try:
            detail = update_issue(
                self.db,
                self.detail.id,
                fields,
                expected_version=exc.current_version or self.detail.version,
                status=target if target != theirs_status else None,
                status_note=note,
            )
        except ValidationError as error:
            self.errors.show(error)
            return False
        except ConflictError as again:
            return self._resolve_conflict(again, fields, target, note)
        except CuspDeskError as error:
            self.errors.show_message(str(error))
            return False
        return self._saved(detail)

    def _conflict_rows(self, exc: ConflictError, target: str) -> list[tuple[str, str, str]]:
        rows = [
            (
                FIELD_LABELS.get(name, name),
                self._shown(name, exc.theirs.get(name)),
                self._shown(name, exc.mine.get(name)),
            )
            for name in exc.differing_fields
        ]
        theirs_status = exc.theirs.get("status")
        if theirs_status is not None and theirs_status != target:
            rows.append(
                (
                    "Status",
                    STATUS_LABELS[IssueStatus(theirs_status)],
                    STATUS_LABELS[IssueStatus(target)],
                )
            )
        return rows

    def _shown(self, name: str, value: object) -> str:
        """A value as the person saw it in the form (names, not id numbers)."""
        pickers: dict[str, QComboBox] = {
            "category_id": self.category,
            "owner_id": self.owner,
            "sponsor_id": self.sponsor,
            "aim_id": self.aim,
            "source": self.source,
        }
        if value is None or value == "":
            return "(empty)"
        if name in pickers:
            picker = pickers[name]
            index = picker.findData(value)
            return picker.itemText(index) if index >= 0 else str(value)
        if name in ("likelihood", "severity", "mitigate_ability", "implement_ability"):
            return RATING_WORDS.get(int(str(value)), str(value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    # --- read-only and closing ---------------------------------------------------------

    def _apply_read_only(self) -> None:
        if not self.context.read_only:
            return
        self.read_only_notice.show()
        for edit in self.findChildren(QPlainTextEdit) + self.findChildren(QLineEdit):
            edit.setReadOnly(True)
        for widget in (
            self.findChildren(QComboBox)
            + self.findChildren(QCheckBox)
            + self.findChildren(OptionalDateEdit)
        ):
            widget.setEnabled(False)
        for button in (self.save_button, self.save_close_button):
            button.setEnabled(False)
            button.setToolTip("The database is open read-only.")
        self.notes.set_read_only(True)

    def reject(self) -> None:
        """Esc goes through the same unsaved-changes question as the close button."""
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.has_unsaved_changes():
            name = self.windowTitle() or "this issue"
            choice = ask_to_save(self, [name])
            if choice is SaveChoice.CANCEL or (
                choice is SaveChoice.SAVE and not self.save_changes()
            ):
                event.ignore()
                return
        event.accept()


def open_issue_form(
    context: AppContext,
    issue_id: int | None = None,
    *,
    unit_id: int | None = None,
    prefill: IssueFields | None = None,
    assessment_ids: Sequence[int] = (),
    parent: QWidget | None = None,
) -> IssueFormDialog | None:
    """Show an issue's form, bringing an already open one to the front instead of a twin."""
    if issue_id is not None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, IssueFormDialog)
                and widget.issue_id == issue_id
                and widget.context is context
                and widget.isVisible()
            ):
                widget.raise_()
                widget.activateWindow()
                return widget
    try:
        form = IssueFormDialog(
            context,
            issue_id,
            unit_id=unit_id,
            prefill=prefill,
            assessment_ids=assessment_ids,
            parent=parent,
        )
    except CuspDeskError as exc:
        QMessageBox.warning(parent, "Issue not opened", str(exc))
        return None
    form.show()
    form.raise_()
    form.activateWindow()
    return form
