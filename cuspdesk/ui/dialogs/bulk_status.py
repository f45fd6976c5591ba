"""Pick one status (and an optional note) for several issues at once."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cuspdesk.models import STATUS_LABELS


class BulkStatusDialog(QDialog):
    """The rules are checked per issue by the service; this only collects the choice."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change status")
        self.setAccessibleName("Change status")
        intro = QLabel(
            f"Change the status of {count} selected issue{'s' if count != 1 else ''}. "
            "Issues the workflow does not allow (for example closing one without saying how "
            "we know the risk is reduced) are left as they are, and you are told why."
        )
        intro.setWordWrap(True)
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("New status")
        for status, label in STATUS_LABELS.items():
            self.status_box.addItem(label, status.value)
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName("Note for the history")
        self.note_edit.setPlaceholderText("Why (needed when reopening)")
        form = QFormLayout()
        form.addRow("&New status:", self.status_box)
        form.addRow("N&ote:", self.note_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Change status")
        ok.setAccessibleName("Change status")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def status(self) -> str:
        return str(self.status_box.currentData())

    def note(self) -> str:
        return self.note_edit.text()
