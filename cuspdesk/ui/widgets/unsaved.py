"""Asking before unsaved work is lost, the same way in every form and at exit.

Any window or screen that holds unsaved input offers ``has_unsaved_changes()`` and
``save_changes() -> bool``; a form may add ``discard_changes()`` so it can close
without asking twice. The main window asks all of them before the app closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QMessageBox, QWidget


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    def has_unsaved_changes(self) -> bool: ...

    def save_changes(self) -> bool: ...


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_to_save(parent: QWidget | None, places: Sequence[str]) -> SaveChoice:
    """Save / Discard / Cancel for unsaved input in ``places`` (e.g. "Issue 12")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Unsaved changes")
    box.setAccessibleName("Unsaved changes")
    if len(places) == 1:
        box.setText(f"Save your changes to {places[0]}?")
    else:
        listed = "\n".join(f"• {place}" for place in places)
        box.setText(f"Save your changes to these?\n{listed}")
    box.setInformativeText("If you discard them, what you typed is lost.")
    save = box.addButton("&Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    for button, name in ((save, "Save"), (discard, "Discard"), (cancel, "Cancel")):
        button.setAccessibleName(name)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SaveChoice.SAVE
    if clicked is discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL
