"""Form fields that hold "nothing yet" honestly: optional dates, pick lists, 1–5 ratings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget

_EMPTY_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date box that can also be empty ("Not set"); Delete or Backspace empties it."""

    valueChanged = Signal()

    def __init__(
        self, accessible_name: str, parent: QWidget | None = None, *, optional: bool = True
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setAccessibleName(accessible_name)
        if optional:
            self.setMinimumDate(_EMPTY_DATE)
            self.setSpecialValueText("Not set")
            self.setDate(_EMPTY_DATE)
        else:
            self.setDate(QDate.currentDate())
        self.dateChanged.connect(lambda _d: self.valueChanged.emit())

    def value(self) -> date | None:
        if self.optional and self.date() == _EMPTY_DATE:
            return None
        qdate = self.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def setValue(self, value: date | None) -> None:
        if value is None:
            self.setDate(_EMPTY_DATE if self.optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab leaves the box, as in every other field (the arrow keys move between year,
        month and day). Qt's own stepping through the parts never left an empty box:
        a keyboard trap."""
        return QWidget.focusNextPrevChild(self, next)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if (
            self.optional
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and (event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        ):
            self.setValue(None)
            return
        super().keyPressEvent(event)


class PickList(QComboBox):
    """A drop-down of (id, label) pairs, with an optional empty first entry."""

    def __init__(
        self, accessible_name: str, parent: QWidget | None = None, *, empty_label: str | None = "—"
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.empty_label = empty_label
        # Long names must not force the whole form wider than the window.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)

    def set_items(self, items: Iterable[tuple[int, str]], keep: int | None = None) -> None:
        current = self.value() if keep is None else keep
        self.blockSignals(True)
        self.clear()
        if self.empty_label is not None:
            self.addItem(self.empty_label, None)
        for item_id, label in items:
            self.addItem(label, item_id)
        self.blockSignals(False)
        self.setValue(current)

    def value(self) -> int | None:
        data = self.currentData()
        return int(data) if data is not None else None

    def setValue(self, item_id: int | None) -> None:
        index = self.findData(item_id) if item_id is not None else -1
        if index < 0:
            index = 0 if self.empty_label is not None or self.count() else -1
        self.setCurrentIndex(index)


RATING_WORDS = {
    1: "1 – very low",
    2: "2 – low",
    3: "3 – moderate",
    4: "4 – high",
    5: "5 – very high",
}


class RatingPicker(PickList):
    """A 1–5 rating shown with words, so the scale reads the same to everyone."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(accessible_name, parent, empty_label="Not rated")
        self.set_items(RATING_WORDS.items())
