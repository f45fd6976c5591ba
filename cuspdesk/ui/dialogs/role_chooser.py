"""Choose the role to work in (and type its passphrase, if it has one)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cuspdesk import APP_NAME
from cuspdesk.db import Actor, Database
from cuspdesk.errors import CuspDeskError
from cuspdesk.services import access
from cuspdesk.services.access import Role, RoleChoice
from cuspdesk.ui.widgets.form_errors import WARNING_SIGN


class RoleChooserDialog(QDialog):
    """One radio button per role with what it may do; a wrong passphrase keeps the dialog open."""

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, preselect: Role | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.setWindowTitle(f"{APP_NAME}: choose your role")
        self.setAccessibleName("Choose your role")
        self.choices: list[RoleChoice] = access.role_choices(db)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Which role are you working in on {db.describe()}?")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.buttons: dict[Role, QRadioButton] = {}
        wanted = preselect or access.remembered_role(db)
        for number, choice in enumerate(self.choices, start=1):
            lock = " (passphrase)" if choice.needs_passphrase else ""
            button = QRadioButton(f"&{number} {choice.label}{lock} — {choice.description}")
            button.setAccessibleName(choice.label)
            button.setAccessibleDescription(choice.description)
            self.group.addButton(button)
            self.buttons[choice.role] = button
            layout.addWidget(button)
            button.toggled.connect(self._role_changed)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        caption = QLabel("&Passphrase")
        caption.setBuddy(self.passphrase)
        layout.addWidget(caption)
        layout.addWidget(self.passphrase)
        self.problem = QLabel()
        self.problem.setAccessibleName("Problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Continue")
        ok.setAccessibleName("Continue")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons[wanted].setChecked(True)
        self._role_changed()

    def chosen_role(self) -> Role:
        return next(role for role, button in self.buttons.items() if button.isChecked())

    def _needs_passphrase(self, role: Role) -> bool:
        return next(c.needs_passphrase for c in self.choices if c.role is role)

    def _role_changed(self, *_args: object) -> None:
        needs = self._needs_passphrase(self.chosen_role())
        self.passphrase.setEnabled(needs)
        self.passphrase.setPlaceholderText("" if needs else "not needed for this role")
        if needs:
            self.passphrase.setFocus()

    def try_sign_in(self) -> None:
        """Check the passphrase; stay open with a message (and the choice kept) if it is wrong."""
        try:
            self.actor = access.sign_in(self.db, self.chosen_role(), self.passphrase.text())
        except CuspDeskError as exc:
            self.problem.setText(f"{WARNING_SIGN} {exc}")
            self.problem.show()
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.accept()


def choose_role(
    parent: QWidget | None, db: Database, *, preselect: Role | None = None
) -> Actor | None:
    """Ask for a role; the database works as that role from then on. None if cancelled."""
    dialog = RoleChooserDialog(db, parent, preselect=preselect)
    dialog.exec()
    return dialog.actor
