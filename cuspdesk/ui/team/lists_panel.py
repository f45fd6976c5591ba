"""The lists a unit edits for itself: issue categories, team roles, meeting kinds.

Entries are retired rather than deleted, so the records that use them keep their
words; a retired entry can be brought back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.services import units
from cuspdesk.services.units import LIST_LABELS, ChoiceInfo
from cuspdesk.ui.context import AppContext
from cuspdesk.ui.team.panel import Panel
from cuspdesk.ui.widgets.form_section import FormSection

RETIRED = " (retired)"


class ListsPanel(Panel):
    what = "the list entry you are typing"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._unit_id: int | None = None
        self._entries: list[ChoiceInfo] = []
        section = FormSection("Lists the team chooses from", self.errors)
        self.which = QComboBox()
        for list_name, label in LIST_LABELS.items():
            self.which.addItem(label, list_name)
        self.which.currentIndexChanged.connect(lambda _i: self._reload())
        section.add("List to &change:", self.which)
        self.entries = QListWidget()
        self.entries.setAccessibleName("Entries in the list")
        self.entries.currentRowChanged.connect(lambda _row: self._picked())
        # Clicking the entry already chosen puts its name back in the box too.
        self.entries.itemClicked.connect(lambda _item: self._picked())
        self.label = QLineEdit()
        self.label.setPlaceholderText("Type a name, then Add or Rename")
        self.label.setAccessibleName("Name")
        self.add_button = self._button("Add to the li&st", self._add)
        self.rename_button = self._button("&Rename selected", self._rename)
        self.retire_button = self._button("Ret&ire selected", self._toggle_active)
        self.up_button = self._button("Move u&p", lambda: self._move(-1))
        self.down_button = self._button("Move do&wn", lambda: self._move(1))
        name_label = QLabel("&Name:")
        name_label.setBuddy(self.label)
        hint = QLabel(
            "Retired entries stay on the records that use them but are no longer offered."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.addWidget(name_label)
        side_column.addWidget(self.label)
        side_column.addWidget(self.errors.add("label", self.label))
        for button in (self.add_button, self.rename_button, self.retire_button):
            side_column.addWidget(button)
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        side_column.addLayout(moves)
        side_column.addWidget(hint)
        side_column.addStretch(1)
        both = QWidget()
        row = QHBoxLayout(both)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.entries, 3)
        row.addWidget(side, 2)
        section.add_wide(both)
        self.column.addWidget(section, 1)
        self.column.addWidget(self.state_note)
        self.watcher.watch(self.label)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def has_unsaved_changes(self) -> bool:
        """A name typed but not added is a half-done action; nothing saved can be lost."""
        return False

    @property
    def list_name(self) -> str:
        return str(self.which.currentData())

    def refresh(self, unit_id: int) -> None:
        self._unit_id = unit_id
        self._reload()

    def _reload(self, select: int | None = None) -> None:
        if self._unit_id is None:
            return
        current = self._current()
        keep = select if select is not None else (current.id if current else None)
        self._entries = units.list_choices(
            self.context.db, self.list_name, unit_id=self._unit_id, include_inactive=True
        )
        self.entries.blockSignals(True)
        self.entries.clear()
        for entry in self._entries:
            item = QListWidgetItem(entry.label + ("" if entry.active else RETIRED))
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            if not entry.active:
                font = QFont(self.entries.font())
                font.setItalic(True)
                item.setFont(font)
                item.setForeground(self.palette().placeholderText())
            self.entries.addItem(item)
            if entry.id == keep:
                self.entries.setCurrentItem(item)
        self.entries.blockSignals(False)
        self._picked(fill=False)

    def _current(self) -> ChoiceInfo | None:
        row = self.entries.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _picked(self, fill: bool = True) -> None:
        entry = self._current()
        if fill and entry is not None:
            with self.watcher.paused():
                self.label.setText(entry.label)
        chosen = entry is not None
        self.rename_button.setEnabled(chosen)
        self.retire_button.setEnabled(chosen)
        self.up_button.setEnabled(chosen and self.entries.currentRow() > 0)
        self.down_button.setEnabled(chosen and self.entries.currentRow() < len(self._entries) - 1)
        text = (
            "Bring &back selected" if entry is not None and not entry.active else "Ret&ire selected"
        )
        self.retire_button.setText(text)
        self.retire_button.setAccessibleName(text.replace("&", ""))

    def _add(self) -> None:
        result: list[ChoiceInfo] = []
        label = self.label.text().strip()
        if self.attempt(
            lambda: result.append(
                units.add_choice(self.context.db, self.list_name, label, unit_id=self._unit_id)
            ),
            f"Added “{label}”.",
            "unit",
        ):
            self._reload(select=result[0].id)
            self.label.clear()

    def _rename(self) -> None:
        entry = self._current()
        if entry is None:
            return
        label = self.label.text().strip()
        if self.attempt(
            lambda: units.rename_choice(self.context.db, entry.id, label),
            f"Renamed “{entry.label}” to “{label}”.",
            "unit",
        ):
            self._reload(select=entry.id)

    def _toggle_active(self) -> None:
        entry = self._current()
        if entry is None:
            return
        done = f"Brought back “{entry.label}”." if not entry.active else f"Retired “{entry.label}”."
        if self.attempt(
            lambda: units.set_choice_active(self.context.db, entry.id, not entry.active),
            done,
            "unit",
        ):
            self._reload(select=entry.id)

    def _move(self, offset: int) -> None:
        entry = self._current()
        if entry is None:
            return
        if self.attempt(
            lambda: units.move_choice(self.context.db, entry.id, offset),
            f"Moved “{entry.label}” {'up' if offset < 0 else 'down'}.",
            "unit",
        ):
            self._reload(select=entry.id)
            (self.up_button if offset < 0 else self.down_button).setFocus()
