"""When someone else saved a record first: both versions side by side, the person chooses."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ConflictChoice(Enum):
    KEEP_THEIRS = "theirs"
    KEEP_MINE = "mine"
    DECIDE_LATER = "later"


class ConflictDialog(QDialog):
    """Rows are (field, theirs, yours); nothing is written until the person picks a side."""

    def __init__(
        self,
        record_name: str,
        rows: Sequence[tuple[str, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice = ConflictChoice.DECIDE_LATER
        self.setWindowTitle("Someone else changed this record")
        self.setAccessibleName("Someone else changed this record")
        intro = QLabel(
            f"{record_name} was saved by someone else after you opened it. Nothing has been "
            "overwritten. Compare the two versions and choose which one to keep."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName("Differences between the two versions")
        self.table.setHorizontalHeaderLabels(["Field", "Their version (saved now)", "Your version"])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (field, theirs, mine) in enumerate(rows):
            for column, text in enumerate((field, theirs, mine)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

        theirs_button = QPushButton("Keep &theirs (reload, drop my changes)")
        theirs_button.setAccessibleName("Keep theirs")
        mine_button = QPushButton("Keep &mine (save over theirs)")
        mine_button.setAccessibleName("Keep mine")
        later_button = QPushButton("&Go back to my form")
        later_button.setAccessibleName("Go back to my form")
        for button in (theirs_button, mine_button, later_button):
            button.setAutoDefault(False)
        later_button.setDefault(True)
        theirs_button.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_THEIRS))
        mine_button.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_MINE))
        later_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(theirs_button)
        buttons.addWidget(mine_button)
        buttons.addStretch(1)
        buttons.addWidget(later_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(820, 420)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()
