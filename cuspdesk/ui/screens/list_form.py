"""The shape shared by the record screens: a searchable list on the left, its form on the right.

The base class owns the flow every such screen must get right — ask before
unsaved input is lost, show problems beside the fields and keep what was typed,
reload after saving, announce what changed — and the subclasses only say how to
list, fill and save their kind of record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.errors import ConflictError, CuspDeskError, NotFoundError, ValidationError
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.models.plain_rows import Column
from cuspdesk.ui.screens.base import Screen
from cuspdesk.ui.widgets.change_watcher import ChangeWatcher
from cuspdesk.ui.widgets.form_errors import FieldErrors
from cuspdesk.ui.widgets.record_browser import RecordBrowser
from cuspdesk.ui.widgets.unsaved import SaveChoice, ask_to_save

BANNER_STYLE = (
    "QLabel { background: #fff4ce; color: #5c2c00; border: 1px solid #c69026;"
    " border-radius: 3px; padding: 6px; }"
)
READ_ONLY_NOTE = "The database is open read-only: you can look, but not save."


def make_banner() -> QLabel:
    """The strip above a form where "Not saved: …" appears."""
    banner = QLabel()
    banner.setStyleSheet(BANNER_STYLE)
    banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return banner


def make_heading(text: str = "") -> QLabel:
    heading = QLabel(text)
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    heading.setFont(font)
    heading.setWordWrap(True)
    return heading


class ListFormScreen(Screen):
    """List + form. Subclasses build their fields into ``form_layout`` and implement
    ``fetch_rows``, ``fill_new``, ``fill_record`` and ``save_record``.

    ``noun`` is one record in words ("safety round"); it names the buttons and
    the questions. ``related_kinds`` are other kinds of change that should reload
    the screen (new team members, renamed categories, issues whose status moved).
    """

    noun = "record"
    plural = "records"
    related_kinds: tuple[str, ...] = ("unit", "team")

    def __init__(
        self,
        context: AppContext,
        columns: Sequence[Column[Any]],
        row_id: Callable[[Any], int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.current_id: int | None = None
        self.current_version: int | None = None
        self._stale = True
        self._loaded_unit: int | None = None
        self.watcher = ChangeWatcher(self)
        self.watcher.changed.connect(self._on_edited)

        self.browser = RecordBrowser(self.noun, self.plural, columns, row_id, name=self.title)
        self.browser.current_changed.connect(self._on_pick)
        # Enter on a row (already shown, as the arrow keys move) goes into its form.
        self.browser.view.row_activated.connect(lambda _row: self._focus_form())
        self.browser.new_requested.connect(self.start_new)
        self.browser.search_changed.connect(lambda _text: self._reload_list())

        self.heading = make_heading()
        self.banner = make_banner()
        self.errors = FieldErrors(self.banner)
        self.form_body = QWidget()
        self.form_layout = QVBoxLayout(self.form_body)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setWidget(self.form_body)
        self.form_scroll.setAccessibleName(f"{self.noun.capitalize()} form")
        # Tab goes straight to the fields; focusing one scrolls it into view.
        self.form_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.state_note = QLabel()
        self.state_note.setAccessibleName("Save state")
        self.discard_button = QPushButton("Discard &changes")
        self.discard_button.setAccessibleName("Discard changes")
        self.discard_button.clicked.connect(self._discard_clicked)
        self.save_button = QPushButton(f"&Save {self.noun}")
        self.save_button.setAccessibleName(f"Save {self.noun}")
        self.save_button.setDefault(False)
        self.save_button.clicked.connect(self.save_changes)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save_changes)

        # Save sits under the heading: always in view, and first in Tab order after the
        # list, as it is first on screen.
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_note, 1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(8, 0, 0, 0)
        right_column.addWidget(self.heading)
        right_column.addLayout(buttons)
        right_column.addWidget(self.banner)
        right_column.addWidget(self.form_scroll, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 9)
        self.splitter.setStretchFactor(1, 11)
        self.splitter.setSizes([450, 550])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.splitter)
        self.discard_button.setEnabled(False)
        self.save_button.setEnabled(not context.read_only)

    # --- what subclasses provide -------------------------------------------------------

    def fetch_rows(self, unit_id: int, text: str) -> Sequence[Any]:
        raise NotImplementedError

    def reload_options(self, unit_id: int) -> None:
        """Refill pick lists (people, categories) from the services."""

    def fill_new(self, unit_id: int) -> None:
        """Empty the form for a new record, with sensible defaults."""
        raise NotImplementedError

    def fill_record(self, record_id: int) -> None:
        """Show a saved record; set ``current_version``. May raise NotFoundError."""
        raise NotImplementedError

    def save_record(self, unit_id: int) -> int:
        """Save what the form holds (create or update); return the record's id."""
        raise NotImplementedError

    def first_field(self) -> QWidget | None:
        """Where the cursor goes when a new record is started."""
        return None

    def heading_for(self, record_id: int | None) -> str:
        return f"New {self.noun}" if record_id is None else self.noun.capitalize()

    def changed_kinds(self) -> tuple[str, ...]:
        """What kinds of record a save changes, so other screens reload."""
        return self.record_kinds

    # --- Screen contract ---------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        unit_id = self.context.unit_id
        if unit_id != self._loaded_unit:
            self._loaded_unit = unit_id
            self.current_id = None
            self.watcher.mark_clean()
        self.setEnabled(unit_id is not None)
        if unit_id is None:
            self.browser.set_rows([])
            return
        with self.watcher.paused():
            self.reload_options(unit_id)
        self._reload_list()
        if not self.has_unsaved_changes():
            self._show(self.current_id)

    def has_unsaved_changes(self) -> bool:
        return self.watcher.dirty

    def discard_changes(self) -> None:
        """Forget unsaved input and show the saved record again (closing without asking)."""
        self.forget_edits()
        self._show(self.current_id)

    def save_changes(self) -> bool:
        unit_id = self.context.unit_id
        if unit_id is None:
            return False
        if self.context.read_only:
            self.errors.show_message(READ_ONLY_NOTE)
            return False
        self.errors.clear()
        try:
            record_id = self.save_record(unit_id)
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except ConflictError as exc:
            self.errors.show_message(
                f"{exc} Nothing was saved and what you typed is still here; copy what you "
                "need, then choose Discard changes to see the saved version."
            )
            return False
        except CuspDeskError as exc:
            self.errors.show_message(f"Not saved: {exc}")
            return False
        self.watcher.mark_clean()
        self.current_id = record_id
        self._reload_list()
        self._show(record_id)
        self.context.status_message.emit(f"Saved the {self.noun}.")
        self.state_note.setText(f"Saved the {self.noun}.")
        self.announce(*self.changed_kinds())
        return True

    def focus_search(self) -> None:
        self.browser.search.setFocus()
        self.browser.search.selectAll()

    def open_record(self, record_id: int) -> None:
        if record_id == self.current_id or self._confirm_leave():
            if self._stale:
                self.refresh()
            self._show(record_id)
            self.browser.select_id(record_id, quiet=True)

    def _focus_form(self) -> None:
        first = self.first_field()
        if first is not None:
            first.setFocus()

    def start_new(self) -> None:
        """Show an empty form (asking first if the current one has unsaved changes)."""
        if self._confirm_leave():
            self._show(None)
            self.browser.select_id(None, quiet=True)
            self._focus_form()

    # --- flow ------------------------------------------------------------------------

    def _on_data_changed(self, kind: str) -> None:
        if self._announcing:
            return
        if kind in self.record_kinds or kind in self.related_kinds:
            self.refresh_when_shown()

    def _reload_list(self) -> None:
        unit_id = self.context.unit_id
        if unit_id is None:
            return
        try:
            rows = self.fetch_rows(unit_id, self.browser.search.text())
        except CuspDeskError as exc:
            self.errors.show_message(str(exc))
            return
        self.browser.set_rows(rows, keep=self.current_id)

    def _on_pick(self, record_id: int | None) -> None:
        if record_id is None or record_id == self.current_id:
            return
        if self._confirm_leave():
            self._show(record_id)
        else:
            self.browser.select_id(self.current_id, quiet=True)

    def _confirm_leave(self) -> bool:
        """True when the form may be replaced: nothing unsaved, saved now, or discarded."""
        if not self.has_unsaved_changes():
            return True
        choice = ask_to_save(self, [f"this {self.noun}"])
        if choice is SaveChoice.SAVE:
            return self.save_changes()
        if choice is SaveChoice.DISCARD:
            self.forget_edits()
            return True
        return False

    def forget_edits(self) -> None:
        """Treat what is in the form as unchanged (the person chose to discard it)."""
        self.watcher.mark_clean()

    def _discard_clicked(self) -> None:
        if not self.has_unsaved_changes():
            return
        if self._confirm_discard():
            self.discard_changes()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Discard changes")
        box.setAccessibleName("Discard changes")
        box.setText(f"Throw away what you changed in this {self.noun} since it was last saved?")
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        discard.setAccessibleName("Discard")
        keep.setAccessibleName("Keep editing")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def _show(self, record_id: int | None) -> None:
        unit_id = self.context.unit_id
        if unit_id is None:
            return
        with self.watcher.paused():
            self.errors.clear()
            self.state_note.clear()
            try:
                if record_id is None:
                    self.current_version = None
                    self.fill_new(unit_id)
                else:
                    self.fill_record(record_id)
            except NotFoundError as exc:
                record_id = None
                self.current_version = None
                self.fill_new(unit_id)
                self.errors.show_message(str(exc))
        self.current_id = record_id
        self.watcher.mark_clean()
        self.heading.setText(self.heading_for(record_id))
        self._update_state()

    def _on_edited(self) -> None:
        self._update_state()

    def _update_state(self) -> None:
        dirty = self.has_unsaved_changes()
        read_only = self.context.read_only
        self.save_button.setEnabled(not read_only)
        self.discard_button.setEnabled(dirty)
        if read_only:
            self.state_note.setText(READ_ONLY_NOTE)
        elif dirty:
            self.state_note.setText("Not saved yet.")
