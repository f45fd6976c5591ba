"""What every screen shares: the open database, the current unit, and app-wide signals.

Screens never reach into each other; they talk through these signals.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from cuspdesk.db import Database


class AppContext(QObject):
    """The one place screens learn which database and unit they are working on.

    ``data_changed`` carries the kind of record that changed ("issue", "meeting",
    "round", "assessment", "defect", "measure", "unit", "team") so screens showing
    that kind reload; ``open_record`` asks the main window to show a record.
    """

    unit_changed = Signal(int)
    data_changed = Signal(str)
    open_record = Signal(str, int)
    status_message = Signal(str)

    def __init__(self, db: Database, unit_id: int | None = None) -> None:
        super().__init__()
        self.db = db
        self._unit_id = unit_id

    @property
    def unit_id(self) -> int | None:
        return self._unit_id

    def set_unit(self, unit_id: int | None) -> None:
        if unit_id != self._unit_id:
            self._unit_id = unit_id
            if unit_id is not None:
                self.unit_changed.emit(unit_id)

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def changed(self, kind: str) -> None:
        self.data_changed.emit(kind)
