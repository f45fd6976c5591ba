"""Staff Safety Assessment: type in a stack of paper answers fast, group them, act on them.

Answers are anonymous unless a role is given. Ctrl+Enter saves one and clears
the form for the next. Selected responses can be categorised together, and one
or several can become a single tracking-log issue.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import ConflictError, CuspDeskError, ValidationError
from cuspdesk.models import IssueSource
from cuspdesk.services import assessments, units
from cuspdesk.services.assessments import (
    HARM_QUESTION,
    PREVENTION_QUESTION,
    AssessmentFields,
    AssessmentRow,
)
from cuspdesk.services.issues import IssueFields
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.dialogs.issue_form import open_issue_form
from cuspdesk.ui.models.plain_rows import Column, PlainRowsModel
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.screens.list_form import READ_ONLY_NOTE, make_banner, make_heading
from cuspdesk.ui.screens.options import choice_options, with_missing
from cuspdesk.ui.widgets.change_watcher import ChangeWatcher
from cuspdesk.ui.widgets.fields import OptionalDateEdit, PickList
from cuspdesk.ui.widgets.form_errors import FieldErrors
from cuspdesk.ui.widgets.form_section import FormSection
from cuspdesk.ui.widgets.record_browser import RecordBrowser
from cuspdesk.ui.widgets.record_table import RecordTable
from cuspdesk.ui.widgets.text_area import TextArea
from cuspdesk.ui.widgets.unsaved import SaveChoice, ask_to_save

ANONYMOUS = "Anonymous"

COLUMNS: list[Column[AssessmentRow]] = [
    Column("Date", lambda r: r.response_date),
    Column("Role", lambda r: r.respondent_role or ANONYMOUS),
    Column(
        "How will the next patient be harmed?",
        lambda r: _one_line(r.harm_answer),
        stretch=True,
        tooltip=lambda r: _both_answers(r),
    ),
    Column("Category", lambda r: r.category),
    Column(
        "Issue",
        lambda r: f"#{r.issue_number}" if r.issue_number is not None else "",
        sort_key=lambda r: r.issue_number,
        header_tip="The tracking-log issue this response fed",
    ),
]

THEME_COLUMNS: list[Column[tuple[str, int]]] = [
    Column("Category", lambda t: t[0], stretch=True),
    Column("Responses", lambda t: t[1], numeric=True),
]


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _both_answers(row: AssessmentRow) -> str:
    return (
        f"{HARM_QUESTION}\n{row.harm_answer[:1500]}\n\n"
        f"{PREVENTION_QUESTION}\n{row.prevention_answer[:1500] or '(no answer)'}"
    )


def issue_prefill(rows: Sequence[AssessmentRow]) -> IssueFields:
    """What an issue made from these responses starts with; the team edits it before saving."""
    harm = [r.harm_answer.strip() for r in rows]
    ideas = [r.prevention_answer.strip() for r in rows if r.prevention_answer.strip()]
    categories = {r.category_id for r in rows}
    description = harm[0] if len(harm) == 1 else "\n".join(f"• {h}" for h in harm)
    plan = "" if not ideas else "Staff suggested:\n" + "\n".join(f"• {i}" for i in ideas)
    return IssueFields(
        description=description,
        date_identified=max(r.response_date for r in rows),
        source=IssueSource.ASSESSMENT.value,
        category_id=categories.pop() if len(categories) == 1 else None,
        action_plan=plan,
    )


class AssessmentsScreen(Screen):
    key = "assessments"
    title = "Staff safety assessments"
    record_kinds = ("assessment",)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.editing_id: int | None = None
        self.editing_version: int | None = None
        self.saved_count = 0
        self._stale = True
        self._categories: list[tuple[int, str]] = []
        self.watcher = ChangeWatcher(self)
        self.watcher.changed.connect(self._update_state)

        # --- entry -------------------------------------------------------------------
        self.entry_heading = make_heading("New response")
        self.banner = make_banner()
        self.errors = FieldErrors(self.banner)
        entry = FormSection("Type in one answer sheet", self.errors)
        self.response_date = OptionalDateEdit("Date of the response", optional=False)
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.setAccessibleName("Role (optional)")
        self.role.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.role.lineEdit()
        if line is not None:
            line.setPlaceholderText("Anonymous — leave empty")
        self.harm = TextArea(HARM_QUESTION, lines=5)
        self.prevention = TextArea(PREVENTION_QUESTION, lines=4)
        self.category = PickList("Category (optional)", empty_label="Not categorised yet")
        entry.add("&Date:", self.response_date, "response_date")
        entry.add("&Role:", self.role, "respondent_role", hint="Anonymous unless a role is given.")
        entry.add(HARM_QUESTION.replace("will", "&will"), self.harm, "harm_answer")
        entry.add(
            PREVENTION_QUESTION.replace("prevent", "&prevent"), self.prevention, "prevention_answer"
        )
        entry.add("Ca&tegory:", self.category, "category_id")
        entry.form.setRowWrapPolicy(entry.form.RowWrapPolicy.WrapAllRows)
        self.save_button = QPushButton("&Save and next (Ctrl+Enter)")
        self.save_button.setAccessibleName("Save and next")
        self.save_button.clicked.connect(self.save_changes)
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setAccessibleName("Clear the form")
        self.clear_button.clicked.connect(self._clear_clicked)
        self.state_note = QLabel()
        self.state_note.setWordWrap(True)
        self.state_note.setAccessibleName("Save state")
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save_changes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)

        self.theme_model: PlainRowsModel[tuple[str, int]] = PlainRowsModel(
            THEME_COLUMNS, lambda t: 0
        )
        self.themes = RecordTable("Themes: responses by category")
        self.themes.setModel(self.theme_model)
        self.themes.horizontalHeader().setStretchLastSection(False)
        self.themes.horizontalHeader().setSectionResizeMode(
            0, self.themes.horizontalHeader().ResizeMode.Stretch
        )
        self.themes.row_activated.connect(self._theme_chosen)
        themes_label = QLabel("The&mes (responses by category; Enter shows them):")
        themes_label.setBuddy(self.themes)

        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 8, 0)
        left_column.addWidget(self.entry_heading)
        left_column.addWidget(self.banner)
        left_column.addWidget(entry)
        left_column.addLayout(buttons)
        left_column.addWidget(self.state_note)
        left_column.addWidget(themes_label)
        self.themes.setMinimumHeight(self.themes.verticalHeader().defaultSectionSize() * 5)
        left_column.addWidget(self.themes, 1)

        # --- responses -----------------------------------------------------------------
        self.browser = RecordBrowser(
            "response",
            "responses",
            COLUMNS,
            lambda r: r.id,
            multi_select=True,
            name="Responses",
        )
        self.browser.new_requested.connect(self.start_new)
        self.browser.search_changed.connect(lambda _text: self._reload_list())
        self.browser.view.row_activated.connect(self._edit_row)
        self.browser.view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_actions()
        )
        self.filter_category = PickList("Show category", empty_label="All categories")
        self.filter_category.currentIndexChanged.connect(lambda _i: self._reload_list())
        self.unlinked_only = QCheckBox("Only those not yet in an issue")
        self.unlinked_only.setAccessibleName("Only responses not yet in an issue")
        self.unlinked_only.toggled.connect(lambda _on: self._reload_list())
        filters = QHBoxLayout()
        filters.addWidget(self.filter_category, 1)
        filters.addWidget(self.unlinked_only)

        self.categorise_as = PickList("Categorise selected as", empty_label="Not categorised")
        self.categorise_button = QPushButton("C&ategorise selected")
        self.categorise_button.setAccessibleName("Categorise selected")
        self.categorise_button.clicked.connect(self._categorise_selected)
        self.convert_button = QPushButton("Turn selected into an &issue…")
        self.convert_button.setAccessibleName("Turn selected into an issue")
        self.convert_button.clicked.connect(self._convert_selected)
        self.open_issue_button = QPushButton("&Open its issue")
        self.open_issue_button.setAccessibleName("Open the selected response's issue")
        self.open_issue_button.clicked.connect(self._open_linked_issue)
        self.edit_button = QPushButton("Edit sele&cted")
        self.edit_button.setAccessibleName("Edit the selected response")
        self.edit_button.clicked.connect(lambda: self._edit_row(-1))
        categorise_row = QHBoxLayout()
        categorise_label = QLabel("Categorise as:")
        categorise_label.setBuddy(self.categorise_as)
        categorise_row.addWidget(categorise_label)
        categorise_row.addWidget(self.categorise_as, 1)
        categorise_row.addWidget(self.categorise_button)
        act_row = QHBoxLayout()
        act_row.addWidget(self.edit_button)
        act_row.addWidget(self.open_issue_button)
        act_row.addStretch(1)
        act_row.addWidget(self.convert_button)
        self.list_banner = make_banner()
        self.list_banner.hide()

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(8, 0, 0, 0)
        right_column.addLayout(filters)
        right_column.addWidget(self.browser, 1)
        right_column.addWidget(self.list_banner)
        right_column.addLayout(categorise_row)
        right_column.addLayout(act_row)

        # Scrolls rather than forcing the window taller on a small screen or with big fonts.
        left_scroll = QScrollArea()
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        left_scroll.setAccessibleName("Response form")
        left_scroll.setWidget(left)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left_scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 660])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(splitter)

        self.watcher.watch(self.response_date, self.role, self.harm, self.prevention, self.category)
        self._update_actions()
        self._update_state()

    # --- Screen contract ------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        unit_id = self.context.unit_id
        self.setEnabled(unit_id is not None)
        if unit_id is None:
            return
        db = self.context.db
        with self.watcher.paused():
            self._categories = choice_options(db, units.CATEGORY_LIST, unit_id)
            self.category.set_items(self._categories)
            self.categorise_as.set_items(self._categories)
            self.filter_category.blockSignals(True)
            self.filter_category.set_items(self._categories)
            self.filter_category.blockSignals(False)
            roles = [label for _id, label in choice_options(db, units.ROLE_LIST, unit_id)]
            typed = self.role.currentText()
            self.role.clear()
            self.role.addItems(["", *roles])
            self.role.setCurrentText(typed)
        self._reload_list()

    def has_unsaved_changes(self) -> bool:
        return self.watcher.dirty and bool(
            self.harm.value().strip()
            or self.prevention.value().strip()
            or self.editing_id is not None
        )

    def discard_changes(self) -> None:
        self.watcher.mark_clean()
        self._show_new(keep_date=True)

    def save_changes(self) -> bool:
        """Save the response in the form; on success the form is ready for the next sheet."""
        unit_id = self.context.unit_id
        if unit_id is None:
            return False
        if self.context.read_only:
            self.errors.show_message(READ_ONLY_NOTE)
            return False
        answer_date = self.response_date.value()
        assert answer_date is not None  # this date box cannot be empty
        fields = AssessmentFields(
            response_date=answer_date,
            harm_answer=self.harm.value(),
            prevention_answer=self.prevention.value(),
            respondent_role=self.role.currentText(),
            category_id=self.category.value(),
        )
        self.errors.clear()
        try:
            if self.editing_id is None:
                assessments.create_response(self.context.db, unit_id, fields)
            else:
                assert self.editing_version is not None
                assessments.update_response(
                    self.context.db,
                    self.editing_id,
                    fields,
                    expected_version=self.editing_version,
                )
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except ConflictError as exc:
            self.errors.show_message(f"{exc} What you typed is still here.")
            return False
        except CuspDeskError as exc:
            self.errors.show_message(f"Not saved: {exc}")
            return False
        was_editing = self.editing_id is not None
        self.saved_count += 0 if was_editing else 1
        self.watcher.mark_clean()
        self._show_new(keep_date=True)
        self._reload_list()
        note = (
            "Saved the changes."
            if was_editing
            else f"Saved. {self.saved_count} typed in so far — ready for the next one."
        )
        self.state_note.setText(note)
        self.context.status_message.emit(note)
        self.announce("assessment")
        return True

    def focus_search(self) -> None:
        self.browser.search.setFocus()
        self.browser.search.selectAll()

    def open_record(self, record_id: int) -> None:
        if self._stale:
            self.refresh()
        self.browser.select_id(record_id, quiet=True)
        self._edit(record_id)

    def _on_data_changed(self, kind: str) -> None:
        if self._announcing:
            return
        if kind in ("assessment", "issue", "unit", "team"):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    # --- entry ------------------------------------------------------------------------

    def start_new(self) -> None:
        if self._confirm_leave():
            self._show_new(keep_date=True)
            self.harm.setFocus()

    def _clear_clicked(self) -> None:
        self.start_new()

    def _show_new(self, *, keep_date: bool) -> None:
        with self.watcher.paused():
            self.errors.clear()
            if not keep_date:
                self.response_date.setValue(None)
            self.role.setCurrentText("")
            self.harm.clear()
            self.prevention.clear()
            self.category.setValue(None)
        self.editing_id = None
        self.editing_version = None
        self.entry_heading.setText("New response")
        self.save_button.setText("&Save and next (Ctrl+Enter)")
        self.watcher.mark_clean()
        self._update_state()
        self.harm.setFocus()

    def _edit_row(self, _row: int) -> None:
        ids = self.browser.selected_ids()
        if len(ids) == 1:
            self._edit(ids[0])

    def _edit(self, response_id: int) -> None:
        row = self.browser.row_for(response_id)
        if row is None or not self._confirm_leave():
            return
        with self.watcher.paused():
            self.errors.clear()
            self.response_date.setValue(row.response_date)
            self.role.setCurrentText(row.respondent_role)
            self.harm.setValue(row.harm_answer)
            self.prevention.setValue(row.prevention_answer)
            self.category.set_items(
                with_missing(self._categories, [(row.category_id, row.category)]),
                keep=row.category_id,
            )
        self.editing_id = row.id
        self.editing_version = row.version
        self.entry_heading.setText(f"Response of {row.response_date.isoformat()}")
        self.save_button.setText("&Save changes (Ctrl+Enter)")
        self.watcher.mark_clean()
        self._update_state()
        self.harm.setFocus()

    def _confirm_leave(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        choice = ask_to_save(self, ["the response you are typing"])
        if choice is SaveChoice.SAVE:
            return self.save_changes()
        if choice is SaveChoice.DISCARD:
            self.watcher.mark_clean()
            return True
        return False

    def _update_state(self) -> None:
        self.save_button.setEnabled(not self.context.read_only)
        if self.context.read_only:
            self.state_note.setText(READ_ONLY_NOTE)
        elif self.has_unsaved_changes():
            self.state_note.setText("Not saved yet.")

    # --- list, themes and actions ---------------------------------------------------------

    def _reload_list(self) -> None:
        unit_id = self.context.unit_id
        if unit_id is None:
            return
        db = self.context.db
        keep = self.browser.selected_ids()
        rows = assessments.list_responses(
            db,
            unit_id,
            text=self.browser.search.text(),
            category_id=self.filter_category.value(),
            unlinked_only=self.unlinked_only.isChecked(),
        )
        self.browser.set_rows(rows, keep=keep[0] if len(keep) == 1 else None)
        self.theme_model.set_rows(assessments.response_counts_by_category(db, unit_id))
        self._update_actions()

    def _selected_rows(self) -> list[AssessmentRow]:
        rows = (self.browser.row_for(i) for i in self.browser.selected_ids())
        return [r for r in rows if r is not None]

    def _update_actions(self) -> None:
        rows = self._selected_rows()
        writable = not self.context.read_only
        self.categorise_button.setEnabled(bool(rows) and writable)
        self.convert_button.setEnabled(bool(rows) and writable)
        self.edit_button.setEnabled(len(rows) == 1)
        linked = [r for r in rows if r.issue_number is not None]
        self.open_issue_button.setEnabled(len(linked) >= 1)
        self.open_issue_button.setText(
            f"&Open issue #{linked[0].issue_number}" if linked else "&Open its issue"
        )
        count = len(rows)
        self.convert_button.setText(
            "Turn selected into an &issue…"
            if count <= 1
            else f"Turn {count} selected into one &issue…"
        )

    def _theme_chosen(self, row: int) -> None:
        theme = self.theme_model.row_at(row)
        if theme is None:
            return
        match = next((cid for cid, label in self._categories if label == theme[0]), None)
        self.filter_category.setValue(match)

    def _show_list_problem(self, message: str) -> None:
        self.list_banner.setText(f"⚠ {message}")
        self.list_banner.show()

    def _categorise_selected(self) -> None:
        ids = self.browser.selected_ids()
        if not ids:
            return
        self.list_banner.hide()
        try:
            assessments.categorise(self.context.db, ids, self.categorise_as.value())
        except CuspDeskError as exc:
            self._show_list_problem(str(exc))
            return
        label = self.categorise_as.currentText()
        self._reload_list()
        for response_id in ids:
            self.browser.view.selectRow(self.browser.model.row_of(response_id))
        self.context.status_message.emit(f"{len(ids)} responses now under “{label}”.")
        self.announce("assessment")

    def _convert_selected(self) -> None:
        rows = self._selected_rows()
        unit_id = self.context.unit_id
        if not rows or unit_id is None:
            return
        self.list_banner.hide()
        linked = sorted({r.issue_number for r in rows if r.issue_number is not None})
        if linked:
            numbers = ", ".join(f"#{n}" for n in linked)
            self._show_list_problem(
                f"Some of the selected responses already fed issue {numbers}. "
                "Open that issue instead, or select only responses without an issue."
            )
            return
        self.open_issue_form(unit_id, rows)

    def open_issue_form(self, unit_id: int, rows: Sequence[AssessmentRow]) -> None:
        """Let the team shape the issue in the issue form; saving it links the responses
        (and the form's "issue" change reloads this list with the new issue number)."""
        open_issue_form(
            self.context,
            unit_id=unit_id,
            prefill=issue_prefill(rows),
            assessment_ids=[r.id for r in rows],
            parent=self,
        )

    def _open_linked_issue(self) -> None:
        linked = [r for r in self._selected_rows() if r.issue_id is not None]
        if linked and linked[0].issue_id is not None:
            self.context.open_record.emit("issue", linked[0].issue_id)
