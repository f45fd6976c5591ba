"""Pick several things from a list by ticking them (participants, questions asked)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget


class CheckList(QListWidget):
    """Items are (key, label) pairs; Space ticks the current one, as in any list."""

    changed = Signal()

    def __init__(
        self, accessible_name: str, parent: QWidget | None = None, *, visible_rows: int = 6
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        # Ticks carry the meaning; a highlighted row would read as a second kind of choice.
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.itemChanged.connect(lambda _item: self.changed.emit())
        self.visible_rows = visible_rows
        self._fit_height()

    def set_items(self, items: Iterable[tuple[Any, str]], checked: Iterable[Any] = ()) -> None:
        wanted = set(checked)
        self.blockSignals(True)
        self.clear()
        for key, label in items:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in wanted else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)
        self._fit_height()
        if self.count():
            self.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _fit_height(self) -> None:
        """Tall enough for every item up to ``visible_rows``, so short lists need no scrolling."""
        row = self.sizeHintForRow(0) if self.count() else self.fontMetrics().lineSpacing() + 4
        rows = max(2, min(self.count(), self.visible_rows))
        self.setFixedHeight(row * rows + 2 * self.frameWidth() + 4)

    def keys(self) -> list[Any]:
        return [self.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.count())]

    def checked_keys(self) -> list[Any]:
        return [
            self.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.count())
            if self.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, keys: Sequence[Any], checked: bool = True) -> None:
        """Tick (or untick) the items with these keys, as a person would."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in keys:
                item.setCheckState(state)
