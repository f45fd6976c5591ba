"""A short list of records (dashboard panels, links) that opens one on Enter or double-click."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from cuspdesk.ui.widgets.record_table import FOCUS_FRAME

_RECORD = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class RecordItem:
    """One line: what it says, which record it opens (``kind`` None: opens nothing)."""

    text: str
    kind: str | None = None
    record_id: int | None = None
    tooltip: str = ""
    strong: bool = False


class RecordList(QListWidget):
    """``record_chosen(kind, id)`` fires when a person opens a line; empty lists say why."""

    record_chosen = Signal(str, int)

    def __init__(
        self, accessible_name: str, empty_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.empty_text = empty_text
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setMinimumWidth(120)
        self.setSpacing(3)
        self.setStyleSheet(FOCUS_FRAME.format(widget="QListWidget"))
        self.itemActivated.connect(self._open)
        self.itemDoubleClicked.connect(self._open)

    def set_records(self, records: Iterable[RecordItem]) -> None:
        self.clear()
        for record in records:
            item = QListWidgetItem(record.text)
            item.setData(_RECORD, (record.kind, record.record_id))
            if record.tooltip:
                item.setToolTip(record.tooltip)
            if record.strong:
                font = QFont(self.font())
                font.setBold(True)
                item.setFont(font)
            self.addItem(item)
        if self.count() == 0:
            item = QListWidgetItem(self.empty_text)
            item.setData(_RECORD, (None, None))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addItem(item)

    def record_at(self, row: int) -> tuple[str | None, int | None]:
        item = self.item(row)
        if item is None:
            return (None, None)
        kind, record_id = item.data(_RECORD)
        return kind, record_id

    def texts(self) -> list[str]:
        return [self.item(row).text() for row in range(self.count())]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # itemActivated is not sent for Enter on every platform style; make it certain.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self._open(self.currentItem())
            return
        super().keyPressEvent(event)

    def _open(self, item: QListWidgetItem) -> None:
        kind, record_id = item.data(_RECORD)
        if kind is not None and record_id is not None:
            self.record_chosen.emit(kind, int(record_id))
