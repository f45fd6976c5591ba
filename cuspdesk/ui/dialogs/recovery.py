"""When the database will not open because it is damaged: offer the newest good backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from cuspdesk import APP_NAME
from cuspdesk.errors import CuspDeskError
from cuspdesk.services import backup


def offer_recovery(parent: QWidget | None, db_path: Path, error: CuspDeskError) -> bool:
    """Say what is wrong and offer to restore the newest good backup. True if restored.

    The caller opens the database again afterwards. The damaged file is kept in
    the backups folder, so restoring never destroys anything.
    """
    good = backup.latest_good_backup(db_path)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_NAME}: the database is damaged")
    box.setAccessibleName("The database is damaged")
    box.setText(str(error))
    close = box.addButton("&Close", QMessageBox.ButtonRole.RejectRole)
    close.setAccessibleName("Close")
    restore = None
    if good is None:
        box.setInformativeText(backup.recovery_advice(db_path))
    else:
        taken = next((b.taken_at for b in backup.find_backups(db_path) if b.path == good), None)
        when = taken.astimezone().strftime("%Y-%m-%d %H:%M") if taken else "an earlier date"
        box.setInformativeText(
            f"The newest good backup was taken on {when} ({good.name}). Restore it? Changes "
            "made since then will be missing; the damaged file is kept in the backups folder."
        )
        restore = box.addButton("&Restore this backup", QMessageBox.ButtonRole.AcceptRole)
        restore.setAccessibleName("Restore this backup")
        box.setDefaultButton(restore)
    box.setEscapeButton(close)
    box.exec()
    if restore is None or box.clickedButton() is not restore or good is None:
        return False
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        backup.restore(str(db_path), good)
    except CuspDeskError as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.critical(parent, APP_NAME, f"The backup could not be restored: {exc}")
        return False
    QGuiApplication.restoreOverrideCursor()
    return True
