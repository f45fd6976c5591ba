"""What every part of the Team & unit screen shares: its own form, save, problems and edits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cuspdesk.errors import ConflictError, CuspDeskError, ValidationError
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.screens.list_form import READ_ONLY_NOTE, make_banner
from cuspdesk.ui.widgets.change_watcher import ChangeWatcher
from cuspdesk.ui.widgets.form_errors import FieldErrors
from cuspdesk.ui.widgets.unsaved import SaveChoice, ask_to_save


class Panel(QWidget):
    """A tab with a form. ``saved`` carries the kinds of record a save changed."""

    saved = Signal(tuple)
    what = "this part"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.watcher = ChangeWatcher(self)
        self.watcher.changed.connect(self._show_state)
        self.banner = make_banner()
        self.errors = FieldErrors(self.banner)
        self.state_note = QLabel()
        self.state_note.setAccessibleName("Save state")
        self.column = QVBoxLayout(self)
        self.column.addWidget(self.banner)

    def refresh(self, unit_id: int) -> None:
        """Reload from the services (the form keeps unsaved input)."""

    def has_unsaved_changes(self) -> bool:
        return self.watcher.dirty

    def save_changes(self) -> bool:
        return True

    def discard_changes(self) -> None:
        self.watcher.mark_clean()

    def attempt(self, action: Callable[[], object], done: str, *kinds: str) -> bool:
        """Run a save; show its problems beside the fields, or say it worked."""
        if self.context.read_only:
            self.errors.show_message(READ_ONLY_NOTE)
            return False
        self.errors.clear()
        try:
            action()
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except ConflictError as exc:
            self.errors.show_message(f"{exc} What you typed is still here.")
            return False
        except CuspDeskError as exc:
            self.errors.show_message(f"Not saved: {exc}")
            return False
        self.watcher.mark_clean()
        self.state_note.setText(done)
        self.context.status_message.emit(done)
        self.saved.emit(kinds)
        return True

    def confirm_leave(self) -> bool:
        """Before the form shows something else: save, discard, or keep editing."""
        if not self.has_unsaved_changes():
            return True
        choice = ask_to_save(self, [self.what])
        if choice is SaveChoice.SAVE:
            return self.save_changes()
        if choice is SaveChoice.DISCARD:
            self.watcher.mark_clean()
            return True
        return False

    def _show_state(self) -> None:
        if self.watcher.dirty:
            self.state_note.setText("Not saved yet.")
