"""The follow-up history of an issue, and the box to add a dated note to it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.db import Database
from cuspdesk.errors import CuspDeskError, ValidationError
from cuspdesk.services.issues import IssueDetail, NoteInfo, add_note, get_issue
from cuspdesk.services.validation import today
from cuspdesk.ui.widgets.fields import OptionalDateEdit
from cuspdesk.ui.widgets.form_errors import FieldErrors

KIND_WORDS = {"note": "Note", "status": "Status"}


def note_line(note: NoteInfo) -> str:
    who = f" · {note.author}" if note.author else ""
    kind = KIND_WORDS.get(note.kind, note.kind.title())
    return f"{note.note_date.isoformat()} · {kind}{who}\n{note.text}"


class IssueNotesPanel(QGroupBox):
    """Shows the history oldest first; a note is added at once (it does not wait for Save)."""

    note_added = Signal()

    def __init__(self, db: Database, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__("Follow-up notes", parent)
        self.db = db
        self.errors = errors
        self.issue_id: int | None = None
        self.history = QListWidget()
        self.history.setAccessibleName("Follow-up notes")
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history.setMinimumHeight(self.history.fontMetrics().lineSpacing() * 4)
        self.history.setMaximumHeight(self.history.fontMetrics().lineSpacing() * 6)
        self.note_date = OptionalDateEdit("Date of the new note", optional=False)
        self.note_text = QPlainTextEdit()
        self.note_text.setAccessibleName("New note")
        self.note_text.setTabChangesFocus(True)
        self.note_text.setPlaceholderText("What happened since the last note")
        self.note_text.setMaximumHeight(self.note_text.fontMetrics().lineSpacing() * 3 + 14)
        self.add_button = QPushButton("Add &note")
        self.add_button.setAccessibleName("Add note")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        caption = QLabel("New note:")
        caption.setBuddy(self.note_text)
        entry = QHBoxLayout()
        entry.addWidget(caption)
        entry.addWidget(self.note_date)
        entry.addStretch(1)
        entry.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.history)
        layout.addLayout(entry)
        layout.addWidget(self.note_text)
        layout.addWidget(errors.add("note", self.note_text))
        layout.addWidget(errors.add("note_date", self.note_date))
        layout.addWidget(self.hint)
        self.show_issue(None)

    def show_issue(self, detail: IssueDetail | None) -> None:
        self.issue_id = detail.id if detail is not None else None
        self.history.clear()
        if detail is None:
            self.history.addItem("No notes yet: the history starts when the issue is saved.")
        else:
            for note in detail.notes:
                self.history.addItem(note_line(note))
            if not detail.notes:
                self.history.addItem("No notes yet.")
            self.history.scrollToBottom()
        saved = detail is not None
        self.add_button.setEnabled(saved)
        self.hint.setText("" if saved else "A note typed here is added when you save the issue.")
        self.hint.setVisible(not saved)

    def pending_text(self) -> str:
        return self.note_text.toPlainText()

    def set_pending_text(self, text: str) -> None:
        self.note_text.setPlainText(text)

    def set_read_only(self, read_only: bool) -> None:
        self.note_text.setReadOnly(read_only)
        self.note_date.setEnabled(not read_only)
        self.add_button.setEnabled(not read_only and self.issue_id is not None)

    def add(self) -> bool:
        if self.issue_id is None:
            return False
        try:
            add_note(self.db, self.issue_id, self.note_text.toPlainText(), self.note_date.value())
            detail = get_issue(self.db, self.issue_id)
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except CuspDeskError as exc:
            self.errors.show_message(str(exc))
            return False
        self.errors.clear()
        self.note_text.clear()
        self.note_date.setValue(today())
        self.show_issue(detail)
        self.note_added.emit()
        return True
