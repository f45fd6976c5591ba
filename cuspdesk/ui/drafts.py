"""Keep what a person types in a form as a draft, and offer drafts back after a crash.

A form attaches a ``DraftKeeper`` with two callables (``collect`` gives the
form's input as a dict, ``restore`` puts such a dict back) and tells it when
the input changed and when it was saved. The keeper writes the draft a moment
after typing stops, so a crash loses at most that moment.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import CuspDeskError
from cuspdesk.services import drafts
from cuspdesk.services.drafts import NEW_RECORD, DraftInfo
from cuspdesk.ui.context import AppContext

SAVE_DELAY_MS = 1500
FORM_LABELS = {
    "issue": "Issue",
    "meeting": "Meeting",
    "round": "Safety round",
    "assessment": "Staff safety assessment",
    "defect": "Defect review",
    "measure": "Measure",
    "unit": "Unit settings",
    "note": "Issue note",
}

_live_keepers: weakref.WeakSet[DraftKeeper] = weakref.WeakSet()


def form_label(form: str) -> str:
    return FORM_LABELS.get(form, form.replace("_", " ").capitalize())


class DraftKeeper(QObject):
    """Saves one form's input as a draft shortly after the person stops typing.

    Call ``changed()`` on every edit (or ``watch(widgets)`` to connect the usual
    change signals), ``saved()`` after the record is saved and ``discarded()``
    when the person cancels on purpose. Drafts that cannot be written (a
    read-only database, a full disk) are reported once on the status bar; the
    form itself keeps its input either way.
    """

    def __init__(
        self,
        context: AppContext,
        form: str,
        collect: Callable[[], dict[str, Any]],
        restore: Callable[[dict[str, Any]], None],
        *,
        record_key: str = NEW_RECORD,
        delay_ms: int = SAVE_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.form = form
        self.record_key = record_key
        self._collect = collect
        self._restore = restore
        self._dirty = False
        self._warned = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.save_now)
        _live_keepers.add(self)

    @property
    def pending(self) -> bool:
        """True while typed input is waiting to be written as a draft."""
        return self._dirty

    def watch(self, widgets: Iterable[QWidget]) -> None:
        """Treat any edit in these widgets as a change to the form."""
        for widget in widgets:
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self.changed)
            elif isinstance(widget, QTextEdit | QPlainTextEdit):
                widget.textChanged.connect(self.changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self.changed)
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(self.changed)
            elif isinstance(widget, QAbstractSpinBox):
                widget.editingFinished.connect(self.changed)
            elif isinstance(widget, QAbstractButton):
                widget.toggled.connect(self.changed)

    def changed(self, *_args: object) -> None:
        self._dirty = True
        self._timer.start()

    def save_now(self) -> None:
        """Write the draft at once (the idle lock and closing the window call this)."""
        self._timer.stop()
        if not self._dirty:
            return
        try:
            drafts.save_draft(self.context.db, self.form, self.record_key, self._collect())
        except CuspDeskError as exc:
            if not self._warned:
                self._warned = True
                self.context.status_message.emit(f"Your typing could not be kept as a draft: {exc}")
            return
        self._dirty = False

    def saved(self) -> None:
        """The record was saved: the draft is no longer needed."""
        self._forget()

    def discarded(self) -> None:
        """The person threw the input away on purpose."""
        self._forget()

    def set_record_key(self, record_key: str) -> None:
        """A new record got its id on first save; later drafts belong to it."""
        self.record_key = record_key

    def restore_if_any(self) -> bool:
        """Put a kept draft back into the form; True if there was one."""
        try:
            payload = drafts.load_draft(self.context.db, self.form, self.record_key)
        except CuspDeskError:
            return False
        if payload is None:
            return False
        self._restore(payload)
        self._dirty = False
        return True

    def _forget(self) -> None:
        self._timer.stop()
        self._dirty = False
        try:
            drafts.discard_draft(self.context.db, self.form, self.record_key)
        except CuspDeskError as exc:
            self.context.status_message.emit(f"An old draft could not be removed: {exc}")


def save_all_drafts() -> None:
    """Write every form's pending input now: before locking, and before closing."""
    for keeper in list(_live_keepers):
        if shiboken6.isValid(keeper):  # a closed form's keeper may linger until collected
            keeper.save_now()


# --- offering drafts back at start-up -------------------------------------------------


class DraftOfferDialog(QDialog):
    """Lists drafts left by a crash; the person ticks those to reopen and may discard the rest."""

    def __init__(self, found: list[DraftInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unsaved work found")
        self.setAccessibleName("Unsaved work found")
        self.found = found
        self.chosen: list[DraftInfo] = []
        self.to_discard: list[DraftInfo] = []
        layout = QVBoxLayout(self)
        intro = QLabel(
            "CUSPDesk closed before this work was saved. Tick what you want to reopen; "
            "what you do not tick is kept until you discard it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Unsaved drafts")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for info in found:
            when = info.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
            what = form_label(info.form)
            if info.record_key != NEW_RECORD:
                what += f" {info.record_key}"
            else:
                what = f"New {what.lower()}"
            item = QListWidgetItem(f"{what} — {when}: {info.preview or '(no text)'}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        intro.setBuddy(self.list)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        self.reopen_button = QPushButton("&Reopen ticked")
        self.reopen_button.setAccessibleName("Reopen ticked drafts")
        self.discard_button = QPushButton("&Discard ticked")
        self.discard_button.setAccessibleName("Discard ticked drafts")
        self.later_button = QPushButton("&Later")
        self.later_button.setAccessibleName("Decide later")
        buttons.addButton(self.reopen_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.reopen_button.clicked.connect(self._reopen)
        self.discard_button.clicked.connect(self._discard)
        self.later_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.reopen_button.setDefault(True)
        self.resize(640, 340)

    def ticked(self) -> list[DraftInfo]:
        return [
            info
            for row, info in enumerate(self.found)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _reopen(self) -> None:
        self.chosen = self.ticked()
        self.accept()

    def _discard(self) -> None:
        self.to_discard = self.ticked()
        self.accept()


def offer_drafts(parent: QWidget | None, context: AppContext) -> list[DraftInfo]:
    """At start-up: offer back what a crash left unsaved. Returns the drafts to reopen.

    The caller opens each returned draft's form, whose ``DraftKeeper.restore_if_any``
    puts the input back. Discarded drafts are removed here.
    """
    try:
        found = drafts.list_drafts(context.db)
    except CuspDeskError:
        return []
    if not found:
        return []
    dialog = DraftOfferDialog(found, parent)
    dialog.exec()
    for info in dialog.to_discard:
        try:
            drafts.discard_draft(context.db, info.form, info.record_key)
        except CuspDeskError as exc:
            context.status_message.emit(f"A draft could not be discarded: {exc}")
    return dialog.chosen
