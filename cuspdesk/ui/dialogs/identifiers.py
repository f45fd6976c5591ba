"""Ask before saving text that looks like it names a patient."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from cuspdesk.services.sensitive import LOG_WARNING, IdentifierHit

SHOWN_HITS = 8


def identifiers_text(hits: Sequence[IdentifierHit | tuple[str, IdentifierHit]]) -> str:
    """The list the dialog shows: one line per hit, the field first when known."""
    lines = []
    for item in hits[:SHOWN_HITS]:
        field, hit = item if isinstance(item, tuple) else ("", item)
        where = f"{field.replace('_', ' ').capitalize()}: " if field else ""
        lines.append(f"• {where}{hit.message}")
    if len(hits) > SHOWN_HITS:
        lines.append(f"• …and {len(hits) - SHOWN_HITS} more.")
    return "\n".join(lines)


def confirm_identifiers(
    parent: QWidget | None, hits: Sequence[IdentifierHit | tuple[str, IdentifierHit]]
) -> bool:
    """True to save anyway; False (the default) to go back and edit. No hits: True at once."""
    if not hits:
        return True
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Patient details in the log?")
    box.setAccessibleName("Patient details in the log")
    box.setText("This looks like it could identify a patient:")
    box.setInformativeText(html.escape(identifiers_text(hits)).replace("\n", "<br>"))
    box.setDetailedText(LOG_WARNING)
    edit = box.addButton("&Go back and edit", QMessageBox.ButtonRole.RejectRole)
    edit.setAccessibleName("Go back and edit")
    save = box.addButton("&Save anyway", QMessageBox.ButtonRole.AcceptRole)
    save.setAccessibleName("Save anyway")
    box.setDefaultButton(edit)
    box.setEscapeButton(edit)
    box.exec()
    return box.clickedButton() is save
