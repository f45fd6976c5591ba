"""The contract every sidebar screen keeps, so the main window can treat them alike."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from cuspdesk.ui.context import AppContext


class Screen(QWidget):
    """A page of the app: shows the current unit's records of one kind.

    Subclasses set ``key`` and ``title``, build their widgets in ``__init__`` and
    load data in ``refresh`` (called when shown, when the unit changes and when
    their kind of record changes). They never keep a database session.
    """

    key = ""
    title = ""
    record_kinds: tuple[str, ...] = ()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName(self.title)
        context.unit_changed.connect(lambda _unit: self._on_unit_changed())
        context.data_changed.connect(self._on_data_changed)

    def refresh(self) -> None:
        """Reload what the screen shows from the services."""

    # Set when something this screen shows changed while it was hidden.
    _stale = False

    def _on_unit_changed(self) -> None:
        # A hidden screen catches up when it is next shown: switching units (and
        # starting the app) then loads one screen, not all of them.
        self.refresh_when_shown()

    def refresh_when_shown(self) -> None:
        """Refresh now if the screen is on show, else the next time it is shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def has_unsaved_changes(self) -> bool:
        return False

    def save_changes(self) -> bool:
        """Save pending edits; False if they could not be saved (the screen shows why)."""
        return True

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in this screen's search box, if it has one."""

    def open_record(self, record_id: int) -> None:
        """Show one record of this screen's kind (from the dashboard or a link)."""

    def announce(self, *kinds: str) -> None:
        """Tell the other screens what this one changed; it is itself already up to date."""
        self._announcing = True
        try:
            for kind in kinds:
                self.context.changed(kind)
        finally:
            self._announcing = False

    _announcing = False

    def _on_data_changed(self, kind: str) -> None:
        if kind in self.record_kinds and self.isVisible() and not self._announcing:
            self.refresh()
