"""The one question asked before unsaved input could be lost: save, discard, or keep editing."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

UNSAVED_TITLE = "Unsaved changes"


class LeaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    KEEP_EDITING = "keep_editing"


def ask_about_unsaved(parent: QWidget | None, what: str) -> LeaveChoice:
    """Ask what to do with unsaved changes to ``what`` ("this safety round")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(UNSAVED_TITLE)
    box.setText(f"You have changed {what} but not saved it.")
    box.setInformativeText("Do you want to save your changes first?")
    box.setAccessibleName(UNSAVED_TITLE)
    save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    for button in (save, discard, keep):
        button.setAccessibleName(button.text())
    box.setDefaultButton(save)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return LeaveChoice.SAVE
    if clicked is discard:
        return LeaveChoice.DISCARD
    return LeaveChoice.KEEP_EDITING


def confirm(
    parent: QWidget | None, title: str, question: str, yes: str, no: str = "Cancel"
) -> bool:
    """A yes/no question whose buttons say what they do ("Discard changes", not "OK")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    box.setAccessibleName(title)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    yes_button.setAccessibleName(yes)
    no_button.setAccessibleName(no)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button
