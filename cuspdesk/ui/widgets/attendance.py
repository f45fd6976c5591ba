"""Who was expected at a meeting and who came: two ticks per team member."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget


class AttendanceGrid(QWidget):
    """One row per person: "expected" (the name) and "attended".

    Ticking "attended" also ticks the name; unticking the name clears
    "attended", so the two can never contradict each other.
    """

    changed = Signal()
    attended_toggled = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Attendance")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(2)
        self._rows: dict[int, tuple[QCheckBox, QCheckBox]] = {}
        self._names: dict[int, str] = {}

    def set_people(
        self, people: Sequence[tuple[int, str]], attendees: Iterable[tuple[int, bool]] = ()
    ) -> None:
        """Offer ``people`` (id, label); tick those in ``attendees`` (id, attended)."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self._rows = {}
        self._names = dict(people)
        self.grid.addWidget(_bold("Expected at the meeting"), 0, 0)
        self.grid.addWidget(_bold("Attended"), 0, 1)
        given = dict(attendees)
        for row, (person_id, label) in enumerate(people, start=1):
            expected = QCheckBox(label.replace("&", "&&"))  # a name's "&" is not a shortcut
            expected.setAccessibleName(f"{label} expected")
            attended = QCheckBox()
            attended.setAccessibleName(f"{label} attended")
            expected.setChecked(person_id in given)
            attended.setChecked(given.get(person_id, False))
            expected.toggled.connect(lambda on, p=person_id: self._expected_toggled(p, on))
            attended.toggled.connect(lambda on, p=person_id: self._attended_toggled(p, on))
            self.grid.addWidget(expected, row, 0)
            # Aligned, so the box is only as wide as its tick and a click anywhere on it counts.
            self.grid.addWidget(attended, row, 1, Qt.AlignmentFlag.AlignLeft)
            self._rows[person_id] = (expected, attended)
        self.grid.setColumnStretch(2, 1)

    def value(self) -> list[tuple[int, bool]]:
        """(person id, attended) for everyone expected, in the order shown."""
        return [
            (person_id, attended.isChecked())
            for person_id, (expected, attended) in self._rows.items()
            if expected.isChecked()
        ]

    def attended_box(self, person_id: int) -> QCheckBox | None:
        row = self._rows.get(person_id)
        return row[1] if row is not None else None

    def _expected_toggled(self, person_id: int, on: bool) -> None:
        expected, attended = self._rows[person_id]
        if not on and attended.isChecked():
            attended.setChecked(False)
        self.changed.emit()

    def _attended_toggled(self, person_id: int, on: bool) -> None:
        expected, _attended = self._rows[person_id]
        if on and not expected.isChecked():
            expected.setChecked(True)
        self.attended_toggled.emit(person_id, on)
        self.changed.emit()


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold;")
    return label
