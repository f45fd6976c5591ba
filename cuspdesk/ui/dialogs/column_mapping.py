"""The dialog that asks what each unrecognised column of a spreadsheet holds.

A team's tracking log may name a column in a way CUSPDesk does not know ("Ward
sister", "RAG"); the person says which field it is, or leaves it out, before any
row is read.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

LEAVE_OUT = "Leave this column out"


class ColumnMappingDialog(QDialog):
    """One choice per unknown header; ``columns()`` gives header -> field (None: left out)."""

    def __init__(
        self,
        file_name: str,
        unknown: Sequence[str],
        choices: Sequence[tuple[str, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Columns of {file_name}")
        self.setAccessibleName("Say what each column holds")
        plural = "these columns" if len(unknown) > 1 else "this column"
        intro = QLabel(
            f"CUSPDesk does not recognise {plural} of {file_name}. Say what each one holds, "
            "or leave it out; nothing is read until you continue."
        )
        intro.setWordWrap(True)

        self.pickers: dict[str, QComboBox] = {}
        body = QWidget()
        form = QFormLayout(body)
        for header in unknown:
            picker = QComboBox()
            picker.setAccessibleName(f"What the column “{header}” holds")
            picker.addItem(LEAVE_OUT, None)
            for key, name, hint in choices:
                picker.addItem(name, key)
                if hint:
                    picker.setItemData(picker.count() - 1, hint, Qt.ItemDataRole.ToolTipRole)
            label = QLabel(f"“{header}”")
            form.addRow(label, picker)
            self.pickers[header] = picker
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        scroll.setAccessibleName("Unrecognised columns")

        buttons = QDialogButtonBox()
        self.continue_button = buttons.addButton(
            "Co&ntinue", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.continue_button.setAccessibleName("Continue with these columns")
        self.continue_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel the import")
        self.continue_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(560, min(520, 160 + 40 * len(unknown)))

    def choose(self, header: str, key: str | None) -> None:
        """Pick ``key`` for ``header`` (as a person would in its list)."""
        picker = self.pickers[header]
        picker.setCurrentIndex(0 if key is None else picker.findData(key))

    def columns(self) -> dict[str, str | None]:
        return {header: picker.currentData() for header, picker in self.pickers.items()}
